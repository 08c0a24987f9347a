//! Following a run's or a step's log: every byte once, in order, until the run ends.
//!
//! Each poll asks for the log from the cursor's offset and streams the answer through the
//! [`LogCursor`], which hands on only new bytes (offset mode with `X-Text-Size`, re-fetch and
//! diff without). A connection that breaks mid-body is asked again from the same offset; the
//! cursor skips what was already delivered. Without `X-More-Data` the end is decided from the
//! run's state, read *before* the last request, so the bytes written just before the run
//! finished are still fetched.
//!
//! A snapshot ([`Client::log_snapshot`]) is the same reader stopped after the first answer
//! read to its end: the whole log of a finished run, or what a running run has written so
//! far. Either way a read that cannot be completed is an error saying how many bytes were
//! delivered and that the rest is missing, never a short log presented as whole.

use super::clock::{Deadline, Poller};
use super::connection::{into_error, is_transient, Client, Resend};
use super::runs::RunHandle;
use super::wait::{run_end, RunEnd};
use crate::api::{BuildRef, Operation};
use crate::error::{Error, ErrorKind, Result};
use crate::log::{LogCursor, LogHeaders};
use crate::transport::{ResponseBody, Transport};
use futures_util::stream::{self, Stream};

/// Which log to follow.
#[derive(Debug, Clone, PartialEq, Eq)]
enum LogTarget {
    Run,
    Step { node: String, step: String },
}

/// What a log request needs of a run.
struct LogBuild {
    pipeline: String,
    branch: Option<String>,
    build_id: String,
}

impl From<RunHandle> for LogBuild {
    fn from(handle: RunHandle) -> Self {
        LogBuild {
            pipeline: handle.pipeline,
            branch: handle.branch,
            build_id: handle.build_id,
        }
    }
}

impl LogBuild {
    fn of<'a>(&'a self, devops: &'a str) -> BuildRef<'a> {
        BuildRef {
            devops,
            pipeline: &self.pipeline,
            branch: self.branch.as_deref(),
            run_id: &self.build_id,
        }
    }
}

struct Follow {
    run: String,
    target: LogTarget,
    /// The run's Jenkins build, once read (the run itself is not kept).
    build: Option<LogBuild>,
    cursor: LogCursor,
    body: Option<ResponseBody>,
    /// The run had ended when the request now being read was sent.
    ended_before: bool,
    /// `ended_before` was read just now (with the build): the next request needs no read.
    state_known: bool,
    /// The last response was read to its end and the log may still grow: poll again.
    wait_first: bool,
    progressed: bool,
    poller: Poller,
    idle: Deadline,
    failures: u32,
    /// Stop after the first answer read to its end.
    snapshot: bool,
    done: bool,
}

