//! `pipeline.devops.kubesphere.io/jenkins-metadata`: Jenkins' view of a pipeline (reference §3.5).

use super::ParameterDefinition;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// Parameters here use simplified types (`string`, `choice`, `text`, `boolean`, `file`,
/// `password`) and appear only after Jenkins has run the pipeline once.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PipelineMetadata {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weather_score: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub estimated_duration_in_millis: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parameters: Option<Vec<ParameterDefinition>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disabled: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number_of_pipelines: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number_of_folders: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pipeline_folder_names: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_number_of_branches: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number_of_failing_branches: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number_of_successful_branches: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_number_of_pull_requests: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number_of_failing_pull_requests: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number_of_successful_pull_requests: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub branch_names: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scm_source: Option<ScmSourceInfo>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub script_path: Option<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl PipelineMetadata {
    /// The parameter definitions, empty when Jenkins does not know any yet.
    pub fn parameters(&self) -> &[ParameterDefinition] {
        self.parameters.as_deref().unwrap_or_default()
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ScmSourceInfo {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_url: Option<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}
