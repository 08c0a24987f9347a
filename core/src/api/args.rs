//! Reading the JSON arguments of `build_request`, with errors that name the argument.

use crate::error::{Error, Result};
use crate::model::ParameterValue;
use crate::Secret;
use serde_json::{Map, Value};

pub(crate) struct Args<'a> {
    prefix: String,
    map: &'a Map<String, Value>,
}

static EMPTY: std::sync::OnceLock<Map<String, Value>> = std::sync::OnceLock::new();

impl<'a> Args<'a> {
    /// `args` must be an object (or null, for operations without arguments).
    pub(crate) fn new(args: &'a Value) -> Result<Self> {
        match args {
            Value::Object(map) => Ok(Args {
                prefix: String::new(),
                map,
            }),
            Value::Null => Ok(Args {
                prefix: String::new(),
                map: EMPTY.get_or_init(Map::new),
            }),
            _ => Err(Error::invalid("args", "must be a JSON object")),
        }
    }

    /// The object argument `name`, read with field names prefixed `name.`.
    pub(crate) fn object(&self, name: &str) -> Result<Args<'a>> {
        match self.get(name) {
            Some(Value::Object(map)) => Ok(Args {
                prefix: self.field(name) + ".",
                map,
            }),
            Some(_) => Err(Error::invalid(self.field(name), "must be a JSON object")),
            None => Err(self.missing(name)),
        }
    }

    pub(crate) fn field(&self, name: &str) -> String {
        format!("{}{name}", self.prefix)
    }

    fn missing(&self, name: &str) -> Error {
        Error::invalid(self.field(name), "is required")
    }

    fn get(&self, name: &str) -> Option<&'a Value> {
        self.map.get(name).filter(|v| !v.is_null())
    }

    /// Refuses arguments the operation does not know (a misspelt name would be ignored otherwise).
    pub(crate) fn only(&self, allowed: &[&str]) -> Result<()> {
        match self.map.keys().find(|k| !allowed.contains(&k.as_str())) {
            None => Ok(()),
            Some(key) => Err(Error::invalid(
                self.field(key),
                format!(
                    "is not an argument here; expected one of: {}",
                    allowed.join(", ")
                ),
            )),
        }
    }

    pub(crate) fn value(&self, name: &str) -> Result<&'a Value> {
        self.get(name).ok_or_else(|| self.missing(name))
    }

    pub(crate) fn str(&self, name: &str) -> Result<&'a str> {
        self.opt_str(name)?.ok_or_else(|| self.missing(name))
    }

    pub(crate) fn opt_str(&self, name: &str) -> Result<Option<&'a str>> {
        match self.get(name) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(other) => Err(Error::invalid(
                self.field(name),
                format!("{other} is not a string"),
            )),
        }
    }

    /// A secret string: its value never appears in an error.
    pub(crate) fn secret(&self, name: &str) -> Result<Secret> {
        self.opt_secret(name)?.ok_or_else(|| self.missing(name))
    }

    pub(crate) fn opt_secret(&self, name: &str) -> Result<Option<Secret>> {
        match self.get(name) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(Secret::new(s.as_str()))),
            Some(_) => Err(Error::invalid(self.field(name), "must be a string")),
        }
    }

    /// A non-negative integer; a string of digits is accepted too (`"0"`).
    pub(crate) fn opt_u64(&self, name: &str) -> Result<Option<u64>> {
        match self.get(name) {
            None => Ok(None),
            Some(Value::Number(n)) if n.as_u64().is_some() => Ok(n.as_u64()),
            Some(Value::String(s)) if s.parse::<u64>().is_ok() => Ok(s.parse().ok()),
            Some(other) => Err(Error::invalid(
                self.field(name),
                format!("{other} is not a non-negative integer"),
            )),
        }
    }

    pub(crate) fn bool(&self, name: &str) -> Result<bool> {
        match self.get(name) {
            None => Ok(false),
            Some(Value::Bool(b)) => Ok(*b),
            Some(other) => Err(Error::invalid(
                self.field(name),
                format!("{other} is not true or false"),
            )),
        }
    }

    /// `[{name, value, secret?}]`; values may be strings, numbers or booleans and are sent as
    /// strings (what the server does with them anyway). `secret: true` marks a password
    /// parameter: its value is masked wherever the request is shown.
    pub(crate) fn parameters(&self, name: &str) -> Result<Parameters> {
        let items = match self.get(name) {
            None => return Ok(Parameters::default()),
            Some(Value::Array(items)) => items,
            Some(_) => {
                return Err(Error::invalid(
                    self.field(name),
                    "must be a list of {name, value}",
                ))
            }
        };
        let mut out = Parameters::default();
        for (i, item) in items.iter().enumerate() {
            let field = format!("{}[{i}]", self.field(name));
            let entry = match item {
                Value::Object(entry) => entry,
                _ => {
                    return Err(Error::invalid(
                        field,
                        "must be an object {name, value, secret?}",
                    ))
                }
            };
            if let Some(key) = entry
                .keys()
                .find(|k| !["name", "value", "secret"].contains(&k.as_str()))
            {
                return Err(Error::invalid(
                    format!("{field}.{key}"),
                    "is not a parameter field; expected name, value and optionally secret",
                ));
            }
            let name = entry.get("name").and_then(Value::as_str).ok_or_else(|| {
                Error::invalid(format!("{field}.name"), "is required and must be a string")
            })?;
            let secret = match entry.get("secret") {
                None | Some(Value::Null) => false,
                Some(Value::Bool(secret)) => *secret,
                Some(other) => {
                    return Err(Error::invalid(
                        format!("{field}.secret"),
                        format!("{other} is not true or false"),
                    ))
                }
            };
            // A secret value is never quoted in an error.
            let value = match entry.get("value") {
                Some(Value::String(s)) => s.clone(),
                Some(v @ (Value::Bool(_) | Value::Number(_))) => v.to_string(),
                _ => {
                    return Err(Error::invalid(
                        format!("{field}.value"),
                        "is required and must be a string, number or boolean",
                    ))
                }
            };
            if secret {
                out.secret_names.push(name.to_owned());
            }
            out.values.push(ParameterValue {
                name: name.to_owned(),
                value,
            });
        }
        Ok(out)
    }
}

/// Run or input parameters read from the arguments, with the names of the secret ones.
#[derive(Default)]
pub(crate) struct Parameters {
    pub(crate) values: Vec<ParameterValue>,
    pub(crate) secret_names: Vec<String>,
}
