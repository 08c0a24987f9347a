//! Printing a run's log: the whole log, or following it as it grows.
//!
//! Following stops when the run finishes, or when it pauses at an input (a person has to
//! answer; a script would otherwise hang): the log up to the pause is printed, then a hint
//! on stderr. `run --follow --wait` follows through pauses instead.

use crate::cli::LogsArgs;
use crate::context::{Context, KsClient, LOG_POLL};
use crate::dry_run;
use crate::exit::{Failure, SUCCESS};
use futures_util::{Stream, StreamExt};
use ksdevops::client::{RunEnd, WaitUntil};
use std::time::Duration;

/// After the run is seen paused, how long the log may stay quiet before it is taken as
/// complete up to the pause: a log poll that started after the pause has had time to answer.
const PAUSE_GRACE: Duration = Duration::from_millis(LOG_POLL.max.as_millis() as u64 + 1000);

fn write_chunk(bytes: &[u8]) -> Result<(), Failure> {
    crate::output::write_raw(bytes);
    Ok(())
}

pub async fn logs(ctx: &Context, args: LogsArgs) -> Result<i32, Failure> {
    if ctx.dry_run() {
        return dry_run::show_run_lookup(ctx, &args.run, Some("GET …/runs/{build}/log/?start=N for the run's Jenkins build, from the last offset, until the log is complete"));
    }
    if args.follow && ctx.json() {
        return Err(Failure::usage(
            "--json gives the log as one JSON object, so it cannot be combined with --follow",
        ));
    }
    let client = ctx.client()?;
    if args.follow {
        follow(&client, &args.run, true).await?;
    } else if ctx.json() {
        let mut log = Vec::new();
        snapshot(&client, &args.run, &mut |chunk| {
            log.extend_from_slice(chunk);
            Ok(())
        })
        .await?;
        crate::output::print_json(&serde_json::json!({
            "run": args.run,
            "log": String::from_utf8_lossy(&log),
        }))?;
    } else {
        snapshot(&client, &args.run, &mut write_chunk).await?;
    }
    Ok(SUCCESS)
}

/// The whole log of a finished run, or what a running run has written so far; an error,
/// never a shortened log, when part of it cannot be read.
async fn snapshot(
    client: &KsClient,
    run: &str,
    out: &mut impl FnMut(&[u8]) -> Result<(), Failure>,
) -> Result<(), Failure> {
    let mut stream = std::pin::pin!(client.log_snapshot(run));
    while let Some(chunk) = stream.next().await {
        out(&chunk?)?;
    }
    Ok(())
}

/// Prints chunks until the stream ends (true) or stays quiet for `idle` (false).
async fn drain_until_quiet(
    stream: &mut (impl Stream<Item = ksdevops::error::Result<Vec<u8>>> + Unpin),
    idle: Duration,
    out: &mut impl FnMut(&[u8]) -> Result<(), Failure>,
) -> Result<bool, Failure> {
    loop {
        match tokio::time::timeout(idle, stream.next()).await {
            Ok(Some(chunk)) => out(&chunk?)?,
            Ok(None) => return Ok(true),
            Err(_) => return Ok(false),
        }
    }
}

/// Prints the log as it grows. With `stop_at_pause`, returns once the run waits for input
/// and the log up to there is printed; otherwise when the run has finished.
pub async fn follow(client: &KsClient, run: &str, stop_at_pause: bool) -> Result<RunEnd, Failure> {
    let mut stream = std::pin::pin!(client.follow_log(run));
    if !stop_at_pause {
        while let Some(chunk) = stream.next().await {
            write_chunk(&chunk?)?;
        }
        return Ok(RunEnd::Finished);
    }
    let mut paused = std::pin::pin!(client.wait(run, None, WaitUntil::Paused));
    let mut watching = true;
    loop {
        tokio::select! {
            chunk = stream.next() => match chunk {
                Some(chunk) => write_chunk(&chunk?)?,
                None => return Ok(RunEnd::Finished),
            },
            status = &mut paused, if watching => {
                watching = false;
                if status?.end == RunEnd::Paused {
                    break;
                }
                // Finished: the log stream ends by itself once complete.
            }
        }
    }
    if drain_until_quiet(&mut stream, PAUSE_GRACE, &mut write_chunk).await? {
        return Ok(RunEnd::Finished);
    }
    errln!("ksdevops: run {run} is waiting for input: see `ksdevops inputs {run}`, then `ksdevops approve {run}` or `ksdevops abort {run}`");
    Ok(RunEnd::Paused)
}
