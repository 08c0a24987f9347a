//! `build_request`: the operation name and JSON arguments of the vector format, mapped onto
//! the typed builders, one function per resource.

mod access;
mod credentials;
mod git_repositories;
mod jenkins_direct;
mod pipelines;
mod runs;

pub use credentials::credential_from_args;

use super::args::Args;
use super::{creator_from_token, Api, ApiLayout, BuildRef, Operation, Page, Request};
use crate::error::{Error, Result};
use serde_json::Value;

/// Builds the request for `operation` from JSON arguments named as in the vector format
/// (tests/vectors/README.md). `cluster` among the arguments selects a member cluster.
pub fn build_request(operation: &str, args: &Value, layout: ApiLayout) -> Result<Request> {
    let operation: Operation = operation.parse()?;
    let args = Args::new(args)?;
    let mut api = Api::new(layout);
    if let Some(cluster) = args.opt_str("cluster")? {
        api = api.with_cluster(cluster)?;
    }
    build(&api, operation, &args)
}

fn build(api: &Api, operation: Operation, a: &Args<'_>) -> Result<Request> {
    use Operation::*;
    match operation {
        ListPipelines | GetPipeline | CreatePipeline | UpdatePipeline | UpdateJenkinsfile
        | DeletePipeline | ScanRepository => pipelines::pipelines(api, operation, a),
        ListBranches | GetBranch => pipelines::branches(api, operation, a),
        ListCredentials | GetCredential | CreateCredential | UpdateCredential
        | DeleteCredential => credentials::credentials(api, operation, a),
        ListDevopsProjects | GetDevopsProject | CreateDevopsProject | UpdateDevopsProject
        | DeleteDevopsProject => access::projects(api, operation, a),
        ListPipelineRuns | CreatePipelineRun | GetPipelineRun | GetNodeDetails
        | DeletePipelineRun | GetRunNodesDetail | StopRun | ReplayRun => {
            runs::runs(api, operation, a)
        }
        CreatePipelineRunResource | GetPipelineRunResource | WatchPipelineRuns => {
            runs::run_resources(api, operation, a)
        }
        GetRunLog | GetStepLog | GetScanLog => runs::logs(api, operation, a),
        ListArtifacts | DownloadArtifact => runs::artifacts(api, operation, a),
        SubmitInput => runs::submit_input(api, a),
        ListAgentLabels => {
            a.only(&[CLUSTER])?;
            api.list_agent_labels()
        }
        ServiceProxy => access::service_proxy(api, a),
        Login | RefreshToken => access::auth(api, operation, a),
        JenkinsJobs | JenkinsBuild | JenkinsQueueItem | JenkinsBuildStatus | JenkinsConsoleText
        | JenkinsArtifact | JenkinsLabels | GetJenkinsSecret => {
            jenkins_direct::build(api, operation, a)
        }
        ListGitRepositories | GetGitRepository | CreateGitRepository | UpdateGitRepository
        | DeleteGitRepository => git_repositories::git_repositories(api, operation, a),
    }
}

/// The argument every operation accepts: the member cluster to address.
const CLUSTER: &str = "cluster";

/// An operation routed to a resource's builder that does not serve it: a bug in [`build`].
fn not_routed(operation: Operation) -> Error {
    Error::invalid(
        "operation",
        format!("{operation:?} reached the wrong builder; this is a bug in ksdevops"),
    )
}

fn page(args: &Args<'_>) -> Result<Page> {
    Ok(Page {
        page: args.opt_u64("page")?,
        limit: args.opt_u64("limit")?,
    })
}

/// The creator annotation: the `creator` argument, else the user named in the JWT `token`.
fn creator(args: &Args<'_>) -> Result<Option<String>> {
    if let Some(creator) = args.opt_str("creator")? {
        return Ok(Some(creator.to_owned()));
    }
    args.opt_secret("token")?
        .map(|token| creator_from_token(&token))
        .transpose()
}

/// The arguments naming one Jenkins build.
const BUILD_ARGS: [&str; 5] = [CLUSTER, "devops", "pipeline", "branch", "run_id"];

/// [`BUILD_ARGS`] and `extra`.
fn build_args_and(extra: &[&'static str]) -> Vec<&'static str> {
    BUILD_ARGS.iter().chain(extra).copied().collect()
}

fn build_ref<'a>(args: &Args<'a>) -> Result<BuildRef<'a>> {
    Ok(BuildRef {
        devops: args.str("devops")?,
        pipeline: args.str("pipeline")?,
        branch: args.opt_str("branch")?,
        run_id: args.str("run_id")?,
    })
}
