//! serde models of the KubeSphere DevOps API.
//!
//! Top-level objects keep fields they do not know in `extra`, so decoding and re-encoding a
//! server object loses nothing. Enum-like strings keep unknown values (`Other(String)`).

pub mod annotations;
mod artifact;
mod branch;
mod credential;
mod devops_project;
mod git_repository;
mod jenkins;
mod list;
mod meta;
mod node;
mod overall_state;
mod parameter;
mod parameter_kind;
mod pipeline;
mod pipeline_metadata;
mod pipeline_run;
mod run;
mod run_state;
mod scm_source;
mod scm_url;
mod string_enum;
pub(crate) mod time;
mod token;

pub use artifact::Artifact;
pub use branch::{Branch, BranchInfo, Issue, PullRequest};
pub use credential::{Credential, CredentialData, CredentialKind, CredentialSecret};
pub use devops_project::{DevOpsProject, DevOpsProjectStatus};
pub use git_repository::{GitRepository, GitRepositorySpec, SecretRef};
pub use jenkins::{AgentLabel, JenkinsArtifact, JenkinsBuild, JenkinsJob};
pub(crate) use jenkins::{JenkinsJobList, JenkinsQueueItem};
pub use list::ListResult;
pub use meta::{ObjectMeta, ObjectReference, OwnerReference};
pub use node::{Edge, Input, NodeDetail, NodeSteps, NodesDetail, Step};
pub use overall_state::OverallState;
pub use parameter::{
    is_unresolved, unresolved_value, DefaultParameterValue, ParameterDefinition, ParameterValue,
};
pub use parameter_kind::ParameterKind;
pub use pipeline::{
    DiscarderProperty, GenericVariable, GenericWebhook, MultiBranchJobTrigger, MultiBranchPipeline,
    NoScmPipeline, Pipeline, PipelineParameter, PipelineSpec, PipelineType, RemoteTrigger,
    TimerTrigger, API_VERSION,
};
pub use pipeline_metadata::{PipelineMetadata, ScmSourceInfo};
pub use pipeline_run::{
    Condition, ConditionStatus, ConditionType, PipelineRun, PipelineRunSpec, PipelineRunStatus,
    RefType, RunAction, RunPhase, RunScm,
};
pub use run::{Cause, LatestRun, Run};
pub use run_state::{NodeType, RunResult, RunState};
pub use scm_source::{
    BitbucketServerSource, DiscoverPrFromForks, GitCloneOption, GitSource, GithubSource,
    GitlabSource, ScmSource, SingleSvnSource, SourceType, SvnSource,
};
pub use time::Timestamp;
pub use token::Token;
