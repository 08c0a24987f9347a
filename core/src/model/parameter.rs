//! Parameter definitions as Jenkins' REST API shows them, and the values a run is given.

use serde::ser::SerializeMap;
use serde::{Deserialize, Serialize, Serializer};
use serde_json::{Map, Value};

use super::ParameterKind;

/// A job or input parameter as Jenkins (and ks-devops branch/metadata JSON) describes it.
/// `type` is the Jenkins class name (e.g. `StringParameterDefinition`) or, in KubeSphere's
/// synced metadata, a simplified name (`string`, `choice`, …).
///
/// A field that Jenkins only knows once the build runs (read from a Jenkinsfile whose
/// parameter uses `env.X`, a GString, a variable…) is, in JSON, the object
/// `{"unresolved": true, "source": "<groovy>"}` in the field's own place: `name`,
/// `description`, `choices` or `defaultParameterValue.value`. In Rust such a field holds no
/// typed value (`name` is empty, `description`/`choices` are `None`) and
/// [`unresolved`](Self::unresolved) gives the object; a default's `value` is the object.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(try_from = "wire::Definition")]
pub struct ParameterDefinition {
    pub name: String,
    /// `type` in JSON.
    pub kind: String,
    pub description: Option<String>,
    pub default_parameter_value: Option<DefaultParameterValue>,
    pub choices: Option<Vec<String>>,
    /// Other fields, kept as they are (`_class`, `trim`, …).
    pub extra: serde_json::Map<String, Value>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DefaultParameterValue {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<Value>,
    #[serde(flatten)]
    pub extra: serde_json::Map<String, Value>,
}

/// One `{name, value}` entry of a run payload.
///
/// Debug masks the value: it may be a password parameter's.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParameterValue {
    pub name: String,
    pub value: String,
}

impl std::fmt::Debug for ParameterValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ParameterValue")
            .field("name", &self.name)
            .field("value", &crate::Secret::MASK)
            .finish()
    }
}

impl ParameterDefinition {
    /// Whether this is a password parameter (`PasswordParameterDefinition`, its full class
    /// name, or KubeSphere's simplified `password`): its values are secrets.
    pub fn is_password(&self) -> bool {
        ParameterKind::of(&self.kind) == ParameterKind::Password
    }

    /// A field Jenkins computes at run time (`name`, `description`, `choices`,
    /// `defaultValue`), as `{"unresolved": true, "source": "<groovy>"}`; the typed field
    /// holds no value then (for `defaultValue`, the default's `value` is this object).
    pub fn unresolved(&self, field: &str) -> Option<&Value> {
        if field == "defaultValue" {
            let value = self.default_parameter_value.as_ref()?.value.as_ref()?;
            return is_unresolved(value).then_some(value);
        }
        self.extra.get(UNRESOLVED)?.get(field)
    }

    /// Whether any field is only known when the build runs.
    pub fn has_unresolved(&self) -> bool {
        ["name", "description", "choices", "defaultValue"]
            .iter()
            .any(|f| self.unresolved(f).is_some())
    }

    /// Records that `field` (`name`, `description` or `choices`) is computed at run time from
    /// `source`, clearing its typed value.
    pub fn set_unresolved(&mut self, field: &str, source: &str) {
        match field {
            "name" => self.name.clear(),
            "description" => self.description = None,
            "choices" => self.choices = None,
            _ => {}
        }
        let fields = self
            .extra
            .entry(UNRESOLVED)
            .or_insert_with(|| Value::Object(Map::new()));
        if let Value::Object(fields) = fields {
            fields.insert(field.to_owned(), unresolved_value(source));
        }
    }
}

/// Where [`ParameterDefinition`] keeps its unresolved fields; serialized inline instead.
const UNRESOLVED: &str = "unresolved";

/// `{"unresolved": true, "source": source}`: a value only known when the build runs.
pub fn unresolved_value(source: &str) -> Value {
    let mut m = Map::new();
    m.insert("unresolved".into(), Value::Bool(true));
    m.insert("source".into(), Value::String(source.to_owned()));
    Value::Object(m)
}

/// Whether `value` is `{"unresolved": true, …}`.
pub fn is_unresolved(value: &Value) -> bool {
    value.get("unresolved") == Some(&Value::Bool(true))
}

