//! The command line: global connection options and every subcommand's arguments.

use crate::jenkinsfile::JenkinsfileCommand;
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

/// Drive KubeSphere DevOps pipelines from the shell.
///
/// Exit codes: 0 success; 1 the run failed or was aborted; 2 usage (bad arguments or
/// values); 3 the server or the network failed.
#[derive(Parser)]
#[command(name = "ksdevops", version)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

/// Where the server is, who you are, and how to print.
#[derive(Args, Clone, Debug)]
pub struct Global {
    /// KubeSphere API server, e.g. http://ks-console.example:30880
    #[arg(long, env = "KUBESPHERE_API", global = true)]
    pub server: Option<String>,
    /// Bearer access token (prefer the environment variable or --token-file: a flag shows in `ps`)
    #[arg(long, env = "KUBESPHERE_TOKEN", hide_env_values = true, global = true)]
    pub token: Option<String>,
    /// File holding the access token, as written by `ksdevops login --save-token`
    #[arg(long, env = "KUBESPHERE_TOKEN_FILE", global = true)]
    pub token_file: Option<PathBuf>,
    /// User name for the OAuth password grant (when no token is given)
    #[arg(long, env = "KUBESPHERE_USERNAME", global = true)]
    pub username: Option<String>,
    /// Password for the OAuth password grant (prefer the environment variable)
    #[arg(
        long,
        env = "KUBESPHERE_PASSWORD",
        hide_env_values = true,
        global = true
    )]
    pub password: Option<String>,
    /// Member cluster to address, when not the host cluster
    #[arg(long, env = "KUBESPHERE_CLUSTER", global = true)]
    pub cluster: Option<String>,
    /// DevOps project (namespace) to work in
    #[arg(short = 'n', long, env = "DEVOPS_PROJECT", global = true)]
    pub project: Option<String>,
    /// API generation: v4 (KubeSphere 4.x) or v3; detected when not given
    #[arg(long, env = "KUBESPHERE_LAYOUT", global = true, value_parser = ["v4", "v3"])]
    pub layout: Option<String>,
    /// PEM bundle of extra trusted CA certificates
    #[arg(long, env = "KUBESPHERE_CA_FILE", global = true)]
    pub ca_file: Option<PathBuf>,
    /// Accept any TLS certificate (unsafe; only for test servers)
    #[arg(long, global = true)]
    pub insecure: bool,
    /// Longest time in seconds a command may take, slow answers included; 0 for no limit.
    /// Commands with --wait or --follow (and `wait`) are bounded by their own --timeout instead
    #[arg(
        long,
        env = "KUBESPHERE_DEADLINE",
        global = true,
        value_name = "SECONDS",
        default_value_t = 120
    )]
    pub deadline: u64,
    /// Longest wait in seconds for a connection to the server
    #[arg(
        long,
        env = "KUBESPHERE_CONNECT_TIMEOUT",
        global = true,
        value_name = "SECONDS"
    )]
    pub connect_timeout: Option<u64>,
    /// Longest wait in seconds for the next bytes of an answer
    #[arg(
        long,
        env = "KUBESPHERE_READ_TIMEOUT",
        global = true,
        value_name = "SECONDS"
    )]
    pub read_timeout: Option<u64>,
    /// Print JSON instead of tables (every read)
    #[arg(long, global = true)]
    pub json: bool,
    /// Print the curl command(s) instead of sending anything (secrets masked)
    #[arg(long, global = true)]
    pub dry_run: bool,
}