impl<T: Transport> Client<T> {
    /// The run's log as a stream of new bytes, from the first byte until the run has ended
    /// and its log is complete. For a finished run it is the whole log.
    pub fn follow_log<'a>(&'a self, run: &str) -> impl Stream<Item = Result<Vec<u8>>> + 'a {
        self.follow(run, LogTarget::Run, false)
    }

    /// The run's log as it stands now, as a stream of bytes: the whole log of a finished
    /// run, or everything a running run has written so far. It ends once one answer has
    /// been read to its end; lost connections and cut bodies are read again from where they
    /// stopped, and a read that cannot be completed ends in an error saying so.
    pub fn log_snapshot<'a>(&'a self, run: &str) -> impl Stream<Item = Result<Vec<u8>>> + 'a {
        self.follow(run, LogTarget::Run, true)
    }

    /// One step's log (`node` = stage id, `step` = step id), followed the same way.
    pub fn follow_step_log<'a>(
        &'a self,
        run: &str,
        node: &str,
        step: &str,
    ) -> impl Stream<Item = Result<Vec<u8>>> + 'a {
        self.follow(
            run,
            LogTarget::Step {
                node: node.to_owned(),
                step: step.to_owned(),
            },
            false,
        )
    }

    /// The whole log of one step of a run, read until complete.
    pub async fn step_log(&self, run: &str, node: &str, step: &str) -> Result<Vec<u8>> {
        use futures_util::StreamExt;
        let mut all = Vec::new();
        let mut stream = std::pin::pin!(self.follow_step_log(run, node, step));
        while let Some(chunk) = stream.next().await {
            all.extend(chunk?);
        }
        Ok(all)
    }

    fn follow<'a>(
        &'a self,
        run: &str,
        target: LogTarget,
        snapshot: bool,
    ) -> impl Stream<Item = Result<Vec<u8>>> + 'a {
        let timeouts = self.config().timeouts;
        let start = Follow {
            run: run.to_owned(),
            target,
            build: None,
            cursor: LogCursor::new(),
            body: None,
            ended_before: false,
            state_known: false,
            wait_first: false,
            progressed: false,
            poller: Poller::new(timeouts.log_poll, self.seed()),
            idle: Deadline::after(timeouts.log_idle),
            failures: 0,
            snapshot,
            done: false,
        };
        stream::unfold(start, move |mut f| async move {
            loop {
                if f.done {
                    return None;
                }
                match self.follow_step(&mut f).await {
                    Ok(Some(bytes)) => return Some((Ok(bytes), f)),
                    Ok(None) => continue,
                    Err(e) => {
                        f.done = true;
                        return Some((Err(incomplete(&f, e)), f));
                    }
                }
            }
        })
    }

    /// One step of the follower: bytes to hand on, or `None` to go on.
    async fn follow_step(&self, f: &mut Follow) -> Result<Option<Vec<u8>>> {
        if f.build.is_none() {
            // One read gives the build and, for the first request, whether the run had ended.
            let run = self.started_run(&f.run, None).await?;
            f.ended_before = run_end(&run) == Some(RunEnd::Finished);
            f.state_known = true;
            f.build = Some(LogBuild::from(RunHandle::from_run(run)?));
        }
        if let Some(body) = f.body.as_mut() {
            return match body.next_chunk().await {
                Ok(Some(chunk)) => {
                    let new = f.cursor.feed_owned(chunk)?;
                    Ok(self.deliver(f, new))
                }
                Ok(None) => {
                    f.body = None;
                    f.failures = 0;
                    let tail = f.cursor.finish()?;
                    let complete = match f.cursor.more() {
                        Some(more) => !more,
                        None => f.ended_before,
                    };
                    f.done = complete || f.snapshot;
                    f.wait_first = !f.done;
                    Ok(self.deliver(f, tail))
                }
                Err(e) => {
                    f.body = None;
                    f.cursor.interrupted();
                    self.after_failure(f, e).await?;
                    Ok(None)
                }
            };
        }
        if f.wait_first {
            f.wait_first = false;
            let pause = f.poller.next(std::mem::take(&mut f.progressed));
            if !f.idle.sleep(self.transport(), pause).await {
                return Err(Error::new(
                    ErrorKind::Timeout,
                    format!(
                        "the log of run {:?} got no new byte for {:?}",
                        f.run,
                        f.idle.limit()
                    ),
                ));
            }
        }
        if f.cursor.more() != Some(true) && !std::mem::take(&mut f.state_known) {
            f.ended_before = match self.get_run(&f.run).await {
                Ok(run) => run_end(&run) == Some(RunEnd::Finished),
                Err(e) if is_transient(&e) => false,
                Err(e) => return Err(e),
            };
        }
        let build = f.build.as_ref().expect("resolved above").of(self.devops());
        let api = self.api().await?;
        let (operation, request) = match &f.target {
            LogTarget::Run => (
                Operation::GetRunLog,
                api.get_run_log(&build, f.cursor.start())?,
            ),
            LogTarget::Step { node, step } => (
                Operation::GetStepLog,
                api.get_step_log(&build, node, step, f.cursor.start())?,
            ),
        };
        match self.exchange(&request, Resend::ByMethod).await {
            Ok(response) if (200..300).contains(&response.status) => {
                let headers = LogHeaders::from_headers(
                    response
                        .headers
                        .iter()
                        .map(|(n, v)| (n.as_str(), v.as_str())),
                );
                f.cursor.begin(headers);
                f.body = Some(response.body);
            }
            Ok(response) => {
                let error = into_error(operation, response).await;
                self.after_failure(f, error).await?;
            }
            Err(e) => self.after_failure(f, e).await?,
        }
        Ok(None)
    }

    fn deliver(&self, f: &mut Follow, bytes: Vec<u8>) -> Option<Vec<u8>> {
        if bytes.is_empty() {
            return None;
        }
        f.progressed = true;
        f.failures = 0;
        f.idle = Deadline::after(self.config().timeouts.log_idle);
        Some(bytes)
    }

    /// A failed request or a broken body: wait and try again, unless it keeps failing
    /// without any progress or cannot get better.
    async fn after_failure(&self, f: &mut Follow, error: Error) -> Result<()> {
        f.failures += 1;
        if !is_transient(&error) || f.failures >= self.config().retry.max_attempts {
            return Err(error);
        }
        let delay = self.config().retry.backoff(
            f.failures,
            &mut super::retry::SeededJitter::new(self.seed()),
        );
        if !f.idle.sleep(self.transport(), delay).await {
            return Err(error);
        }
        Ok(())
    }
}

/// A failure after part of the log was handed on: say that the rest is missing.
fn incomplete(f: &Follow, error: Error) -> Error {
    match f.cursor.delivered() {
        0 => error,
        read => error.context(format_args!(
            "the log of run {:?} is incomplete: {read} bytes were read and the rest is missing",
            f.run
        )),
    }
}
