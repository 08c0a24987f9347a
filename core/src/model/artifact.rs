//! A file archived by a run (v1alpha2 artifact listing, reference §3.7).

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Artifact {
    #[serde(rename = "_class", default, skip_serializing_if = "Option::is_none")]
    pub class: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Path inside the run's archive: the `filename` to download it through v1alpha3.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// Bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<i64>,
    /// Jenkins-relative URL; not reachable through KubeSphere.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub downloadable: Option<bool>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Artifact {
    /// The name to download it by: `path`, else `name`.
    pub fn file_path(&self) -> Option<&str> {
        self.path.as_deref().or(self.name.as_deref())
    }
}
