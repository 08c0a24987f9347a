//! Request builders: typed arguments in, [`Request`] values out. No I/O.
//!
//! Every operation is a method of [`Api`] (one module per resource); [`build_request`] reaches
//! the same builders from an operation name and JSON arguments, for bindings and vectors.
//!
//! Branch names: Jenkins names a branch job with the branch name URL-encoded (`feat/x` becomes
//! `feat%2Fx`, the `name` the branches API returns). Builders take either form: a value with a
//! `/` (or another character Jenkins encodes) is a display name and is converted to the Jenkins
//! name first; any other value is the Jenkins name. In a path the Jenkins name is
//! percent-encoded once more (`feat%252Fx`), because the server decodes the path before
//! matching; as `?branch=` it is the decoded query value.

mod agents;
mod args;
mod artifacts;
mod auth;
mod branches;
mod builds;
mod creator;
mod credentials;
mod curl;
mod dispatch;
mod encode;
mod git_repositories;
mod inputs;
mod jenkins_direct;
mod logs;
mod mask;
mod object;
mod operation;
mod parameters;
mod pipelines;
mod preview;
mod projects;
mod request;
mod runs;
mod scope;
mod service_proxy;
mod validate;

pub use auth::OAuthClient;
pub use branches::BranchFilter;
pub use builds::BuildRef;
pub use creator::creator_from_token;
pub use dispatch::{build_request, credential_from_args};
pub use encode::jenkins_branch_name;
pub use git_repositories::GitRepositoryInput;
pub use inputs::InputAnswer;
pub use jenkins_direct::*;
pub use operation::{Operation, ResponseKind};
pub use parameters::parameters_argument;
pub use pipelines::JenkinsfileMode;
pub use request::{Body, Method, Request};
pub(crate) use runs::resource::run_scm;
pub use runs::resource::RunResourceInput;
pub use scope::{Api, APIS_PREFIX, GROUP, KAPIS_PREFIX, V1ALPHA2, V1ALPHA3};
pub use service_proxy::ServiceRef;
pub use validate::{is_dns_label, is_dns_subdomain};

use crate::error::{Error, Result};

/// Which generation of the KubeSphere API the server speaks (see the reference §1.0).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum ApiLayout {
    /// KubeSphere 4.x: `/namespaces/{devops}/…`; a member cluster as `/clusters/{c}/kapis/…`,
    /// `/clusters/{c}/apis/…` and `/clusters/{c}/api/…`.
    #[default]
    V4,
    /// KubeSphere 3.x: `/devops/{devops}/…`; a member cluster as `/kapis/clusters/{c}/…`,
    /// `/apis/clusters/{c}/…` and `/api/clusters/{c}/…`.
    V3,
}

impl ApiLayout {
    pub fn as_str(self) -> &'static str {
        match self {
            ApiLayout::V4 => "v4",
            ApiLayout::V3 => "v3",
        }
    }
}

impl std::str::FromStr for ApiLayout {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s {
            "v4" => Ok(ApiLayout::V4),
            "v3" => Ok(ApiLayout::V3),
            other => Err(Error::invalid(
                "layout",
                format!("{other:?} is not a layout; expected \"v4\" or \"v3\""),
            )),
        }
    }
}

/// Paging of v1alpha3 lists: `page` is 1-based; without `limit` the server returns every item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Page {
    pub page: Option<u64>,
    pub limit: Option<u64>,
}

impl Page {
    pub fn new(page: u64, limit: u64) -> Self {
        Page {
            page: Some(page),
            limit: Some(limit),
        }
    }

    pub(crate) fn apply(self, mut request: Request) -> Result<Request> {
        if let Some(page) = self.page {
            request = request.query_param("page", validate::positive("page", page)?.to_string());
        }
        if let Some(limit) = self.limit {
            request = request.query_param("limit", validate::positive("limit", limit)?.to_string());
        }
        Ok(request)
    }
}
