//! Checking user-given values against parameter definitions, producing a run payload.

use serde_json::Value;

use crate::model::{ParameterDefinition, ParameterValue};
use crate::Error;

/// The kind of a parameter, from Jenkins' class name or KubeSphere's simplified type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParameterKind {
    String,
    Text,
    Boolean,
    Choice,
    Password,
    File,
    Other,
}

impl ParameterKind {
    /// `StringParameterDefinition`, `hudson.model.StringParameterDefinition`, `string`, …
    pub fn of(type_name: &str) -> ParameterKind {
        let short = type_name.rsplit('.').next().unwrap_or(type_name);
        let short = short.strip_suffix("ParameterDefinition").unwrap_or(short);
        match short.to_ascii_lowercase().as_str() {
            "string" => ParameterKind::String,
            "text" => ParameterKind::Text,
            "boolean" | "booleanparam" => ParameterKind::Boolean,
            "choice" => ParameterKind::Choice,
            "password" => ParameterKind::Password,
            "file" => ParameterKind::File,
            _ => ParameterKind::Other,
        }
    }
}

fn field(name: &str) -> String {
    format!("parameters.{name}")
}

/// Turns `values` into the run payload for `definitions`: every name must be defined, a choice
/// must be one of the choices, a boolean must be `true`/`false` (sent as `"true"`/`"false"`).
/// With `fill_defaults`, parameters without a value get their static default (parameters whose
/// default is computed at run time, or secret, are left for Jenkins to fill).
/// The payload follows the definitions' order. Password values never appear in errors.
pub fn check_parameters(
    definitions: &[ParameterDefinition],
    values: &[(String, Value)],
    fill_defaults: bool,
) -> Result<Vec<ParameterValue>, Error> {
    for (i, (name, _)) in values.iter().enumerate() {
        if values[..i].iter().any(|(n, _)| n == name) {
            return Err(Error::invalid(
                field(name),
                format!("parameter \"{name}\" is given more than once"),
            ));
        }
        if !definitions.iter().any(|d| &d.name == name) {
            let known: Vec<&str> = definitions.iter().map(|d| d.name.as_str()).collect();
            return Err(Error::invalid(
                field(name),
                format!(
                    "unknown parameter \"{name}\"; the pipeline defines: {}",
                    known.join(", ")
                ),
            ));
        }
    }
    let mut out = Vec::new();
    for (i, def) in definitions.iter().enumerate() {
        if definitions[..i].iter().any(|d| d.name == def.name) {
            // Jenkins looks parameters up by name: the first definition wins.
            continue;
        }
        let kind = ParameterKind::of(&def.kind);
        match values.iter().find(|(n, _)| n == &def.name) {
            Some((_, value)) => out.push(ParameterValue {
                name: def.name.clone(),
                value: checked_value(def, kind, value)?,
            }),
            None if fill_defaults => {
                if let Some(value) = static_default(def, kind) {
                    out.push(ParameterValue {
                        name: def.name.clone(),
                        value,
                    });
                }
            }
            None => {}
        }
    }
    Ok(out)
}

fn checked_value(
    def: &ParameterDefinition,
    kind: ParameterKind,
    value: &Value,
) -> Result<String, Error> {
    let name = &def.name;
    let text = match value {
        Value::String(s) => s.clone(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::Null => String::new(),
        Value::Array(_) | Value::Object(_) => {
            return Err(Error::invalid(
                field(name),
                format!("parameter \"{name}\" takes a string, not a list or an object"),
            ))
        }
    };
    match kind {
        ParameterKind::Boolean => match text.as_str() {
            "true" | "false" => Ok(text),
            _ => Err(Error::invalid(
                field(name),
                format!("boolean parameter \"{name}\" must be true or false, not \"{text}\""),
            )),
        },
        ParameterKind::Choice => {
            let Some(choices) = &def.choices else {
                return Ok(text);
            };
            if choices.iter().any(|c| c == &text) {
                Ok(text)
            } else {
                Err(Error::invalid(
                    field(name),
                    format!(
                        "\"{text}\" is not a choice of parameter \"{name}\"; choices: {}",
                        choices
                            .iter()
                            .map(|c| format!("\"{c}\""))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                ))
            }
        }
        _ => Ok(text),
    }
}

fn static_default(def: &ParameterDefinition, kind: ParameterKind) -> Option<String> {
    if matches!(kind, ParameterKind::Password | ParameterKind::File) {
        return None;
    }
    match def.default_parameter_value.as_ref()?.value.as_ref()? {
        Value::String(s) => Some(s.clone()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::DefaultParameterValue;
    use serde_json::json;

    fn def(
        name: &str,
        kind: &str,
        default: Option<Value>,
        choices: Option<Vec<&str>>,
    ) -> ParameterDefinition {
        ParameterDefinition {
            name: name.into(),
            kind: kind.into(),
            description: None,
            default_parameter_value: default.map(|v| DefaultParameterValue {
                name: Some(name.into()),
                value: Some(v),
                extra: Default::default(),
            }),
            choices: choices.map(|c| c.into_iter().map(String::from).collect()),
            extra: Default::default(),
        }
    }

    fn defs() -> Vec<ParameterDefinition> {
        vec![
            def("S", "StringParameterDefinition", Some(json!("s")), None),
            def("B", "boolean", Some(json!(true)), None),
            def("C", "choice", Some(json!("a")), Some(vec!["a", "b"])),
            def("P", "PasswordParameterDefinition", None, None),
            def(
                "G",
                "string",
                Some(json!({"unresolved": true, "source": "env.X"})),
                None,
            ),
        ]
    }

    #[test]
    fn builds_payload_in_definition_order_with_defaults() {
        let out = check_parameters(
            &defs(),
            &[("C".into(), json!("b")), ("B".into(), json!(false))],
            true,
        )
        .unwrap();
        let pairs: Vec<(&str, &str)> = out
            .iter()
            .map(|p| (p.name.as_str(), p.value.as_str()))
            .collect();
        assert_eq!(pairs, [("S", "s"), ("B", "false"), ("C", "b")]);
        let out = check_parameters(&defs(), &[("B".into(), json!("true"))], false).unwrap();
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].value, "true");
    }

    #[test]
    fn rejects_bad_values_naming_the_parameter() {
        let e = check_parameters(&defs(), &[("X".into(), json!("1"))], false).unwrap_err();
        assert_eq!(e.field(), Some("parameters.X"));
        assert!(
            e.message().contains("unknown parameter \"X\""),
            "{}",
            e.message()
        );
        let e = check_parameters(&defs(), &[("C".into(), json!("z"))], false).unwrap_err();
        assert!(
            e.message()
                .contains("\"z\" is not a choice of parameter \"C\""),
            "{}",
            e.message()
        );
        let e = check_parameters(&defs(), &[("B".into(), json!("yes"))], false).unwrap_err();
        assert!(
            e.message().contains("must be true or false"),
            "{}",
            e.message()
        );
    }

    #[test]
    fn password_values_are_never_echoed() {
        let e = check_parameters(&defs(), &[("P".into(), json!(["hunter2"]))], false).unwrap_err();
        assert!(!e.message().contains("hunter2"));
        assert!(!format!("{e:?}").contains("hunter2"));
        let out = check_parameters(&defs(), &[("P".into(), json!("hunter2"))], false).unwrap();
        assert!(!format!("{out:?}").contains("hunter2"));
    }
}