#[derive(Subcommand)]
pub enum Command {
    /// Log in with user name and password; store or print the access token
    Login(LoginArgs),
    /// List, show, create, update or delete pipelines
    #[command(subcommand)]
    Pipelines(PipelinesCommand),
    /// List, create or delete credentials
    #[command(subcommand)]
    Credentials(CredentialsCommand),
    /// List, show, create, update or delete the DevOps projects of a workspace
    Projects(ProjectsArgs),
    /// Show the parameters a run of PIPELINE takes
    Params(PipelineBranchArgs),
    /// Start a run of PIPELINE with checked parameters
    Run(RunArgs),
    /// List, show, stop or replay runs
    #[command(subcommand)]
    Runs(RunsCommand),
    /// Wait until RUN finishes (or pauses, with --until paused)
    Wait(WaitArgs),
    /// Show the project's runs live as they change (until Ctrl-C, --timeout or --events)
    Watch(WatchArgs),
    /// Print the log of RUN
    Logs(LogsArgs),
    /// Show the inputs RUN waits for
    Inputs(RunArg),
    /// Proceed past a paused input of RUN
    Approve(ApproveArgs),
    /// Abort RUN at its paused input
    Abort(AbortArgs),
    /// List the files RUN archived
    Artifacts(RunArg),
    /// Download an archived file of RUN
    Download(DownloadArgs),
    /// Explain why RUN failed or is stuck
    Why(RunArg),
    /// List the branches of multi-branch PIPELINE
    Branches(BranchesArgs),
    /// Scan the repository of multi-branch PIPELINE
    Scan(ScanArgs),
    /// Read a Jenkinsfile offline, with Jenkins' rules
    #[command(subcommand)]
    Jenkinsfile(JenkinsfileCommand),
    /// Reach Jenkins itself: jobs, builds, status, console, artifacts, agent labels
    Jenkins(crate::jenkins::JenkinsArgs),
    /// List, show, create, update or delete the project's GitRepository resources
    #[command(subcommand)]
    GitRepos(crate::git_repos::GitReposCommand),
}

#[derive(Args)]
pub struct WatchArgs {
    /// Only the runs of this pipeline
    pub pipeline: Option<String>,
    /// Stop watching after this many seconds
    #[arg(long, value_name = "SECONDS")]
    pub timeout: Option<u64>,
    /// Stop after this many changes
    #[arg(long, value_name = "N")]
    pub events: Option<u64>,
}

#[derive(Args)]
pub struct LoginArgs {
    /// Print the access token on stdout (for `export KUBESPHERE_TOKEN=$(ksdevops login --print-token)`)
    #[arg(long, conflicts_with = "token_file_out")]
    pub print_token: bool,
    /// Write the access and refresh tokens to this file (JSON, mode 0600); commands that
    /// read it renew an expired access token and rewrite it
    #[arg(long = "save-token", value_name = "PATH")]
    pub token_file_out: Option<PathBuf>,
    /// Read the password from the first line of standard input
    #[arg(long)]
    pub password_stdin: bool,
}

#[derive(Subcommand)]
pub enum PipelinesCommand {
    /// List the pipelines of the project
    List,
    /// Show one pipeline
    Get { pipeline: String },
    /// Create a pipeline from a Jenkinsfile, a repository (multi-branch), or a pipeline
    /// resource in JSON
    Create(CreatePipelineArgs),
    /// Change a pipeline's description or the Jenkinsfile of a regular pipeline
    Update(UpdatePipelineArgs),
    /// Delete a pipeline with its runs
    Delete { pipeline: String },
}

#[derive(Args)]
pub struct UpdatePipelineArgs {
    pub pipeline: String,
    #[arg(long)]
    pub description: Option<String>,
    /// The new Jenkinsfile of a regular pipeline (`-` reads standard input)
    #[arg(long, value_name = "FILE")]
    pub jenkinsfile: Option<PathBuf>,
    /// Return as soon as the server accepted it, without waiting for Jenkins to have it
    #[arg(long)]
    pub no_wait: bool,
    /// Longest wait for Jenkins to have it, in seconds
    #[arg(long, value_name = "SECONDS")]
    pub timeout: Option<u64>,
}

#[derive(Args)]
pub struct CreatePipelineArgs {
    /// Name of the new pipeline (with --jenkinsfile)
    pub name: Option<String>,
    /// Jenkinsfile of a regular pipeline (`-` reads standard input)
    #[arg(
        long,
        value_name = "FILE",
        conflicts_with = "from_json",
        requires = "name"
    )]
    pub jenkinsfile: Option<PathBuf>,
    /// A pipeline resource (devops.kubesphere.io/v1alpha3 Pipeline) in JSON
    #[arg(long, value_name = "FILE")]
    pub from_json: Option<PathBuf>,
    #[command(flatten)]
    pub scm: ScmArgs,
    #[arg(long)]
    pub description: Option<String>,
    /// Return as soon as the server accepted it, without waiting for Jenkins to have it
    #[arg(long)]
    pub no_wait: bool,
    /// Longest wait for Jenkins to have it, in seconds
    #[arg(long, value_name = "SECONDS")]
    pub timeout: Option<u64>,
}

