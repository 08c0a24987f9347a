//! The Pipeline custom resource (`devops.kubesphere.io/v1alpha3`, reference §3.1).

use super::annotations;
use super::branch::Branch;
use super::meta::ObjectMeta;
use super::pipeline_metadata::PipelineMetadata;
use super::scm_source::{
    BitbucketServerSource, GitSource, GithubSource, GitlabSource, ScmSource, SingleSvnSource,
    SourceType, SvnSource,
};
use super::string_enum::string_enum;
use crate::{Error, Secret};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// `apiVersion` of ks-devops' resources (`devops.kubesphere.io/v1alpha3`).
pub const API_VERSION: &str = concat!(api_group!(), "/v1alpha3");

/// A pipeline as stored in Kubernetes. Unknown fields are kept, so GET-modify-PUT loses nothing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Pipeline {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_version: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(default)]
    pub metadata: ObjectMeta,
    pub spec: PipelineSpec,
    /// An empty struct in ks-devops; kept as sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<Value>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

string_enum! {
    /// `spec.type`.
    pub enum PipelineType {
        Pipeline => "pipeline",
        MultiBranchPipeline => "multi-branch-pipeline",
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PipelineSpec {
    #[serde(rename = "type")]
    pub kind: PipelineType,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pipeline: Option<NoScmPipeline>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub multi_branch_pipeline: Option<MultiBranchPipeline>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A regular pipeline: one Jenkinsfile, no repository scan.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct NoScmPipeline {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discarder: Option<DiscarderProperty>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parameters: Vec<PipelineParameter>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disable_concurrent: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timer_trigger: Option<TimerTrigger>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remote_trigger: Option<RemoteTrigger>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generic_webhook: Option<GenericWebhook>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jenkinsfile: Option<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A pipeline per branch (and pull request) of a scanned repository.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MultiBranchPipeline {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discarder: Option<DiscarderProperty>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timer_trigger: Option<TimerTrigger>,
    pub source_type: SourceType,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub git_source: Option<GitSource>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub github_source: Option<GithubSource>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gitlab_source: Option<GitlabSource>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub svn_source: Option<SvnSource>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub single_svn_source: Option<SingleSvnSource>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bitbucket_server_source: Option<BitbucketServerSource>,
    /// Always sent (no `omitempty` in ks-devops).
    #[serde(default)]
    pub script_path: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub multibranch_job_trigger: Option<MultiBranchJobTrigger>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl MultiBranchPipeline {
    /// A multi-branch pipeline reading `Jenkinsfile` from each branch of `source`.
    pub fn new(name: impl Into<String>, source: ScmSource) -> Self {
        let mut pipeline = MultiBranchPipeline {
            name: name.into(),
            description: None,
            discarder: None,
            timer_trigger: None,
            source_type: source.source_type(),
            git_source: None,
            github_source: None,
            gitlab_source: None,
            svn_source: None,
            single_svn_source: None,
            bitbucket_server_source: None,
            script_path: "Jenkinsfile".to_owned(),
            multibranch_job_trigger: None,
            extra: Map::new(),
        };
        pipeline.set_source(source);
        pipeline
    }

    /// Stores `source` in its field, sets `source_type` and clears the other source fields.
    pub fn set_source(&mut self, source: ScmSource) {
        self.source_type = source.source_type();
        self.git_source = None;
        self.github_source = None;
        self.gitlab_source = None;
        self.svn_source = None;
        self.single_svn_source = None;
        self.bitbucket_server_source = None;
        match source {
            ScmSource::Git(s) => self.git_source = Some(s),
            ScmSource::Github(s) => self.github_source = Some(s),
            ScmSource::Gitlab(s) => self.gitlab_source = Some(s),
            ScmSource::Svn(s) => self.svn_source = Some(s),
            ScmSource::SingleSvn(s) => self.single_svn_source = Some(s),
            ScmSource::BitbucketServer(s) => self.bitbucket_server_source = Some(s),
        }
    }

    /// The source named by `source_type`; `None` when that field is missing or the type unknown.
    pub fn source(&self) -> Option<ScmSource> {
        match self.source_type {
            SourceType::Git => self.git_source.clone().map(ScmSource::Git),
            SourceType::Github => self.github_source.clone().map(ScmSource::Github),
            SourceType::Gitlab => self.gitlab_source.clone().map(ScmSource::Gitlab),
            SourceType::Svn => self.svn_source.clone().map(ScmSource::Svn),
            SourceType::SingleSvn => self.single_svn_source.clone().map(ScmSource::SingleSvn),
            SourceType::BitbucketServer => self
                .bitbucket_server_source
                .clone()
                .map(ScmSource::BitbucketServer),
            SourceType::Other(_) => None,
        }
    }
}

/// Build retention. ks-devops keeps both numbers as strings (`"-1"` = unlimited).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DiscarderProperty {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub days_to_keep: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub num_to_keep: Option<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A parameter as the Pipeline CR declares it (`spec.pipeline.parameters`). This is the
/// CR's own shape, not Jenkins' (see [`super::ParameterDefinition`] for that).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PipelineParameter {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_value: Option<String>,
    /// e.g. `string`, `text`, `boolean`, `choice`, `password`.
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TimerTrigger {
    /// Cron expression (regular pipelines).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cron: Option<String>,
    /// Scan interval in milliseconds, as a string (multi-branch pipelines).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interval: Option<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RemoteTrigger {
    /// Token that lets anyone holding it trigger builds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token: Option<Secret>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct MultiBranchJobTrigger {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub create_action_job_to_trigger: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delete_action_job_to_trigger: Option<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Generic Webhook Trigger plugin settings.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct GenericWebhook {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enable: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token: Option<Secret>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cause: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub print_variables: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub print_post_content: Option<bool>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub request_variables: Vec<GenericVariable>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub header_variables: Vec<GenericVariable>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filter_text: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filter_expression: Option<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct GenericVariable {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub regexp_filter: Option<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Pipeline {
    fn with_spec(name: String, spec: PipelineSpec) -> Self {
        Pipeline {
            api_version: Some(API_VERSION.to_owned()),
            kind: Some("Pipeline".to_owned()),
            metadata: ObjectMeta::named(name),
            spec,
            status: None,
            extra: Map::new(),
        }
    }

    /// A regular pipeline running `jenkinsfile`.
    pub fn regular(name: impl Into<String>, jenkinsfile: impl Into<String>) -> Self {
        let name = name.into();
        let spec = PipelineSpec {
            kind: PipelineType::Pipeline,
            pipeline: Some(NoScmPipeline {
                name: name.clone(),
                jenkinsfile: Some(jenkinsfile.into()),
                ..NoScmPipeline::default()
            }),
            multi_branch_pipeline: None,
            extra: Map::new(),
        };
        Pipeline::with_spec(name, spec)
    }

    /// A multi-branch pipeline over `source`, reading `Jenkinsfile` from each branch.
    pub fn multi_branch(name: impl Into<String>, source: ScmSource) -> Self {
        let name = name.into();
        let spec = PipelineSpec {
            kind: PipelineType::MultiBranchPipeline,
            pipeline: None,
            multi_branch_pipeline: Some(MultiBranchPipeline::new(name.clone(), source)),
            extra: Map::new(),
        };
        Pipeline::with_spec(name, spec)
    }

    pub fn name(&self) -> Option<&str> {
        self.metadata.name()
    }

    pub fn is_multi_branch(&self) -> bool {
        self.spec.kind == PipelineType::MultiBranchPipeline
    }

    /// The regular pipeline's Jenkinsfile, if this is one and it has one.
    pub fn jenkinsfile(&self) -> Option<&str> {
        self.spec.pipeline.as_ref()?.jenkinsfile.as_deref()
    }

    /// `kubesphere.io/creator`.
    pub fn creator(&self) -> Option<&str> {
        self.metadata.annotation(annotations::CREATOR)
    }

    /// `pipeline.devops.kubesphere.io/syncstatus`: `successful` once Jenkins has the job.
    pub fn sync_status(&self) -> Option<&str> {
        self.metadata.annotation(annotations::PIPELINE_SYNC_STATUS)
    }

    pub fn is_synced(&self) -> bool {
        self.sync_status() == Some(annotations::sync_status::SUCCESSFUL)
    }

    /// Jenkins' view of the pipeline (`jenkins-metadata`), present after the first sync.
    pub fn jenkins_metadata(&self) -> Result<Option<PipelineMetadata>, Error> {
        self.metadata
            .json_annotation(annotations::PIPELINE_JENKINS_METADATA)
    }

    /// Branches of a multi-branch pipeline (`jenkins-branches`); empty when not synced yet.
    pub fn branches(&self) -> Result<Vec<Branch>, Error> {
        Ok(self
            .metadata
            .json_annotation::<Option<Vec<Branch>>>(annotations::PIPELINE_JENKINS_BRANCHES)?
            .flatten()
            .unwrap_or_default())
    }
}
