//! `-p NAME=VALUE` arguments.

use crate::exit::Failure;
use serde_json::Value;

/// Splits each `NAME=VALUE` at its first `=`; the value may be empty or contain `=`.
pub fn parse(params: &[String]) -> Result<Vec<(String, Value)>, Failure> {
    params
        .iter()
        .map(|param| match param.split_once('=') {
            Some((name, value)) if !name.trim().is_empty() => {
                Ok((name.trim().to_owned(), Value::String(value.to_owned())))
            }
            _ => {
                let name = param.split('=').next().unwrap_or_default();
                Err(Failure::usage(format!(
                    "--param: expected NAME=VALUE, got {:?}",
                    if param.contains('=') {
                        param.as_str()
                    } else {
                        name
                    }
                )))
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_at_the_first_equals_sign() {
        let parsed = parse(&["A=1".into(), "B=x=y".into(), "C=".into()]).unwrap();
        assert_eq!(
            parsed,
            vec![
                ("A".to_owned(), Value::from("1")),
                ("B".to_owned(), Value::from("x=y")),
                ("C".to_owned(), Value::from("")),
            ]
        );
    }

    #[test]
    fn a_value_without_a_name_is_a_usage_error() {
        let err = parse(&["=1".into()]).unwrap_err();
        assert_eq!(err.code, crate::exit::USAGE);
        assert!(err.message.contains("NAME=VALUE"), "{}", err.message);
        assert!(parse(&["PERSON".into()])
            .unwrap_err()
            .message
            .contains("\"PERSON\""));
    }
}
