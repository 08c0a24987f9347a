//! `build_request`: the operation name and JSON arguments of the vector format, mapped onto
//! the typed builders.

use super::args::Args;
use super::jenkins::{BuildRef, InputAnswer};
use super::run_resources::RunResourceInput;
use super::{
    creator_from_token, Api, ApiLayout, Method, OAuthClient, Operation, Page, Request, ServiceRef,
};
use crate::error::{Error, Result};
use crate::model::{Credential, CredentialData};
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

fn build_ref<'a>(args: &Args<'a>) -> Result<BuildRef<'a>> {
    Ok(BuildRef {
        devops: args.str("devops")?,
        pipeline: args.str("pipeline")?,
        branch: args.opt_str("branch")?,
        run_id: args.str("run_id")?,
    })
}

/// A credential from its argument form, the vector format's `credential` argument:
/// `{name, kind, description?, …the kind's keys}` with `kind` one of basic-auth (`username`,
/// `password`), ssh-auth (`username`, `private_key`, `passphrase?`), secret-text (`secret`),
/// kubeconfig (`content`). Errors name the field (`credential.password`), never a value.
pub fn credential_from_args(credential_args: &Value) -> Result<Credential> {
    let wrapped = serde_json::json!({ "credential": credential_args });
    credential(&Args::new(&wrapped)?)
}

fn credential(args: &Args<'_>) -> Result<Credential> {
    let c = args.object("credential")?;
    let kind = c.str("kind")?;
    let data = match kind {
        "basic-auth" => {
            c.only(&["name", "kind", "description", "username", "password"])?;
            CredentialData::BasicAuth {
                username: c.str("username")?.to_owned(),
                password: c.secret("password")?,
            }
        }
        "ssh-auth" => {
            c.only(&[
                "name",
                "kind",
                "description",
                "username",
                "private_key",
                "passphrase",
            ])?;
            CredentialData::SshAuth {
                username: c.str("username")?.to_owned(),
                private_key: c.secret("private_key")?,
                passphrase: c.opt_secret("passphrase")?,
            }
        }
        "secret-text" => {
            c.only(&["name", "kind", "description", "secret"])?;
            CredentialData::SecretText {
                secret: c.secret("secret")?,
            }
        }
        "kubeconfig" => {
            c.only(&["name", "kind", "description", "content"])?;
            CredentialData::Kubeconfig {
                content: c.secret("content")?,
            }
        }
        other => {
            return Err(Error::invalid(
                c.field("kind"),
                format!(
                    "{other:?} is not a credential kind; expected basic-auth, ssh-auth, \
                     secret-text or kubeconfig"
                ),
            ))
        }
    };
    Ok(Credential {
        name: c.str("name")?.to_owned(),
        description: c.opt_str("description")?.map(str::to_owned),
        data,
    })
}

/// `GET` unless the `method` argument says otherwise.
fn method(args: &Args<'_>) -> Result<Method> {
    match args.opt_str("method")? {
        None | Some("GET") => Ok(Method::Get),
        Some("POST") => Ok(Method::Post),
        Some("PUT") => Ok(Method::Put),
        Some("DELETE") => Ok(Method::Delete),
        Some(other) => Err(Error::invalid(
            "method",
            format!("{other:?} is not a method; expected GET, POST, PUT or DELETE"),
        )),
    }
}

fn oauth_client(args: &Args<'_>) -> Result<OAuthClient> {
    let default = OAuthClient::default();
    Ok(OAuthClient {
        client_id: args
            .opt_str("client_id")?
            .map_or(default.client_id, str::to_owned),
        client_secret: args
            .opt_secret("client_secret")?
            .unwrap_or(default.client_secret),
    })
}

const C: &str = "cluster";