/// The repository of a multi-branch pipeline: each branch (and tag) runs its own Jenkinsfile.
#[derive(Args)]
pub struct ScmArgs {
    /// Kind of repository: git (the default), github, gitlab, bitbucket (Bitbucket Server)
    /// or svn
    #[arg(long, value_parser = ["git", "github", "gitlab", "bitbucket", "svn"], requires = "git_url")]
    pub source: Option<String>,
    /// The repository of a multi-branch pipeline
    #[arg(
        long,
        value_name = "URL",
        conflicts_with_all = ["jenkinsfile", "from_json"],
        requires = "name"
    )]
    pub git_url: Option<String>,
    /// The credential the repository is read with (see `ksdevops credentials`)
    #[arg(long, value_name = "ID", requires = "git_url")]
    pub credential: Option<String>,
    /// Where each branch keeps its Jenkinsfile (default: Jenkinsfile)
    #[arg(long, value_name = "PATH", requires = "git_url")]
    pub script_path: Option<String>,
    /// Also build tags (not for svn)
    #[arg(long, requires = "git_url")]
    pub discover_tags: bool,
    /// Which branches to build: all, none (git); exclude-prs (the default), only-prs, all
    /// (github, gitlab, bitbucket); not for svn
    #[arg(
        long,
        value_name = "STRATEGY",
        value_parser = ["all", "none", "exclude-prs", "only-prs"],
        requires = "git_url"
    )]
    pub discover_branches: Option<String>,
}

#[derive(Args)]
pub struct ProjectsArgs {
    /// Workspace the DevOps projects belong to
    #[arg(long, short = 'w', env = "KUBESPHERE_WORKSPACE", global = true)]
    pub workspace: Option<String>,
    #[command(subcommand)]
    pub command: ProjectsCommand,
}

#[derive(Subcommand)]
pub enum ProjectsCommand {
    /// List the DevOps projects of the workspace you may see
    List,
    /// Show one DevOps project
    Get {
        #[arg(value_name = "PROJECT")]
        name: String,
    },
    /// Create a DevOps project (its namespace gets the same name)
    Create {
        #[arg(value_name = "PROJECT")]
        name: String,
    },
    /// Change the description or display name of a DevOps project
    Update(UpdateProjectArgs),
    /// Delete a DevOps project with its pipelines, runs and credentials
    Delete {
        #[arg(value_name = "PROJECT")]
        name: String,
    },
}

#[derive(Args)]
pub struct UpdateProjectArgs {
    #[arg(value_name = "PROJECT")]
    pub name: String,
    #[arg(long)]
    pub description: Option<String>,
    /// Display name shown by the console
    #[arg(long)]
    pub alias: Option<String>,
}

#[derive(Subcommand)]
pub enum CredentialsCommand {
    /// List the credentials of the project (secret values are never shown)
    List,
    /// Create a credential; the secret value is read from stdin or a file, never a flag
    Create(CreateCredentialArgs),
    /// Delete a credential
    Delete { credential: String },
}

#[derive(Args)]
pub struct CreateCredentialArgs {
    pub name: String,
    /// basic-auth, ssh-auth, secret-text or kubeconfig
    #[arg(long, value_parser = ["basic-auth", "ssh-auth", "secret-text", "kubeconfig"])]
    pub kind: String,
    /// The credential's user name (basic-auth, ssh-auth); `--username` is the login's
    #[arg(long = "user", id = "credential_user", value_name = "NAME")]
    pub user: Option<String>,
    /// Read the secret (password, private key, text, kubeconfig) from this file
    #[arg(long, value_name = "PATH", conflicts_with = "secret_stdin")]
    pub secret_file: Option<PathBuf>,
    /// Read the secret from standard input (a trailing newline is removed)
    #[arg(long)]
    pub secret_stdin: bool,
    #[arg(long)]
    pub description: Option<String>,
}

