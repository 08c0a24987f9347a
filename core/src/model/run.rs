//! A Jenkins run as BlueOcean describes it: v1alpha2 run endpoints, the
//! `jenkins-pipelinerun-status` annotation and a branch's `latestRun` (reference §3.4, §3.7).

use super::artifact::Artifact;
use super::branch::{BranchInfo, PullRequest};
use super::run_state::{RunResult, RunState};
use super::time::Timestamp;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// Every field is optional: the sources differ in what they send and many values are `null`
/// while a run is queued. Links, actions, change sets and the like stay in `extra`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Run {
    #[serde(rename = "_class", default, skip_serializing_if = "Option::is_none")]
    pub class: Option<String>,
    /// The build number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The job name (the branch job name for multi-branch pipelines).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pipeline: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<RunState>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result: Option<RunResult>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub en_queue_time: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_time: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_time: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration_in_millis: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub estimated_duration_in_millis: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub causes: Option<Vec<Cause>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cause_of_blockage: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Present on the answer to "run" and "replay".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub queue_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commit_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commit_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub branch: Option<BranchInfo>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pull_request: Option<PullRequest>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub run_summary: Option<String>,
    /// e.g. `WorkflowRun`.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replayable: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub artifacts: Option<Vec<Artifact>>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A branch's most recent run, as stored in `jenkins-branches`.
pub type LatestRun = Run;

impl Run {
    /// Finished (or skipped / not built): state and result will not change any more.
    pub fn is_finished(&self) -> bool {
        self.state.as_ref().is_some_and(RunState::is_terminal)
    }

    /// Waiting for an input step to be approved or aborted.
    pub fn is_paused(&self) -> bool {
        self.state == Some(RunState::Paused)
    }
}

/// Why a run started, e.g. "Started by user admin".
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Cause {
    #[serde(rename = "_class", default, skip_serializing_if = "Option::is_none")]
    pub class: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub short_description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_name: Option<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}