fn build(api: &Api, operation: Operation, a: &Args<'_>) -> Result<Request> {
    use Operation::*;
    let build_args = [C, "devops", "pipeline", "branch", "run_id"];
    let with = |extra: &[&'static str]| -> Vec<&'static str> {
        build_args.iter().chain(extra).copied().collect()
    };
    match operation {
        ListPipelines | ListCredentials => {
            a.only(&[C, "devops", "page", "limit"])?;
            if operation == ListPipelines {
                api.list_pipelines(a.str("devops")?, page(a)?)
            } else {
                api.list_credentials(a.str("devops")?, page(a)?)
            }
        }
        GetPipeline | DeletePipeline | ScanRepository | GetScanLog => {
            a.only(&[C, "devops", "pipeline"])?;
            let (devops, pipeline) = (a.str("devops")?, a.str("pipeline")?);
            match operation {
                GetPipeline => api.get_pipeline(devops, pipeline),
                DeletePipeline => api.delete_pipeline(devops, pipeline),
                ScanRepository => api.scan_repository(devops, pipeline),
                _ => api.get_scan_log(devops, pipeline),
            }
        }
        CreatePipeline => {
            a.only(&[C, "devops", "pipeline", "creator", "token"])?;
            let creator = creator(a)?;
            api.create_pipeline(a.str("devops")?, a.value("pipeline")?, creator.as_deref())
        }
        UpdatePipeline => {
            a.only(&[C, "devops", "pipeline"])?;
            api.update_pipeline(a.str("devops")?, a.value("pipeline")?)
        }
        UpdateJenkinsfile => {
            a.only(&[C, "devops", "pipeline", "jenkinsfile", "mode"])?;
            let mode = a.opt_str("mode")?.unwrap_or("raw").parse()?;
            api.update_jenkinsfile(
                a.str("devops")?,
                a.str("pipeline")?,
                a.str("jenkinsfile")?,
                mode,
            )
        }
        GetCredential | DeleteCredential => {
            a.only(&[C, "devops", "credential"])?;
            let (devops, name) = (a.str("devops")?, a.str("credential")?);
            if operation == GetCredential {
                api.get_credential(devops, name)
            } else {
                api.delete_credential(devops, name)
            }
        }
        CreateCredential => {
            a.only(&[C, "devops", "credential", "creator", "token"])?;
            let creator = creator(a)?;
            api.create_credential(a.str("devops")?, &credential(a)?, creator.as_deref())
        }
        UpdateCredential => {
            a.only(&[C, "devops", "credential"])?;
            api.update_credential(a.str("devops")?, &credential(a)?)
        }
        ListDevopsProjects => {
            a.only(&[C, "workspace", "page", "limit"])?;
            api.list_devops_projects(a.str("workspace")?, page(a)?)
        }
        GetDevopsProject | DeleteDevopsProject => {
            a.only(&[C, "workspace", "devops"])?;
            let (workspace, devops) = (a.str("workspace")?, a.str("devops")?);
            if operation == GetDevopsProject {
                api.get_devops_project(workspace, devops)
            } else {
                api.delete_devops_project(workspace, devops)
            }
        }
        CreateDevopsProject => {
            a.only(&[C, "workspace", "devops", "creator", "token"])?;
            let creator = creator(a)?;
            api.create_devops_project(a.str("workspace")?, a.str("devops")?, creator.as_deref())
        }
        UpdateDevopsProject => {
            a.only(&[C, "workspace", "project"])?;
            api.update_devops_project(a.str("workspace")?, a.value("project")?)
        }
        ListBranches => {
            a.only(&[C, "devops", "pipeline", "filter", "page", "limit"])?;
            let filter = a.opt_str("filter")?.map(str::parse).transpose()?;
            api.list_branches(a.str("devops")?, a.str("pipeline")?, filter, page(a)?)
        }
        GetBranch => {
            a.only(&[C, "devops", "pipeline", "branch"])?;
            api.get_branch(a.str("devops")?, a.str("pipeline")?, a.str("branch")?)
        }
        ListPipelineRuns => {
            a.only(&[C, "devops", "pipeline", "branch", "page", "limit"])?;
            let branch = a.opt_str("branch")?;
            api.list_pipeline_runs(a.str("devops")?, a.str("pipeline")?, branch, page(a)?)
        }
        CreatePipelineRun => {
            a.only(&[C, "devops", "pipeline", "branch", "parameters"])?;
            let parameters = a.parameters("parameters")?;
            let branch = a.opt_str("branch")?;
            let (devops, pipeline) = (a.str("devops")?, a.str("pipeline")?);
            api.create_pipeline_run(devops, pipeline, branch, &parameters.values)
                .map(|r| r.mask_parameters(&parameters.secret_names))
        }
        GetPipelineRun | GetNodeDetails | GetPipelineRunResource => {
            a.only(&[C, "devops", "run"])?;
            let (devops, run) = (a.str("devops")?, a.str("run")?);
            match operation {
                GetPipelineRun => api.get_pipeline_run(devops, run),
                GetNodeDetails => api.get_node_details(devops, run),
                _ => api.get_pipeline_run_resource(devops, run),
            }
        }
        DownloadArtifact => {
            a.only(&[C, "devops", "run", "filename"])?;
            api.download_artifact(a.str("devops")?, a.str("run")?, a.str("filename")?)
        }
        DeletePipelineRun => {
            a.only(&[C, "devops", "run", "keep_jenkins_record"])?;
            let keep = a.bool("keep_jenkins_record")?;
            api.delete_pipeline_run(a.str("devops")?, a.str("run")?, keep)
        }
        CreatePipelineRunResource => {
            a.only(&[
                C,
                "devops",
                "pipeline",
                "run",
                "branch",
                "tag",
                "parameters",
                "creator",
                "token",
            ])?;
            let parameters = a.parameters("parameters")?;
            let creator = creator(a)?;
            let input = RunResourceInput {
                run: a.opt_str("run")?,
                branch: a.opt_str("branch")?,
                tag: a.opt_str("tag")?,
                parameters: &parameters.values,
                creator: creator.as_deref(),
            };
            api.create_pipeline_run_resource(a.str("devops")?, a.value("pipeline")?, &input)
                .map(|r| r.mask_parameters(&parameters.secret_names))
        }
        WatchPipelineRuns => {
            a.only(&[C, "devops", "pipeline", "resource_version"])?;
            api.watch_pipeline_runs(
                a.str("devops")?,
                a.opt_str("pipeline")?,
                a.opt_str("resource_version")?,
            )
        }
        GetRunLog => {
            a.only(&with(&["start"]))?;
            api.get_run_log(&build_ref(a)?, a.opt_u64("start")?.unwrap_or(0))
        }
        GetStepLog => {
            a.only(&with(&["node", "step", "start"]))?;
            let start = a.opt_u64("start")?.unwrap_or(0);
            api.get_step_log(&build_ref(a)?, a.str("node")?, a.str("step")?, start)
        }
        ListArtifacts => {
            a.only(&with(&["start", "limit"]))?;
            api.list_artifacts(&build_ref(a)?, a.opt_u64("start")?, a.opt_u64("limit")?)
        }
        GetRunNodesDetail | StopRun | ReplayRun => {
            a.only(&build_args)?;
            let build = build_ref(a)?;
            match operation {
                GetRunNodesDetail => api.get_run_nodes_detail(&build),
                StopRun => api.stop_run(&build),
                _ => api.replay_run(&build),
            }
        }
        SubmitInput => {
            a.only(&with(&["node", "step", "input_id", "abort", "parameters"]))?;
            let parameters = a.parameters("parameters")?;
            let answer = if a.bool("abort")? {
                if !parameters.values.is_empty() {
                    return Err(Error::invalid(
                        "parameters",
                        "cannot be given with abort: an aborted input takes no values",
                    ));
                }
                InputAnswer::Abort
            } else {
                InputAnswer::Proceed(&parameters.values)
            };
            let build = build_ref(a)?;
            api.submit_input(
                &build,
                a.str("node")?,
                a.str("step")?,
                a.str("input_id")?,
                &answer,
            )
            .map(|r| r.mask_parameters(&parameters.secret_names))
        }
        ListAgentLabels => {
            a.only(&[C])?;
            api.list_agent_labels()
        }
        ServiceProxy => {
            a.only(&[C, "namespace", "service", "port", "path", "method"])?;
            let service = ServiceRef {
                namespace: a.str("namespace")?,
                name: a.str("service")?,
                port: a.str("port")?,
            };
            api.service_proxy(method(a)?, &service, a.opt_str("path")?.unwrap_or(""))
        }
        Login => {
            a.only(&[C, "username", "password", "client_id", "client_secret"])?;
            api.login(
                a.str("username")?,
                &a.secret("password")?,
                &oauth_client(a)?,
            )
        }
        RefreshToken => {
            a.only(&[C, "refresh_token", "client_id", "client_secret"])?;
            api.refresh_token(&a.secret("refresh_token")?, &oauth_client(a)?)
        }
        JenkinsJobs | JenkinsBuild | JenkinsQueueItem | JenkinsBuildStatus | JenkinsConsoleText
        | JenkinsArtifact | JenkinsLabels | GetJenkinsSecret => {
            super::jenkins_direct_args::build(api, operation, a)
        }
        ListGitRepositories => {
            a.only(&[C, "devops", "page", "limit"])?;
            api.list_git_repositories(a.str("devops")?, page(a)?)
        }
        GetGitRepository | DeleteGitRepository => {
            a.only(&[C, "devops", "git_repository"])?;
            let (devops, name) = (a.str("devops")?, a.str("git_repository")?);
            match operation {
                GetGitRepository => api.get_git_repository(devops, name),
                _ => api.delete_git_repository(devops, name),
            }
        }
        CreateGitRepository => {
            a.only(&[
                C,
                "devops",
                "git_repository",
                "provider",
                "url",
                "secret",
                "creator",
                "token",
            ])?;
            let input = super::GitRepositoryInput {
                name: a.str("git_repository")?,
                provider: a.str("provider")?,
                url: a.str("url")?,
                secret: a.opt_str("secret")?,
            };
            api.create_git_repository(a.str("devops")?, &input, creator(a)?.as_deref())
        }
        UpdateGitRepository => {
            a.only(&[C, "devops", "git_repository"])?;
            let repository = serde_json::from_value(a.value("git_repository")?.clone())
                .map_err(|e| Error::invalid("git_repository", e.to_string()))?;
            api.update_git_repository(a.str("devops")?, &repository)
        }
    }
}