#[derive(Args)]
pub struct PipelineBranchArgs {
    pub pipeline: String,
    /// Branch of a multi-branch pipeline (display name like feature/login, or Jenkins name)
    #[arg(long, short = 'b')]
    pub branch: Option<String>,
}

#[derive(Args)]
pub struct RunArgs {
    pub pipeline: String,
    /// Branch of a multi-branch pipeline
    #[arg(long, short = 'b')]
    pub branch: Option<String>,
    /// Tag of a multi-branch pipeline that discovers tags
    #[arg(long, conflicts_with = "branch")]
    pub tag: Option<String>,
    /// A parameter value, NAME=VALUE (repeat for several)
    #[arg(short = 'p', long = "param", value_name = "NAME=VALUE")]
    pub params: Vec<String>,
    /// Name of the PipelineRun to create (a retried create never starts a second run)
    #[arg(long)]
    pub name: Option<String>,
    /// With --dry-run: check the values against this Jenkinsfile's parameters, offline
    /// (`-` reads standard input); nothing is sent
    #[arg(long, value_name = "FILE")]
    pub jenkinsfile: Option<PathBuf>,
    /// Wait until the run finishes; the exit code tells how it ended
    #[arg(long)]
    pub wait: bool,
    /// Print the log as it grows, until the run finishes or pauses at an input
    #[arg(long, short = 'f')]
    pub follow: bool,
    /// Longest wait, in seconds
    #[arg(long, value_name = "SECONDS")]
    pub timeout: Option<u64>,
}

#[derive(Subcommand)]
pub enum RunsCommand {
    /// List the runs of PIPELINE, newest first
    List(PipelineBranchArgs),
    /// Show one run with its stages
    Get(RunArg),
    /// Stop a run
    Stop(RunArg),
    /// Run a build again with the same parameters
    Replay(RunArg),
}

#[derive(Args)]
pub struct RunArg {
    /// The run (PipelineRun name, as `ksdevops run` prints it)
    pub run: String,
}

#[derive(Args)]
pub struct WaitArgs {
    pub run: String,
    /// finished (default) or paused (also stop at an input)
    #[arg(long, default_value = "finished", value_parser = ["finished", "paused"])]
    pub until: String,
    /// Longest wait, in seconds
    #[arg(long, value_name = "SECONDS")]
    pub timeout: Option<u64>,
}

#[derive(Args)]
pub struct LogsArgs {
    pub run: String,
    /// Follow the log as it grows, until the run finishes or pauses at an input
    #[arg(long, short = 'f')]
    pub follow: bool,
}

#[derive(Args)]
pub struct ApproveArgs {
    pub run: String,
    /// The input's id, when the run waits at several
    #[arg(long)]
    pub input: Option<String>,
    /// A value for one of the input's parameters, NAME=VALUE
    #[arg(short = 'p', long = "param", value_name = "NAME=VALUE")]
    pub params: Vec<String>,
}

#[derive(Args)]
pub struct AbortArgs {
    pub run: String,
    /// The input's id, when the run waits at several
    #[arg(long)]
    pub input: Option<String>,
}

#[derive(Args)]
pub struct DownloadArgs {
    pub run: String,
    /// The artifact's path (as `ksdevops artifacts` lists it) or name
    pub artifact: String,
    /// Where to write it: a file, or a directory (default: the current directory)
    #[arg(short = 'o', long, value_name = "PATH")]
    pub output: Option<PathBuf>,
}

#[derive(Args)]
pub struct BranchesArgs {
    pub pipeline: String,
    /// origin (branches only) or pull-requests
    #[arg(long, value_parser = ["origin", "pull-requests"])]
    pub filter: Option<String>,
}

#[derive(Args)]
pub struct ScanArgs {
    pub pipeline: String,
    /// Wait until the scan finishes and print its log
    #[arg(long)]
    pub wait: bool,
    /// Longest wait, in seconds
    #[arg(long, value_name = "SECONDS")]
    pub timeout: Option<u64>,
}
