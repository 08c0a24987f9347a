//! Waiting on a run: for its Jenkins build number, and for it to pause or finish.

use super::clock::{Deadline, Poller};
use super::connection::{is_transient, Client};
use super::polling::Look;
use super::watch::Watched;
use crate::error::{Error, ErrorKind, Result};
use crate::model::{NodeDetail, OverallState, PipelineRun, RunPhase, RunResult};
use crate::transport::Transport;
use std::time::Duration;

/// What [`Client::wait`] waits for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum WaitUntil {
    /// The run finished (it waits through paused inputs).
    #[default]
    Finished,
    /// The run paused at an input, or finished.
    Paused,
}

/// Where a waited-on run stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunEnd {
    Finished,
    Paused,
}

/// A run's state at the end of a wait, with its stages.
#[derive(Debug, Clone)]
pub struct RunStatus {
    pub end: RunEnd,
    /// Jenkins' result (`None` while paused, or when the server does not say).
    pub result: Option<RunResult>,
    pub phase: Option<RunPhase>,
    /// The run's state ([`PipelineRun::state`]), e.g. aborted or waiting for input.
    pub state: OverallState,
    pub stages: Vec<NodeDetail>,
    pub run: PipelineRun,
}

impl RunStatus {
    pub fn succeeded(&self) -> bool {
        self.end == RunEnd::Finished
            && (self.result == Some(RunResult::Success)
                || (self.result.is_none() && self.phase == Some(RunPhase::Succeeded)))
    }
}

/// Where `run` is now: finished, paused, or neither (`None`).
pub(crate) fn run_end(run: &PipelineRun) -> Option<RunEnd> {
    let state = run.state();
    if state.is_finished() || run.is_completed() {
        Some(RunEnd::Finished)
    } else if state == OverallState::WaitingForInput {
        Some(RunEnd::Paused)
    } else {
        None
    }
}

fn reached(end: Option<RunEnd>, until: WaitUntil) -> bool {
    matches!(
        (end, until),
        (Some(RunEnd::Finished), _) | (Some(RunEnd::Paused), WaitUntil::Paused)
    )
}

/// The status of a run that finished or paused.
fn status_of(run: PipelineRun) -> RunStatus {
    let end = run_end(&run).unwrap_or(RunEnd::Finished);
    RunStatus {
        end,
        result: if end == RunEnd::Finished {
            result_of(&run)
        } else {
            None
        },
        phase: run.phase().cloned(),
        state: run.state(),
        stages: run.stages().unwrap_or_default(),
        run,
    }
}

/// Jenkins' result of `run`, else the one its phase implies (`None` while it runs).
pub fn result_of(run: &PipelineRun) -> Option<RunResult> {
    let result = run.jenkins_run().ok().flatten().and_then(|r| r.result);
    match result {
        Some(RunResult::Unknown) | None => match run.phase() {
            Some(RunPhase::Succeeded) => Some(RunResult::Success),
            Some(RunPhase::Failed) => Some(RunResult::Failure),
            Some(RunPhase::Cancelled) => Some(RunResult::Aborted),
            _ => result,
        },
        known => known,
    }
}

impl<T: Transport> Client<T> {
    /// Waits until the controller has started `run` in Jenkins and gives the build number
    /// (at most `timeout`, default [`super::Timeouts::build_id`]).
    pub async fn build_id(&self, run: &str, timeout: Option<Duration>) -> Result<String> {
        let started = self.started_run(run, timeout).await?;
        Ok(started.build_id().unwrap_or_default().to_owned())
    }

    /// The run as first read with a Jenkins build number (see [`Client::build_id`]).
    pub(crate) async fn started_run(
        &self,
        run: &str,
        timeout: Option<Duration>,
    ) -> Result<PipelineRun> {
        let mut deadline = Deadline::after(timeout.unwrap_or(self.config().timeouts.build_id));
        let look = || async move {
            match self.get_run(run).await {
                Ok(current) if current.build_id().is_some() => Ok(Look::Done(current)),
                Ok(_) => Ok(Look::NotYet(None)),
                Err(e) if e.kind() == ErrorKind::NotFound => Ok(Look::Failed(Error::new(
                    ErrorKind::NotFound,
                    format!(
                        "run {run:?} is gone before it got a build number (the controller deletes a run \
                         that Jenkins merged into an identical queued build): {}",
                        e.message()
                    ),
                ))),
                Err(e) => Err(e),
            }
        };
        self.poll_until(&mut deadline, look, |limit, _| {
            Error::new(
                ErrorKind::Timeout,
                format!("run {run:?} got no Jenkins build number within {limit:?}"),
            )
        })
        .await
    }

    /// Polls `run` (backoff with jitter) until it finishes, or with [`WaitUntil::Paused`]
    /// until it also pauses at an input; at most `timeout` (default
    /// [`super::Timeouts::run`]). Gives the final status with its stage results.
    ///
    /// Between polls it follows the PipelineRun watch stream when the server offers it (and
    /// [`super::ClientConfig::watch_runs`] is on), so it returns as soon as the run changes;
    /// a refused watch makes this client poll only (see [`Client::watch_refusal`]), a
    /// dropped one is followed by a poll.
    pub async fn wait(
        &self,
        run: &str,
        timeout: Option<Duration>,
        until: WaitUntil,
    ) -> Result<RunStatus> {
        let mut deadline = Deadline::after(timeout.unwrap_or(self.config().timeouts.run));
        let mut poller = Poller::new(self.config().timeouts.poll, self.seed());
        let mut last_seen: Option<String> = None;
        loop {
            let mut progressed = false;
            match self.get_run(run).await {
                Ok(current) => {
                    let end = run_end(&current);
                    if reached(end, until) {
                        return Ok(status_of(current));
                    }
                    let seen = format!("{:?}/{:?}", current.phase(), end);
                    progressed = last_seen.as_ref() != Some(&seen);
                    last_seen = Some(seen);
                    if self.may_watch() {
                        let done = |run: &PipelineRun| reached(run_end(run), until);
                        match self.watch_run(&current, &mut deadline, done).await {
                            // The watched object may lack what the API adds (stages):
                            // read the run once more.
                            Watched::Done(watched) => {
                                return Ok(match self.get_run(run).await {
                                    Ok(fresh) if reached(run_end(&fresh), until) => {
                                        status_of(fresh)
                                    }
                                    _ => status_of(*watched),
                                })
                            }
                            // Poll again soon (the poll has the last word), but not at
                            // once: a proxy that ends every stream at once must not make
                            // this a busy loop.
                            Watched::Ended => progressed = true,
                            Watched::Broken => {}
                            Watched::Unavailable(why) => self.watch_refused(&why),
                        }
                    }
                }
                Err(e) if is_transient(&e) => {}
                Err(e) => return Err(e),
            }
            if !deadline
                .sleep(self.transport(), poller.next(progressed))
                .await
            {
                return Err(Error::new(
                    ErrorKind::Timeout,
                    format!(
                        "run {run:?} did not {} within {:?} (last seen: {})",
                        match until {
                            WaitUntil::Finished => "finish",
                            WaitUntil::Paused => "pause or finish",
                        },
                        deadline.limit(),
                        last_seen.as_deref().unwrap_or("no answer")
                    ),
                ));
            }
        }
    }
}
