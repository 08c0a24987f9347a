//! Following one run through the Kubernetes watch stream of PipelineRuns, for
//! [`super::Client::wait`]: a change is seen as it happens instead of at the next poll.
//!
//! The stream is a helper, never the only source: each watch is bounded (the server ends it
//! after [`SEGMENT`], the client also gives up at its deadline), and whatever goes wrong with
//! it, the wait goes back to a poll, which decides.

use super::clock::Deadline;
use super::connection::{is_transient, Client, Resend, MAX_BODY};
use crate::api::Operation;
use crate::error::{Error, ErrorKind};
use crate::model::PipelineRun;
use crate::transport::Transport;
use futures_util::future::{select, Either};
use serde_json::Value;
use std::time::Duration;

/// Longest single watch request (its `timeoutSeconds`); then the client polls and watches
/// again. Below the usual idle read timeouts of proxies and of the reqwest transport.
pub(crate) const SEGMENT: Duration = Duration::from_secs(30);

/// How a watch of one run ended.
pub(crate) enum Watched {
    /// A new state of the run that `done` accepted.
    Done(Box<PipelineRun>),
    /// The server closed the stream at the end of the segment, or the deadline came.
    Ended,
    /// The connection dropped or the server said to start over (e.g. 410 Gone): poll.
    Broken,
    /// The server does not offer the watch (or not to this user): poll from now on.
    Unavailable(Error),
}

impl<T: Transport> Client<T> {
    /// Watches `current` alone (not the other runs of its pipeline: with many waits at once,
    /// each stream would carry every run's changes) from its version until an event about it
    /// satisfies `done`.
    pub(crate) async fn watch_run(
        &self,
        current: &PipelineRun,
        deadline: &mut Deadline,
        done: impl Fn(&PipelineRun) -> bool,
    ) -> Watched {
        // Nothing to watch by: this run is polled.
        let Some(name) = current.name() else {
            return Watched::Broken;
        };
        let segment = SEGMENT.min(deadline.remaining());
        if segment < Duration::from_secs(1) {
            return Watched::Ended;
        }
        let request = match self.api().await.and_then(|api| {
            api.watch_pipeline_run(
                self.devops(),
                name,
                current.metadata.resource_version.as_deref(),
            )
        }) {
            Ok(request) => request.query_param("timeoutSeconds", segment.as_secs().to_string()),
            Err(e) => return Watched::Unavailable(e),
        };
        let response = match self
            .send(Operation::WatchPipelineRuns, &request, Resend::ByMethod)
            .await
        {
            Ok(response) => response,
            Err(e) if is_transient(&e) || e.kind() == ErrorKind::Unauthorized => {
                return Watched::Broken
            }
            Err(e) => return Watched::Unavailable(e),
        };
        let mut body = response.body;
        let mut pending: Vec<u8> = Vec::new();
        loop {
            let next = std::pin::pin!(body.next_chunk());
            let timer = std::pin::pin!(self.transport().sleep(deadline.remaining()));
            let chunk = match select(next, timer).await {
                Either::Left((Ok(Some(chunk)), _)) => chunk,
                // The server ends a watch at `timeoutSeconds`.
                Either::Left((Ok(None), _)) => {
                    deadline.charge(segment);
                    return Watched::Ended;
                }
                Either::Left((Err(_), _)) => return Watched::Broken,
                Either::Right(_) => {
                    deadline.charge(deadline.remaining());
                    return Watched::Ended;
                }
            };
            pending.extend_from_slice(&chunk);
            if pending.len() > MAX_BODY {
                return Watched::Broken;
            }
            while let Some(end) = pending.iter().position(|b| *b == b'\n') {
                let line: Vec<u8> = pending.drain(..=end).collect();
                match event_about(&line, name) {
                    Event::Run(run) if done(&run) => return Watched::Done(run),
                    Event::Run(_) | Event::Other => {}
                    Event::StartOver => return Watched::Broken,
                }
            }
        }
    }
}

enum Event {
    /// A new state of the watched run.
    Run(Box<PipelineRun>),
    /// About another run, or a bookmark.
    Other,
    /// An `ERROR` event, the run deleted, or a line that is not an event.
    StartOver,
}

fn event_about(line: &[u8], name: &str) -> Event {
    if line.iter().all(u8::is_ascii_whitespace) {
        return Event::Other;
    }
    let Ok(event) = serde_json::from_slice::<Value>(line) else {
        return Event::StartOver;
    };
    let kind = event.get("type").and_then(Value::as_str).unwrap_or("");
    let object = event.get("object").cloned().unwrap_or(Value::Null);
    let about_run = object.pointer("/metadata/name").and_then(Value::as_str) == Some(name);
    match kind {
        "ERROR" => Event::StartOver,
        "DELETED" if about_run => Event::StartOver,
        "ADDED" | "MODIFIED" if about_run => match serde_json::from_value(object) {
            Ok(run) => Event::Run(Box::new(run)),
            Err(_) => Event::StartOver,
        },
        _ => Event::Other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_are_read_for_the_watched_run_only() {
        let line = |kind: &str, name: &str| {
            format!(
                r#"{{"type":"{kind}","object":{{"metadata":{{"name":"{name}"}},"spec":{{"pipelineRef":{{"name":"p"}}}}}}}}"#
            )
                .into_bytes()
        };
        assert!(
            matches!(event_about(&line("MODIFIED", "r1"), "r1"), Event::Run(run) if run.name() == Some("r1"))
        );
        assert!(matches!(
            event_about(&line("MODIFIED", "r2"), "r1"),
            Event::Other
        ));
        assert!(matches!(
            event_about(&line("BOOKMARK", "r1"), "r1"),
            Event::Other
        ));
        assert!(matches!(
            event_about(&line("DELETED", "r1"), "r1"),
            Event::StartOver
        ));
        assert!(matches!(
            event_about(
                br#"{"type":"ERROR","object":{"kind":"Status","code":410}}"#,
                "r1"
            ),
            Event::StartOver
        ));
        assert!(matches!(event_about(b"{not json", "r1"), Event::StartOver));
        assert!(matches!(event_about(b"\r\n", "r1"), Event::Other));
    }
}
