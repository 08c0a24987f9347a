//! The overall limit on a command: by default none runs past about two minutes against a
//! silent or dripping server, slow answers included. Commands that wait on purpose
//! (`--wait`, `--follow`, `wait`, a pipeline create waiting for its sync) keep their own
//! `--timeout` instead.

use crate::cli::{Command, Global, PipelinesCommand};
use crate::exit::Failure;
use std::future::Future;
use std::time::Duration;

/// The limit for `command`, or `None` when it has none (disabled, or it waits on purpose).
pub fn for_command(global: &Global, command: &Command) -> Option<Duration> {
    let waits = match command {
        Command::Run(args) => args.wait || args.follow,
        Command::Logs(args) => args.follow,
        Command::Wait(_) => true,
        Command::Scan(args) => args.wait,
        Command::Pipelines(PipelinesCommand::Create(args)) => !args.no_wait,
        Command::Pipelines(PipelinesCommand::Update(args)) => !args.no_wait,
        _ => false,
    };
    (!waits && global.deadline > 0).then(|| Duration::from_secs(global.deadline))
}

/// Runs `work`, giving up once `limit` has passed.
pub async fn within<T>(
    limit: Option<Duration>,
    work: impl Future<Output = Result<T, Failure>>,
) -> Result<T, Failure> {
    let Some(limit) = limit else {
        return work.await;
    };
    match tokio::time::timeout(limit, work).await {
        Ok(result) => result,
        Err(_) => Err(Failure::server(format!(
            "timeout: gave up after {} s without the whole answer from the server (the \
             limit is --deadline SECONDS or KUBESPHERE_DEADLINE; 0 for none)",
            limit.as_secs()
        ))),
    }
}
