//! The operation vocabulary shared by builders, decoders, vectors and bindings.

use crate::error::{Error, Result};

/// How a successful response to an operation is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResponseKind {
    /// JSON (an empty body reads as `null`).
    Json,
    /// JSON holding tokens: never quoted in decode errors.
    Token,
    /// Text (`text/plain` or `text/html`).
    Text,
    /// A progressive log chunk with the `X-Text-Size` / `X-More-Data` headers when present.
    Log,
    /// Raw bytes (artifact download).
    Bytes,
    /// The input-submit answer: HTTP 200 can still carry a refusal.
    InputSubmit,
    /// A Kubernetes watch stream: one JSON event per line.
    WatchEvents,
}

macro_rules! operations {
    ($($variant:ident = $name:literal => $kind:ident,)*) => {
        /// Every operation a request can be built for.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Operation { $($variant,)* }

        impl Operation {
            pub const ALL: &'static [Operation] = &[$(Operation::$variant,)*];

            pub fn as_str(self) -> &'static str {
                match self { $(Operation::$variant => $name,)* }
            }

            pub fn response(self) -> ResponseKind {
                match self { $(Operation::$variant => ResponseKind::$kind,)* }
            }
        }
    };
}

operations! {
    ListPipelines = "list_pipelines" => Json,
    GetPipeline = "get_pipeline" => Json,
    CreatePipeline = "create_pipeline" => Json,
    UpdatePipeline = "update_pipeline" => Json,
    UpdateJenkinsfile = "update_jenkinsfile" => Json,
    DeletePipeline = "delete_pipeline" => Json,
    ListCredentials = "list_credentials" => Json,
    GetCredential = "get_credential" => Json,
    CreateCredential = "create_credential" => Json,
    UpdateCredential = "update_credential" => Json,
    DeleteCredential = "delete_credential" => Json,
    ListDevopsProjects = "list_devops_projects" => Json,
    GetDevopsProject = "get_devops_project" => Json,
    CreateDevopsProject = "create_devops_project" => Json,
    UpdateDevopsProject = "update_devops_project" => Json,
    DeleteDevopsProject = "delete_devops_project" => Json,
    ListBranches = "list_branches" => Json,
    GetBranch = "get_branch" => Json,
    ListPipelineRuns = "list_pipeline_runs" => Json,
    CreatePipelineRun = "create_pipeline_run" => Json,
    GetPipelineRun = "get_pipeline_run" => Json,
    GetNodeDetails = "get_node_details" => Json,
    DownloadArtifact = "download_artifact" => Bytes,
    DeletePipelineRun = "delete_pipeline_run" => Json,
    CreatePipelineRunResource = "create_pipeline_run_resource" => Json,
    GetPipelineRunResource = "get_pipeline_run_resource" => Json,
    WatchPipelineRuns = "watch_pipeline_runs" => WatchEvents,
    ScanRepository = "scan_repository" => Text,
    GetScanLog = "get_scan_log" => Text,
    GetRunLog = "get_run_log" => Log,
    GetStepLog = "get_step_log" => Log,
    ListArtifacts = "list_artifacts" => Json,
    GetRunNodesDetail = "get_run_nodes_detail" => Json,
    SubmitInput = "submit_input" => InputSubmit,
    StopRun = "stop_run" => Json,
    ReplayRun = "replay_run" => Json,
    ListAgentLabels = "list_agent_labels" => Json,
    ServiceProxy = "service_proxy" => Text,
    Login = "login" => Token,
    RefreshToken = "refresh_token" => Token,
    JenkinsJobs = "jenkins_jobs" => Json,
    JenkinsBuild = "jenkins_build" => Text,
    JenkinsQueueItem = "jenkins_queue_item" => Json,
    JenkinsBuildStatus = "jenkins_build_status" => Json,
    JenkinsConsoleText = "jenkins_console_text" => Text,
    JenkinsArtifact = "jenkins_artifact" => Bytes,
    JenkinsLabels = "jenkins_labels" => Json,
    GetJenkinsSecret = "get_jenkins_secret" => Token,
    ListGitRepositories = "list_git_repositories" => Json,
    GetGitRepository = "get_git_repository" => Json,
    CreateGitRepository = "create_git_repository" => Json,
    UpdateGitRepository = "update_git_repository" => Json,
    DeleteGitRepository = "delete_git_repository" => Json,
}

impl std::str::FromStr for Operation {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        Operation::ALL
            .iter()
            .copied()
            .find(|op| op.as_str() == s)
            .ok_or_else(|| Error::invalid("operation", format!("{s:?} is not a known operation")))
    }
}

impl std::fmt::Display for Operation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
