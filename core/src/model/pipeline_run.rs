//! The PipelineRun custom resource (reference §3.2) and what the controller writes on it.

use super::annotations;
use super::meta::{ObjectMeta, ObjectReference};
use super::node::NodeDetail;
use super::pipeline::{Pipeline, PipelineSpec, API_VERSION};
use super::run::Run;
use super::string_enum::string_enum;
use super::time::Timestamp;
use super::ParameterValue;
use crate::Error;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PipelineRun {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_version: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(default)]
    pub metadata: ObjectMeta,
    pub spec: PipelineRunSpec,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<PipelineRunStatus>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PipelineRunSpec {
    pub pipeline_ref: ObjectReference,
    /// Copy of the pipeline's spec. The controller needs at least its `type`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pipeline_spec: Option<PipelineSpec>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parameters: Vec<ParameterValue>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scm: Option<RunScm>,
    /// Declared by ks-devops but not acted upon.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action: Option<RunAction>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The branch or tag a multi-branch run builds. Both keys are always sent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RunScm {
    #[serde(default = "RefType::empty")]
    pub ref_type: RefType,
    #[serde(default)]
    pub ref_name: String,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

string_enum! {
    /// `spec.scm.refType`; runs created through the API carry an empty one.
    pub enum RefType {
        Empty => "",
        Branch => "branch",
        Tag => "tag",
        PullRequest => "pr",
        MergeRequest => "mr",
    }
}

impl RefType {
    fn empty() -> Self {
        RefType::Empty
    }
}

string_enum! {
    pub enum RunAction {
        Stop => "Stop",
        Pause => "Pause",
        Resume => "Resume",
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PipelineRunStatus {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_time: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completion_time: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub update_time: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<Condition>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phase: Option<RunPhase>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

string_enum! {
    /// `status.phase`. A paused (input) run is `Pending`; aborted and unstable runs are
    /// `Failed`; `Cancelled` is declared but never set by the Jenkins controller.
    pub enum RunPhase {
        Pending => "Pending",
        Running => "Running",
        Succeeded => "Succeeded",
        Failed => "Failed",
        Unknown => "Unknown",
        Cancelled => "Cancelled",
    }
}

impl RunPhase {
    pub fn is_terminal(&self) -> bool {
        matches!(
            self,
            RunPhase::Succeeded | RunPhase::Failed | RunPhase::Cancelled
        )
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Condition {
    #[serde(rename = "type")]
    pub kind: ConditionType,
    pub status: ConditionStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_probe_time: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_transition_time: Option<Timestamp>,
    /// The Jenkins state, e.g. `RUNNING`, `FINISHED`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

string_enum! {
    pub enum ConditionType {
        Ready => "Ready",
        Succeeded => "Succeeded",
    }
}

string_enum! {
    pub enum ConditionStatus {
        True => "True",
        False => "False",
        Unknown => "Unknown",
    }
}

impl PipelineRun {
    /// A run of `pipeline` as the API would create it: `generateName: <pipeline>-`, the
    /// pipeline label, a reference to the pipeline and a copy of its spec (which the
    /// controller needs). Add parameters with [`PipelineRun::with_parameters`] and, for a
    /// multi-branch pipeline, the branch with [`PipelineRun::with_branch`].
    pub fn for_pipeline(pipeline: &Pipeline) -> Self {
        let name = pipeline.metadata.name.clone().unwrap_or_default();
        let mut metadata = ObjectMeta {
            generate_name: Some(format!("{name}-")),
            namespace: pipeline.metadata.namespace.clone(),
            ..ObjectMeta::default()
        };
        metadata
            .labels
            .insert(annotations::PIPELINE_NAME_LABEL.to_owned(), name.clone());
        PipelineRun {
            api_version: Some(API_VERSION.to_owned()),
            kind: Some("PipelineRun".to_owned()),
            metadata,
            spec: PipelineRunSpec {
                pipeline_ref: ObjectReference {
                    kind: Some("Pipeline".to_owned()),
                    name: Some(name),
                    namespace: pipeline.metadata.namespace.clone(),
                    ..ObjectReference::default()
                },
                pipeline_spec: Some(pipeline.spec.clone()),
                ..PipelineRunSpec::default()
            },
            status: None,
            extra: Map::new(),
        }
    }

    pub fn with_parameters(mut self, parameters: Vec<ParameterValue>) -> Self {
        self.spec.parameters = parameters;
        self
    }

    /// Builds `branch` (the name without `refs/heads/`), as the API does for multi-branch runs.
    pub fn with_branch(mut self, branch: impl Into<String>) -> Self {
        self.spec.scm = Some(RunScm {
            ref_type: RefType::Empty,
            ref_name: branch.into(),
            extra: Map::new(),
        });
        self
    }

    pub fn name(&self) -> Option<&str> {
        self.metadata.name()
    }

    /// The Jenkins build number, once the controller has triggered the build.
    pub fn build_id(&self) -> Option<&str> {
        self.metadata
            .annotation(annotations::PIPELINERUN_ID)
            .filter(|id| !id.is_empty())
    }

    /// The pipeline's name: the `devops.kubesphere.io/pipeline` label, else `spec.pipelineRef`.
    pub fn pipeline_name(&self) -> Option<&str> {
        self.metadata
            .label(annotations::PIPELINE_NAME_LABEL)
            .or(self.spec.pipeline_ref.name.as_deref())
    }

    /// The branch of a multi-branch run.
    pub fn branch(&self) -> Option<&str> {
        self.spec
            .scm
            .as_ref()
            .map(|scm| scm.ref_name.as_str())
            .filter(|name| !name.is_empty())
    }

    pub fn is_multi_branch(&self) -> bool {
        self.spec
            .pipeline_spec
            .as_ref()
            .is_some_and(|spec| spec.kind == super::PipelineType::MultiBranchPipeline)
    }

    /// `devops.kubesphere.io/creator`: who triggered it through the API.
    pub fn creator(&self) -> Option<&str> {
        self.metadata.annotation(annotations::PIPELINERUN_CREATOR)
    }

    pub fn phase(&self) -> Option<&RunPhase> {
        self.status.as_ref()?.phase.as_ref()
    }

    /// A non-zero `status.completionTime`, the controller's own test.
    pub fn is_completed(&self) -> bool {
        self.status
            .as_ref()
            .and_then(|s| s.completion_time.as_ref())
            .is_some_and(|t| !t.is_zero())
    }

    pub fn is_orphan(&self) -> bool {
        self.metadata.label(annotations::PIPELINERUN_ORPHAN_LABEL) == Some("true")
    }

    /// The Jenkins run (`jenkins-pipelinerun-status` annotation), when the server included it.
    pub fn jenkins_run(&self) -> Result<Option<Run>, Error> {
        self.metadata
            .json_annotation(annotations::PIPELINERUN_STATUS)
    }

    /// The stages (`jenkins-pipelinerun-stages-status` annotation); empty when absent.
    pub fn stages(&self) -> Result<Vec<NodeDetail>, Error> {
        Ok(self
            .metadata
            .json_annotation::<Option<Vec<NodeDetail>>>(annotations::PIPELINERUN_STAGES_STATUS)?
            .flatten()
            .unwrap_or_default())
    }
}
