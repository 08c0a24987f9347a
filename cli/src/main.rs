//! `ksdevops`: drive KubeSphere DevOps pipelines from the shell.
//!
//! Exit codes: 0 success, 1 the run failed or was aborted, 2 usage (bad arguments or
//! values), 3 the server or the network failed.

#[macro_use]
mod output;

mod artifacts;
mod checks;
mod cli;
mod context;
mod credentials;
mod deadline;
mod dry_run;
mod exit;
mod follow;
mod git_repos;
mod inputs;
mod jenkins;
mod jenkinsfile;
mod login;
mod multibranch;
mod pipelines;
mod progress;
mod projects;
mod run_preview;
mod runs;
mod token_file;
mod values;
mod watch;

use clap::Parser;
use cli::{Cli, Command};
use exit::Failure;

fn main() {
    let cli = Cli::parse();
    let code = match cli.command {
        // Offline: no runtime, no connection settings needed.
        Command::Jenkinsfile(command) => jenkinsfile::run(command),
        command => match run(cli.global, command) {
            Ok(code) => code,
            Err(failure) => failure.report(),
        },
    };
    std::process::exit(code);
}

fn run(global: cli::Global, command: Command) -> Result<i32, Failure> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Failure::server(format!("cannot start the async runtime: {e}")))?;
    let deadline = deadline::for_command(&global, &command);
    runtime.block_on(deadline::within(deadline, dispatch(global, command)))
}

async fn dispatch(global: cli::Global, command: Command) -> Result<i32, Failure> {
    let ctx = context::Context::new(global)?;
    checks::arguments(&ctx, &command)?;
    match command {
        Command::Jenkinsfile(_) => unreachable!("handled before the runtime starts"),
        Command::Login(args) => login::run(&ctx, args).await,
        Command::Pipelines(command) => pipelines::run(&ctx, command).await,
        Command::Credentials(command) => credentials::run(&ctx, command).await,
        Command::Projects(args) => projects::run(&ctx, args).await,
        Command::Params(args) => pipelines::params(&ctx, args).await,
        Command::Branches(args) => pipelines::branches(&ctx, args).await,
        Command::Scan(args) => pipelines::scan(&ctx, args).await,
        Command::Run(args) => runs::trigger(&ctx, args).await,
        Command::Runs(command) => runs::run(&ctx, command).await,
        Command::Wait(args) => runs::wait(&ctx, args).await,
        Command::Watch(args) => watch::run(&ctx, args).await,
        Command::Logs(args) => follow::logs(&ctx, args).await,
        Command::Why(args) => runs::why(&ctx, args).await,
        Command::Inputs(args) => inputs::list(&ctx, args).await,
        Command::Approve(args) => inputs::approve(&ctx, args).await,
        Command::Abort(args) => inputs::abort(&ctx, args).await,
        Command::Artifacts(args) => artifacts::list(&ctx, args).await,
        Command::Download(args) => artifacts::download(&ctx, args).await,
        Command::Jenkins(args) => jenkins::run(&ctx, args).await,
        Command::GitRepos(command) => git_repos::run(&ctx, command).await,
    }
}
