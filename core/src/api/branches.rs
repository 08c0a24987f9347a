//! v1alpha3 branches of a multi-branch pipeline (from the pipeline's synced metadata).

use super::encode::{encode_segment, jenkins_branch_name};
use super::request::{Method, Request, JSON};
use super::scope::Api;
use super::{validate, Page};
use crate::error::{Error, Result};

/// Which branches `list_branches` returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BranchFilter {
    /// Branches of the repository itself (no pull request).
    Origin,
    /// Pull (merge) requests.
    PullRequests,
}

impl BranchFilter {
    pub fn as_str(self) -> &'static str {
        match self {
            BranchFilter::Origin => "origin",
            BranchFilter::PullRequests => "pull-requests",
        }
    }
}

impl std::str::FromStr for BranchFilter {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s {
            "origin" => Ok(BranchFilter::Origin),
            "pull-requests" => Ok(BranchFilter::PullRequests),
            other => Err(Error::invalid(
                "filter",
                format!("{other:?} is not a filter; expected \"origin\" or \"pull-requests\""),
            )),
        }
    }
}

/// A branch as a path segment: the Jenkins name (see [`super::jenkins_branch_name`]),
/// percent-encoded once more, because the server decodes the path before matching.
pub(crate) fn branch_segment(branch: &str) -> Result<String> {
    validate::path_text("branch", branch)?;
    Ok(encode_segment(&jenkins_branch_name(branch)))
}

impl Api {
    pub(crate) fn pipeline_in_namespace(&self, devops: &str, pipeline: &str) -> Result<String> {
        validate::dns_label("devops", devops)?;
        validate::dns_subdomain("pipeline", pipeline)?;
        Ok(format!(
            "{}/pipelines/{}",
            self.namespace(devops),
            encode_segment(pipeline)
        ))
    }

    pub fn list_branches(
        &self,
        devops: &str,
        pipeline: &str,
        filter: Option<BranchFilter>,
        page: Page,
    ) -> Result<Request> {
        let path = format!("{}/branches", self.pipeline_in_namespace(devops, pipeline)?);
        let mut request = Request::new(Method::Get, path).accept(JSON);
        if let Some(filter) = filter {
            request = request.query_param("filter", filter.as_str());
        }
        page.apply(request)
    }

    /// `branch` is the Jenkins name (`feat%2Fx`) or the display name (`feat/x`).
    pub fn get_branch(&self, devops: &str, pipeline: &str, branch: &str) -> Result<Request> {
        let path = format!(
            "{}/branches/{}",
            self.pipeline_in_namespace(devops, pipeline)?,
            branch_segment(branch)?
        );
        Ok(Request::new(Method::Get, path).accept(JSON))
    }
}
