//! Parameter definitions as Jenkins' REST API shows them, and the values a run is given.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A job or input parameter as Jenkins (and ks-devops branch/metadata JSON) describes it.
/// `type` is the Jenkins class name (e.g. `StringParameterDefinition`) or, in KubeSphere's
/// synced metadata, a simplified name (`string`, `choice`, …).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ParameterDefinition {
    pub name: String,
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_parameter_value: Option<DefaultParameterValue>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub choices: Option<Vec<String>>,
    #[serde(flatten)]
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
        let short = self.kind.rsplit('.').next().unwrap_or(&self.kind);
        let short = short.strip_suffix("ParameterDefinition").unwrap_or(short);
        short.eq_ignore_ascii_case("password")
    }

    /// A field Jenkins computes at run time (`name`, `description`, `choices`,
    /// `defaultValue`), as `{"unresolved": true, "source": "<groovy>"}`. Such a field's
    /// typed value is then the Groovy source (`name`) or absent.
    pub fn unresolved(&self, field: &str) -> Option<&Value> {
        self.extra.get("unresolved")?.get(field)
    }
}
