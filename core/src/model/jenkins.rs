//! What Jenkins' own REST API answers (`api/json`), for direct Jenkins access.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// A job or folder in a Jenkins folder listing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JenkinsJob {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// The job's status ball (`blue`, `red_anime`, …); folders have none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub color: Option<String>,
    /// Jenkins' class name of the item.
    #[serde(rename = "_class", default, skip_serializing_if = "Option::is_none")]
    pub class: Option<String>,
}

impl JenkinsJob {
    /// Whether the item holds other jobs (a folder or a multi-branch project).
    pub fn is_folder(&self) -> bool {
        self.class
            .as_deref()
            .is_some_and(|c| c.contains("Folder") || c.contains("MultiBranchProject"))
    }
}

/// A folder's (or Jenkins' top level's) `api/json`: its jobs.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub(crate) struct JenkinsJobList {
    #[serde(default)]
    pub jobs: Option<Vec<JenkinsJob>>,
}

/// A build's `api/json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct JenkinsBuild {
    pub number: u64,
    #[serde(default)]
    pub building: bool,
    /// `SUCCESS`, `FAILURE`, `UNSTABLE`, `ABORTED`, `NOT_BUILT`; none while building.
    #[serde(default)]
    pub result: Option<String>,
    /// Milliseconds, once finished.
    #[serde(default)]
    pub duration: i64,
    /// Start time, milliseconds since the epoch.
    #[serde(default)]
    pub timestamp: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub queue_id: Option<u64>,
    #[serde(default)]
    pub artifacts: Vec<JenkinsArtifact>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl JenkinsBuild {
    /// The build's parameters, as Jenkins lists them in its `ParametersAction`. Values of
    /// password parameters are not given by Jenkins.
    pub fn parameters(&self) -> Vec<(String, Option<Value>)> {
        let actions = self.extra.get("actions").and_then(Value::as_array);
        actions
            .into_iter()
            .flatten()
            .filter_map(|a| a.get("parameters").and_then(Value::as_array))
            .flatten()
            .filter_map(|p| {
                let name = p.get("name")?.as_str()?.to_owned();
                Some((name, p.get("value").cloned()))
            })
            .collect()
    }
}

/// A file a build archived.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct JenkinsArtifact {
    pub file_name: String,
    pub relative_path: String,
}

/// A queue item (`queue/item/{id}/api/json`): `executable` once the build started.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub(crate) struct JenkinsQueueItem {
    #[serde(default)]
    pub executable: Option<JenkinsExecutable>,
    #[serde(default)]
    pub cancelled: bool,
    #[serde(default)]
    pub why: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub(crate) struct JenkinsExecutable {
    pub number: u64,
}

/// One label of the agent-labels dashboard, with what Jenkins says about it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AgentLabel {
    pub label: String,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}
