//! Which parts of a request body are secret, and masking them for display.

use super::request::Body;
use crate::Secret;
use serde_json::Value;

/// A place in a body that holds a secret value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum SecretField {
    /// Every value of the object at this JSON pointer (e.g. `/stringData`).
    JsonObjectValues(&'static str),
    /// Every form field with this name.
    FormField(&'static str),
    /// Every form field with this caller-given name (a password parameter of a form body).
    FormParameter(String),
    /// The `value` of each `{name, value}` entry called `name` in the list at `list` (a JSON
    /// pointer, e.g. `/parameters`): a password parameter.
    ParameterValue { list: &'static str, name: String },
}

pub(crate) fn mask_body(body: &Body, fields: &[SecretField]) -> Body {
    match body {
        Body::Json(value) => {
            let mut value = value.clone();
            for field in fields {
                mask_json(&mut value, field);
            }
            Body::Json(value)
        }
        Body::Form(pairs) => Body::Form(
            pairs
                .iter()
                .map(|(name, value)| {
                    let secret = fields.iter().any(|f| match f {
                        SecretField::FormField(n) => n == name,
                        SecretField::FormParameter(n) => n == name,
                        _ => false,
                    });
                    let shown = if secret { Secret::MASK } else { value };
                    (name.clone(), shown.to_owned())
                })
                .collect(),
        ),
    }
}

fn mask_json(value: &mut Value, field: &SecretField) {
    let masked = || Value::String(Secret::MASK.to_owned());
    match field {
        SecretField::JsonObjectValues(pointer) => {
            if let Some(Value::Object(map)) = value.pointer_mut(pointer) {
                map.values_mut().for_each(|v| *v = masked());
            }
        }
        SecretField::ParameterValue { list, name } => {
            if let Some(Value::Array(entries)) = value.pointer_mut(list) {
                entries
                    .iter_mut()
                    .filter(|entry| entry.get("name").and_then(Value::as_str) == Some(name))
                    .filter_map(|entry| entry.get_mut("value"))
                    .for_each(|v| *v = masked());
            }
        }
        SecretField::FormField(_) | SecretField::FormParameter(_) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn masks_every_value_of_an_object() {
        let body = Body::Json(json!({"a": "x", "s": {"k": "v", "n": 1}}));
        let masked = mask_body(&body, &[SecretField::JsonObjectValues("/s")]);
        assert_eq!(
            masked,
            Body::Json(json!({"a": "x", "s": {"k": "***", "n": "***"}}))
        );
    }

    #[test]
    fn masks_only_the_value_of_the_named_parameter() {
        let body = Body::Json(json!({"spec": {"parameters": [
            {"name": "USER", "value": "ann"},
            {"name": "PASS", "value": "hunter2"},
        ]}}));
        let field = SecretField::ParameterValue {
            list: "/spec/parameters",
            name: "PASS".into(),
        };
        assert_eq!(
            mask_body(&body, &[field]),
            Body::Json(json!({"spec": {"parameters": [
                {"name": "USER", "value": "ann"},
                {"name": "PASS", "value": "***"},
            ]}}))
        );
    }

    #[test]
    fn masks_form_fields_by_name() {
        let body = Body::Form(vec![
            ("username".into(), "admin".into()),
            ("password".into(), "hunter2".into()),
        ]);
        let masked = mask_body(&body, &[SecretField::FormField("password")]);
        assert_eq!(
            masked,
            Body::Form(vec![
                ("username".into(), "admin".into()),
                ("password".into(), "***".into()),
            ])
        );
    }
}
