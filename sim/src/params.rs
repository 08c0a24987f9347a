//! Job parameter definitions and their JSON shapes: Jenkins' (BlueOcean), jenkins-client's
//! (v1alpha3 branches and inputs) and KubeSphere's simplified metadata form.

use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

use ksdevops::model::ParameterKind;

/// A job or input parameter, with its simplified type (`string`, `text`, `boolean`, `choice`,
/// `password`, `file`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ParamDef {
    pub name: String,
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub default: Option<Value>,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub choices: Option<Vec<String>>,
}

impl ParamDef {
    pub fn parameter_kind(&self) -> ParameterKind {
        ParameterKind::of(&self.kind)
    }

    pub fn is_password(&self) -> bool {
        self.parameter_kind() == ParameterKind::Password
    }

    /// Jenkins' type name: `string` ⇒ `StringParameterDefinition`; any other type as given.
    pub fn jenkins_type(&self) -> String {
        self.parameter_kind()
            .jenkins_type()
            .map_or_else(|| self.kind.clone(), str::to_owned)
    }

    /// The value Jenkins uses when a run does not give one.
    pub fn default_value(&self) -> String {
        if self.parameter_kind() == ParameterKind::Choice {
            return self
                .choices
                .as_ref()
                .and_then(|c| c.first().cloned())
                .unwrap_or_default();
        }
        match &self.default {
            Some(Value::String(s)) => s.clone(),
            Some(Value::Bool(b)) => b.to_string(),
            Some(Value::Null) | None => {
                if self.parameter_kind() == ParameterKind::Boolean {
                    "false".into()
                } else {
                    String::new()
                }
            }
            Some(other) => other.to_string(),
        }
    }

    /// BlueOcean / Jenkins REST shape.
    pub fn to_jenkins_json(&self) -> Value {
        let t = self.jenkins_type();
        let value_class = t.replace("Definition", "Value");
        let mut default = json!({
            "_class": format!("hudson.model.{value_class}"),
            "name": self.name,
        });
        if !self.is_password() {
            default["value"] = match self.parameter_kind() {
                ParameterKind::Boolean => json!(self.default_value() == "true"),
                _ => json!(self.default_value()),
            };
        }
        let mut v = json!({
            "_class": format!("hudson.model.{t}"),
            "defaultParameterValue": default,
            "description": self.description,
            "name": self.name,
            "type": t,
        });
        if let Some(c) = &self.choices {
            v["choices"] = json!(c);
        }
        v
    }

    /// KubeSphere's `jenkins-metadata` shape: jenkins-client fields, simplified type.
    pub fn to_metadata_json(&self) -> Value {
        let mut v = jenkins_to_client_param(&self.to_jenkins_json());
        v["type"] = json!(self.kind);
        v
    }
}

/// Converts a Jenkins parameter definition into jenkins-client's `job.ParameterDefinition`
/// (no `_class`, `value` always present).
pub fn jenkins_to_client_param(p: &Value) -> Value {
    let mut out = Map::new();
    if let Some(d) = p.get("description") {
        out.insert("description".into(), d.clone());
    }
    out.insert("name".into(), p.get("name").cloned().unwrap_or(json!("")));
    out.insert("type".into(), p.get("type").cloned().unwrap_or(json!("")));
    out.insert("value".into(), json!(""));
    if let Some(d) = p.get("defaultParameterValue") {
        let mut dv = Map::new();
        dv.insert("name".into(), d.get("name").cloned().unwrap_or(json!("")));
        if let Some(v) = d.get("value") {
            dv.insert("value".into(), v.clone());
        }
        out.insert("defaultParameterValue".into(), Value::Object(dv));
    }
    if let Some(c) = p.get("choices") {
        out.insert("choices".into(), c.clone());
    }
    Value::Object(out)
}

/// Parameters configured on the Pipeline CR (`spec.pipeline.parameters`:
/// `{name, type, default_value, description}`); a choice's `default_value` lists the
/// choices one per line, as the KubeSphere console writes it.
pub fn from_cr_parameters(params: &Value) -> Vec<ParamDef> {
    let Some(list) = params.as_array() else {
        return Vec::new();
    };
    list.iter()
        .filter_map(|p| {
            let name = p.get("name")?.as_str()?.to_string();
            let raw_kind = p.get("type").and_then(Value::as_str).unwrap_or("string");
            let kind = metadata_type(raw_kind);
            let default_text = p
                .get("default_value")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string();
            let (default, choices) = match ParameterKind::of(&kind) {
                ParameterKind::Choice => (
                    None,
                    Some(
                        default_text
                            .lines()
                            .map(str::to_string)
                            .filter(|s| !s.is_empty())
                            .collect(),
                    ),
                ),
                ParameterKind::Boolean => (Some(json!(default_text == "true")), None),
                _ => (Some(json!(default_text)), None),
            };
            Some(ParamDef {
                name,
                kind,
                default,
                description: p
                    .get("description")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string(),
                choices,
            })
        })
        .collect()
}

/// The type ks-devops shows for a parameter of type `t`: the simplified name of a kind it
/// knows (`hudson.model.StringParameterDefinition` ⇒ `string`), any other type as given.
pub fn metadata_type(t: &str) -> String {
    ParameterKind::of(t)
        .simplified()
        .map_or_else(|| t.to_owned(), str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jenkins_shape_has_classes_and_hides_password_defaults() {
        let p = ParamDef {
            name: "TOKEN".into(),
            kind: "password".into(),
            default: Some(json!("s3cret")),
            description: String::new(),
            choices: None,
        };
        let j = p.to_jenkins_json();
        assert_eq!(j["type"], "PasswordParameterDefinition");
        assert_eq!(j["_class"], "hudson.model.PasswordParameterDefinition");
        assert!(j["defaultParameterValue"].get("value").is_none());
        assert!(!j.to_string().contains("s3cret"));
        let m = p.to_metadata_json();
        assert_eq!(m["type"], "password");
        assert_eq!(m["value"], "");
    }

    #[test]
    fn cr_choice_parameters_split_lines() {
        let defs = from_cr_parameters(&json!([
            {"name": "env", "type": "choice", "default_value": "dev\nprod"},
            {"name": "debug", "type": "boolean", "default_value": "true"}
        ]));
        assert_eq!(
            defs[0].choices.as_deref(),
            Some(&["dev".to_string(), "prod".to_string()][..])
        );
        assert_eq!(defs[0].default_value(), "dev");
        assert_eq!(
            defs[1].to_jenkins_json()["defaultParameterValue"]["value"],
            json!(true)
        );
    }
}
