//! Source repositories of multi-branch pipelines (reference §3.1). Field types follow the CRD:
//! note `discover_branches` is a bool for `git` but an int strategy for GitHub-like sources.

use super::string_enum::string_enum;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

string_enum! {
    /// `multi_branch_pipeline.source_type`.
    pub enum SourceType {
        Git => "git",
        Github => "github",
        Gitlab => "gitlab",
        Svn => "svn",
        SingleSvn => "single_svn",
        BitbucketServer => "bitbucket_server",
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct GitCloneOption {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shallow: Option<bool>,
    /// Minutes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub depth: Option<i64>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct GitSource {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scm_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credential_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discover_branches: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discover_tags: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub git_clone_option: Option<GitCloneOption>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub regex_filter: Option<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DiscoverPrFromForks {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub strategy: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trust: Option<i64>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// GitHub source; Bitbucket Server uses the same fields ([`BitbucketServerSource`]).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct GithubSource {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scm_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repo: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credential_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_uri: Option<String>,
    /// Jenkins branch-discovery strategy number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discover_branches: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discover_pr_from_origin: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discover_pr_from_forks: Option<DiscoverPrFromForks>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discover_tags: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub git_clone_option: Option<GitCloneOption>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub regex_filter: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accept_jenkins_notification: Option<bool>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

pub type BitbucketServerSource = GithubSource;

/// GitHub's fields plus the name of the GitLab server configured in Jenkins.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct GitlabSource {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server_name: Option<String>,
    #[serde(flatten)]
    pub github: GithubSource,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SvnSource {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scm_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remote: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credential_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub includes: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub excludes: Option<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SingleSvnSource {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scm_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remote: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credential_id: Option<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// One source of any kind; [`super::MultiBranchPipeline`] stores it in the field that
/// matches its `source_type`.
#[derive(Debug, Clone, PartialEq)]
pub enum ScmSource {
    Git(GitSource),
    Github(GithubSource),
    Gitlab(GitlabSource),
    Svn(SvnSource),
    SingleSvn(SingleSvnSource),
    BitbucketServer(BitbucketServerSource),
}

impl ScmSource {
    /// A plain git repository by URL.
    pub fn git(url: impl Into<String>) -> Self {
        ScmSource::Git(GitSource {
            url: Some(url.into()),
            ..GitSource::default()
        })
    }

    pub fn source_type(&self) -> SourceType {
        match self {
            ScmSource::Git(_) => SourceType::Git,
            ScmSource::Github(_) => SourceType::Github,
            ScmSource::Gitlab(_) => SourceType::Gitlab,
            ScmSource::Svn(_) => SourceType::Svn,
            ScmSource::SingleSvn(_) => SourceType::SingleSvn,
            ScmSource::BitbucketServer(_) => SourceType::BitbucketServer,
        }
    }

    /// The Jenkins credential the source uses, if any.
    pub fn credential_id(&self) -> Option<&str> {
        match self {
            ScmSource::Git(s) => s.credential_id.as_deref(),
            ScmSource::Github(s) | ScmSource::BitbucketServer(s) => s.credential_id.as_deref(),
            ScmSource::Gitlab(s) => s.github.credential_id.as_deref(),
            ScmSource::Svn(s) => s.credential_id.as_deref(),
            ScmSource::SingleSvn(s) => s.credential_id.as_deref(),
        }
    }
}
