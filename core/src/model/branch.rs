//! A branch (or pull request) of a multi-branch pipeline (v1alpha3 §3.4; also BlueOcean's
//! `branches/` items, whose extra fields are kept).

use super::run::LatestRun;
use super::{ParameterDefinition, RunState};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Branch {
    /// Jenkins job name, URL-encoded once (`feat%2Fx`): the name to address the branch by.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Display name (`feat/x`), v1alpha3.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub raw_name: Option<String>,
    /// Display name, BlueOcean / v1alpha2.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    #[serde(default)]
    pub weather_score: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disabled: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latest_run: Option<LatestRun>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub branch: Option<BranchInfo>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pull_request: Option<PullRequest>,
    /// Jenkins parameter definitions with raw types (`StringParameterDefinition`, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parameters: Option<Vec<ParameterDefinition>>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Branch {
    /// The human name: `rawName`, else `displayName`, else the job name.
    pub fn display(&self) -> Option<&str> {
        self.raw_name
            .as_deref()
            .or(self.display_name.as_deref())
            .or(self.name.as_deref())
    }

    /// A pull request "branch" (ks-devops' `filter=pull-requests` rule: a non-empty PR id).
    pub fn is_pull_request(&self) -> bool {
        self.pull_request
            .as_ref()
            .and_then(|pr| pr.id.as_deref())
            .is_some_and(|id| !id.is_empty())
    }

    pub fn parameters(&self) -> &[ParameterDefinition] {
        self.parameters.as_deref().unwrap_or_default()
    }

    /// Whether Jenkins knows this branch's parameters. It reads them from the Jenkinsfile
    /// when a build starts, so a branch whose only build is still queued (or that was never
    /// built) has none whatever its Jenkinsfile declares.
    pub fn parameters_known(&self) -> bool {
        if !self.parameters().is_empty() {
            return true;
        }
        self.latest_run.as_ref().is_some_and(|run| {
            let earlier_build = run.id.as_deref().and_then(|id| id.parse::<u64>().ok()) > Some(1);
            earlier_build || !matches!(run.state, None | Some(RunState::Queued))
        })
    }
}

/// Jenkins' branch details (`job.Branch`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BranchInfo {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_primary: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issues: Option<Vec<Issue>>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Issue {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PullRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}
