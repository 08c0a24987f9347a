//! Checking user-given values against parameter definitions, producing a run payload.

use serde_json::Value;

pub use crate::model::ParameterKind;
use crate::model::{ParameterDefinition, ParameterValue};
use crate::Error;

fn field(name: &str) -> String {
    format!("parameters.{name}")
}

/// Turns `values` into the run payload for `definitions`: every name must be defined, a choice
/// must be one of the choices, a boolean must be `true`/`false` (sent as `"true"`/`"false"`).
/// With `fill_defaults`, parameters without a value get their static default (a secret
/// default is left for Jenkins to fill). A value only known when the build runs (a default
/// or a name that is [`unresolved`](ParameterDefinition::unresolved)) is never filled: that
/// is an error asking for the value. The payload follows the definitions' order. Password
/// values never appear in errors.
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
        if !definitions.iter().any(|d| named(d) == Some(name)) {
            return Err(Error::invalid(
                field(name),
                unknown_message(definitions, name),
            ));
        }
    }
    let mut out = Vec::new();
    for (i, def) in definitions.iter().enumerate() {
        let Some(name) = named(def) else {
            if fill_defaults {
                return Err(Error::invalid(
                    "parameters",
                    format!(
                        "the name of parameter {} is only known when the build runs, so its value cannot be filled; check the values without filling defaults and let Jenkins apply them",
                        source_of(def.unresolved("name"))
                    ),
                ));
            }
            continue;
        };
        if definitions[..i].iter().any(|d| named(d) == Some(name)) {
            // Jenkins looks parameters up by name: the first definition wins.
            continue;
        }
        let kind = ParameterKind::of(&def.kind);
        match values.iter().find(|(n, _)| n == name) {
            Some((_, value)) => out.push(ParameterValue {
                name: name.to_owned(),
                value: checked_value(def, kind, value)?,
            }),
            None if fill_defaults => match static_default(def, kind) {
                StaticDefault::Known(value) => out.push(ParameterValue {
                    name: name.to_owned(),
                    value,
                }),
                StaticDefault::None => {}
                StaticDefault::Unresolved(source) => {
                    return Err(Error::invalid(
                        field(name),
                        format!(
                            "the default of parameter \"{name}\" is only known when the build runs ({source}); give a value for it"
                        ),
                    ))
                }
            },
            None => {}
        }
    }
    Ok(out)
}

/// The parameter's name, unless Jenkins only knows it when the build runs.
fn named(def: &ParameterDefinition) -> Option<&str> {
    def.unresolved("name")
        .is_none()
        .then_some(def.name.as_str())
}

fn source_of(unresolved: Option<&Value>) -> &str {
    unresolved
        .and_then(|u| u.get("source"))
        .and_then(Value::as_str)
        .unwrap_or("?")
}

fn unknown_message(definitions: &[ParameterDefinition], name: &str) -> String {
    let known: Vec<&str> = definitions.iter().filter_map(named).collect();
    let mut message = format!(
        "unknown parameter \"{name}\"; the pipeline defines: {}",
        known.join(", ")
    );
    let later: Vec<&str> = definitions
        .iter()
        .filter(|d| named(d).is_none())
        .map(|d| source_of(d.unresolved("name")))
        .collect();
    if !later.is_empty() {
        message.push_str(&format!(
            " (and parameters named only when the build runs: {})",
            later.join(", ")
        ));
    }
    message
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

/// A parameter's default as far as it is known before the build runs.
enum StaticDefault {
    Known(String),
    None,
    /// Computed at run time from this Groovy source.
    Unresolved(String),
}

fn static_default(def: &ParameterDefinition, kind: ParameterKind) -> StaticDefault {
    if matches!(kind, ParameterKind::Password | ParameterKind::File) {
        return StaticDefault::None;
    }
    if let Some(unresolved) = def.unresolved("defaultValue") {
        return StaticDefault::Unresolved(source_of(Some(unresolved)).to_owned());
    }
    let value = def
        .default_parameter_value
        .as_ref()
        .and_then(|d| d.value.as_ref());
    match value {
        Some(Value::String(s)) => StaticDefault::Known(s.clone()),
        Some(Value::Bool(b)) => StaticDefault::Known(b.to_string()),
        Some(Value::Number(n)) => StaticDefault::Known(n.to_string()),
        _ => StaticDefault::None,
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
            &[
                ("C".into(), json!("b")),
                ("B".into(), json!(false)),
                ("G".into(), json!("g")),
            ],
            true,
        )
        .unwrap();
        let pairs: Vec<(&str, &str)> = out
            .iter()
            .map(|p| (p.name.as_str(), p.value.as_str()))
            .collect();
        assert_eq!(pairs, [("S", "s"), ("B", "false"), ("C", "b"), ("G", "g")]);
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

    #[test]
    fn never_fills_a_default_known_only_at_run_time() {
        let e = check_parameters(&defs(), &[], true).unwrap_err();
        assert_eq!(e.field(), Some("parameters.G"));
        assert!(e.message().contains("env.X"), "{}", e.message());
        // Without filling, nothing is asked for.
        assert!(check_parameters(&defs(), &[], false).unwrap().is_empty());
    }

    #[test]
    fn a_name_known_only_at_run_time_cannot_be_given_or_filled() {
        let mut d = def("", "string", Some(json!("v")), None);
        d.set_unresolved("name", "\"${P}_X\"");
        let definitions = vec![d, def("S", "string", Some(json!("s")), None)];
        let e = check_parameters(&definitions, &[("X".into(), json!("1"))], false).unwrap_err();
        assert!(e.message().contains("${P}_X"), "{}", e.message());
        let e = check_parameters(&definitions, &[], true).unwrap_err();
        assert_eq!(e.field(), Some("parameters"));
        let out = check_parameters(&definitions, &[("S".into(), json!("t"))], false).unwrap();
        assert_eq!(out.len(), 1);
    }
}
