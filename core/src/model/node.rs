//! Stages and steps of a run: v1alpha3 `nodedetails` (§3.6) and v1alpha2 `nodesdetail`,
//! `nodes`, `steps` (§3.7), which share the BlueOcean node and step fields.

use super::run_state::{NodeType, RunResult, RunState};
use super::time::Timestamp;
use super::ParameterDefinition;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// A stage or parallel branch of a run, with its steps when the endpoint includes them.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NodeDetail {
    #[serde(rename = "_class", default, skip_serializing_if = "Option::is_none")]
    pub class: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_description: Option<String>,
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<NodeType>,
    /// `None` for stages that have not started.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<RunState>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result: Option<RunResult>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_time: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration_in_millis: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input: Option<Input>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cause_of_blockage: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub edges: Option<Vec<Edge>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_parent: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub restartable: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub steps: Option<Vec<Step>>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// v1alpha2 `nodesdetail` items: the same fields as [`NodeDetail`].
pub type NodesDetail = NodeDetail;
/// v1alpha2 step items: the same fields as [`Step`] (its `aprovable` spelling is accepted).
pub type NodeSteps = Step;

impl NodeDetail {
    pub fn steps(&self) -> &[Step] {
        self.steps.as_deref().unwrap_or_default()
    }

    /// Steps waiting for input (`state == PAUSED` with an `input`).
    pub fn pending_inputs(&self) -> impl Iterator<Item = &Step> {
        self.steps().iter().filter(|step| step.is_pending_input())
    }
}

/// A link from a node to the node(s) that follow it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Edge {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<NodeType>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
// The derives become inherent `Step::serialize`/`Step::deserialize`; the trait impls below
// wrap them to read v1alpha2's spelling.
#[serde(remote = "Self", rename_all = "camelCase")]
pub struct Step {
    #[serde(rename = "_class", default, skip_serializing_if = "Option::is_none")]
    pub class: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_description: Option<String>,
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<NodeType>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<RunState>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result: Option<RunResult>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_time: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration_in_millis: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input: Option<Input>,
    /// v1alpha3 sets this to `true` on every step; v1alpha2 spells it `aprovable` and computes
    /// it per user. Re-encoded as `approvable` (these are server-computed, read-only fields; when
    /// both spellings come, `approvable` is read and `aprovable` is kept in `extra`). Not a sign
    /// that the step waits for input: see [`Step::is_pending_input`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approvable: Option<bool>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Serialize for Step {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        Step::serialize(self, serializer)
    }
}

impl<'de> Deserialize<'de> for Step {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let mut fields = Map::<String, Value>::deserialize(deserializer)?;
        if !fields.contains_key("approvable") {
            if let Some(v1alpha2) = fields.remove("aprovable") {
                fields.insert("approvable".into(), v1alpha2);
            }
        }
        Step::deserialize(Value::Object(fields)).map_err(serde::de::Error::custom)
    }
}

impl Step {
    /// Paused at an `input` step that can be approved or aborted.
    pub fn is_pending_input(&self) -> bool {
        self.state == Some(RunState::Paused) && self.input.is_some()
    }
}

/// An `input` step's question.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Input {
    #[serde(rename = "_class", default, skip_serializing_if = "Option::is_none")]
    pub class: Option<String>,
    /// The id to send when approving or aborting (not the step id).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// Label of the proceed button, e.g. `Proceed`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ok: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parameters: Option<Vec<ParameterDefinition>>,
    /// Comma-separated users or groups allowed to answer; none means anyone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub submitter: Option<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Input {
    pub fn parameters(&self) -> &[ParameterDefinition] {
        self.parameters.as_deref().unwrap_or_default()
    }

    /// The allowed submitters, trimmed, empty entries dropped.
    pub fn submitters(&self) -> Vec<&str> {
        self.submitter
            .as_deref()
            .unwrap_or_default()
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect()
    }
}
