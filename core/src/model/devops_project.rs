//! DevOpsProject: the tenant unit that owns pipelines and credentials.

use super::annotations;
use super::meta::ObjectMeta;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DevOpsProject {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_version: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(default)]
    pub metadata: ObjectMeta,
    /// Argo CD settings and the like; kept as sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spec: Option<Map<String, Value>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<DevOpsProjectStatus>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DevOpsProjectStatus {
    /// The namespace holding the project's pipelines and credentials (named like the project).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub admin_namespace: Option<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl DevOpsProject {
    pub fn name(&self) -> Option<&str> {
        self.metadata.name()
    }

    /// Where its resources live: `status.adminNamespace`, else the project name.
    pub fn admin_namespace(&self) -> Option<&str> {
        self.status
            .as_ref()
            .and_then(|s| s.admin_namespace.as_deref())
            .or(self.name())
    }

    /// `kubesphere.io/workspace` label, when the server sets one.
    pub fn workspace(&self) -> Option<&str> {
        self.metadata.label(annotations::WORKSPACE_LABEL)
    }

    pub fn creator(&self) -> Option<&str> {
        self.metadata.annotation(annotations::CREATOR)
    }
}