impl Serialize for ParameterDefinition {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let inline = |field: &str| self.extra.get(UNRESOLVED).and_then(|u| u.get(field));
        let mut m = serializer.serialize_map(None)?;
        match inline("name") {
            Some(v) => m.serialize_entry("name", v)?,
            None => m.serialize_entry("name", &self.name)?,
        }
        m.serialize_entry("type", &self.kind)?;
        match (inline("description"), &self.description) {
            (Some(v), _) => m.serialize_entry("description", v)?,
            (None, Some(d)) => m.serialize_entry("description", d)?,
            (None, None) => {}
        }
        if let Some(d) = &self.default_parameter_value {
            let name = inline("name").filter(|_| d.name.is_none() || d.name.as_deref() == Some(""));
            m.serialize_entry(
                "defaultParameterValue",
                &wire::DefaultOut { value: d, name },
            )?;
        }
        match (inline("choices"), &self.choices) {
            (Some(v), _) => m.serialize_entry("choices", v)?,
            (None, Some(c)) => m.serialize_entry("choices", c)?,
            (None, None) => {}
        }
        for (k, v) in &self.extra {
            if k != UNRESOLVED || !v.is_object() {
                m.serialize_entry(k, v)?;
            }
        }
        m.end()
    }
}

/// The JSON shape, where a field may be a value or `{"unresolved": true, "source": …}`.
mod wire {
    use super::{is_unresolved, DefaultParameterValue, ParameterDefinition, UNRESOLVED};
    use serde::ser::SerializeMap;
    use serde::{Deserialize, Serialize, Serializer};
    use serde_json::{Map, Value};

    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct Definition {
        name: Value,
        #[serde(rename = "type")]
        kind: String,
        #[serde(default)]
        description: Option<Value>,
        #[serde(default)]
        default_parameter_value: Option<Default>,
        #[serde(default)]
        choices: Option<Value>,
        #[serde(flatten)]
        extra: Map<String, Value>,
    }

    #[derive(Deserialize)]
    pub struct Default {
        #[serde(default)]
        name: Option<Value>,
        #[serde(default)]
        value: Option<Value>,
        #[serde(flatten)]
        extra: Map<String, Value>,
    }

    /// A field's typed value, or the unresolved object to record.
    enum Field<T> {
        Known(T),
        Unresolved,
    }

    fn field<T: serde::de::DeserializeOwned>(name: &str, value: Value) -> Result<Field<T>, String> {
        if is_unresolved(&value) {
            return Ok(Field::Unresolved);
        }
        serde_json::from_value(value)
            .map(Field::Known)
            .map_err(|e| {
                format!(
                    "parameter field \"{name}\": {e}, or {{\"unresolved\": true, \"source\": …}}"
                )
            })
    }

    impl TryFrom<Definition> for ParameterDefinition {
        type Error = String;

        fn try_from(w: Definition) -> Result<Self, String> {
            let mut unresolved = Map::new();
            let mut known = |f: &str, v: Option<Value>| -> Result<Option<Value>, String> {
                match v {
                    Some(v) if is_unresolved(&v) => {
                        unresolved.insert(f.to_owned(), v);
                        Ok(None)
                    }
                    other => Ok(other),
                }
            };
            let name: String = match known("name", Some(w.name))? {
                Some(v) => match field::<String>("name", v)? {
                    Field::Known(s) => s,
                    Field::Unresolved => String::new(),
                },
                None => String::new(),
            };
            let description = match known("description", w.description)? {
                Some(Value::Null) | None => None,
                Some(v) => match field::<String>("description", v)? {
                    Field::Known(s) => Some(s),
                    Field::Unresolved => None,
                },
            };
            let choices = match known("choices", w.choices)? {
                Some(Value::Null) | None => None,
                Some(v) => match field::<Vec<String>>("choices", v)? {
                    Field::Known(c) => Some(c),
                    Field::Unresolved => None,
                },
            };
            let default_parameter_value = match w.default_parameter_value {
                None => None,
                Some(d) => Some(DefaultParameterValue {
                    name: match d.name {
                        Some(Value::String(s)) => Some(s),
                        Some(v) if is_unresolved(&v) || v.is_null() => None,
                        Some(other) => {
                            return Err(format!(
                                "parameter field \"defaultParameterValue.name\": expected a string, got {other}"
                            ))
                        }
                        None => None,
                    },
                    value: d.value,
                    extra: d.extra,
                }),
            };
            let mut extra = w.extra;
            if !unresolved.is_empty() {
                extra.insert(UNRESOLVED.to_owned(), Value::Object(unresolved));
            }
            Ok(ParameterDefinition {
                name,
                kind: w.kind,
                description,
                default_parameter_value,
                choices,
                extra,
            })
        }
    }

    /// A default value, with the parameter's unresolved name inline as its `name`.
    pub struct DefaultOut<'a> {
        pub value: &'a DefaultParameterValue,
        pub name: Option<&'a Value>,
    }

    impl Serialize for DefaultOut<'_> {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            let d = self.value;
            let mut m = serializer.serialize_map(None)?;
            match (self.name, &d.name) {
                (Some(v), _) => m.serialize_entry("name", v)?,
                (None, Some(n)) => m.serialize_entry("name", n)?,
                (None, None) => {}
            }
            if let Some(v) = &d.value {
                m.serialize_entry("value", v)?;
            }
            for (k, v) in &d.extra {
                m.serialize_entry(k, v)?;
            }
            m.end()
        }
    }
}
