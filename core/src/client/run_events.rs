//! [`Client::watch_runs`]: the PipelineRuns of a project (or of one pipeline) as a live
//! stream of changes, from the Kubernetes watch.
//!
//! One watch request lasts at most [`SEGMENT`]; the stream then watches again from the last
//! version it saw, so no change is missed between segments. A dropped connection is watched
//! again after a back-off; an `ERROR` event (the version is too old, 410 Gone) starts over
//! from the present. A server that refuses the watch ends the stream with its error.

use super::connection::{is_transient, Client, Resend};
use super::retry::SeededJitter;
use super::watch::SEGMENT;
use crate::api::Operation;
use crate::error::{Error, ErrorKind, Result};
use crate::model::PipelineRun;
use crate::transport::{ResponseBody, Transport};
use futures_util::stream::{self, Stream};
use serde::Deserialize;
use std::collections::VecDeque;

/// What happened to a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RunChange {
    Added,
    Modified,
    Deleted,
}

/// One change of one run, with the run as it is after the change (before it, when deleted).
#[derive(Debug, Clone, serde::Serialize)]
pub struct RunEvent {
    pub change: RunChange,
    pub run: PipelineRun,
}

/// Transport failures in a row after which the stream gives up with the last error.
const MAX_BROKEN: u32 = 8;

struct Watching<'a, T> {
    client: &'a Client<T>,
    pipeline: Option<String>,
    version: Option<String>,
    body: Option<ResponseBody>,
    pending: Vec<u8>,
    ready: VecDeque<RunEvent>,
    broken: u32,
    done: bool,
}

/// A line of the watch stream, as Kubernetes writes it.
#[derive(Deserialize)]
struct WatchLine {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    object: serde_json::Value,
}

enum Line {
    Event(RunEvent),
    /// A bookmark or an event of another kind: only its version counts.
    Version(Option<String>),
    /// `ERROR` (410 Gone and friends): watch again from the present.
    StartOver,
}

fn read_line(line: &[u8]) -> Result<Option<Line>> {
    if line.iter().all(u8::is_ascii_whitespace) {
        return Ok(None);
    }
    let parsed: WatchLine = serde_json::from_slice(line).map_err(|e| {
        Error::new(
            ErrorKind::Decode,
            format!("the run watch sent a line that is not an event: {e}"),
        )
    })?;
    let change = match parsed.kind.as_str() {
        "ADDED" => RunChange::Added,
        "MODIFIED" => RunChange::Modified,
        "DELETED" => RunChange::Deleted,
        "ERROR" => return Ok(Some(Line::StartOver)),
        _ => {
            let version = parsed
                .object
                .pointer("/metadata/resourceVersion")
                .and_then(serde_json::Value::as_str)
                .map(str::to_owned);
            return Ok(Some(Line::Version(version)));
        }
    };
    let run: PipelineRun = serde_json::from_value(parsed.object).map_err(|e| {
        Error::new(
            ErrorKind::Decode,
            format!("the run watch sent a run that does not decode: {e}"),
        )
    })?;
    Ok(Some(Line::Event(RunEvent { change, run })))
}

impl<T: Transport> Watching<'_, T> {
    /// Opens the next watch segment from the last version seen.
    async fn open(&mut self) -> Result<()> {
        let api = self.client.api().await?;
        let request = api
            .watch_pipeline_runs(
                self.client.devops(),
                self.pipeline.as_deref(),
                self.version.as_deref(),
            )?
            .query_param("timeoutSeconds", SEGMENT.as_secs().to_string());
        let response = self
            .client
            .send(Operation::WatchPipelineRuns, &request, Resend::ByMethod)
            .await?;
        self.body = Some(response.body);
        self.pending.clear();
        Ok(())
    }

    /// Takes the complete lines of `pending` as events.
    fn take_lines(&mut self) -> Result<()> {
        while let Some(end) = self.pending.iter().position(|b| *b == b'\n') {
            let line: Vec<u8> = self.pending.drain(..=end).collect();
            match read_line(&line)? {
                None => {}
                Some(Line::Event(event)) => {
                    if let Some(v) = &event.run.metadata.resource_version {
                        self.version = Some(v.clone());
                    }
                    self.ready.push_back(event);
                }
                Some(Line::Version(Some(v))) => self.version = Some(v),
                Some(Line::Version(None)) => {}
                Some(Line::StartOver) => {
                    self.version = None;
                    self.body = None;
                    return Ok(());
                }
            }
        }
        Ok(())
    }

    /// Waits before watching again after the connection broke.
    async fn back_off(&mut self, error: Error) -> Result<()> {
        self.body = None;
        self.broken += 1;
        if self.broken >= MAX_BROKEN {
            return Err(error);
        }
        let config = &self.client.config().retry;
        let delay = config.backoff(self.broken, &mut SeededJitter::new(self.client.seed()));
        self.client.transport().sleep(delay).await;
        Ok(())
    }

    /// The next event, watching again as often as it takes.
    async fn next_event(&mut self) -> Result<RunEvent> {
        loop {
            if let Some(event) = self.ready.pop_front() {
                return Ok(event);
            }
            let Some(body) = self.body.as_mut() else {
                match self.open().await {
                    Ok(()) => continue,
                    Err(e) if is_transient(&e) => {
                        self.back_off(e).await?;
                        continue;
                    }
                    Err(e) => return Err(e),
                }
            };
            match body.next_chunk().await {
                Ok(Some(chunk)) => {
                    self.broken = 0;
                    self.pending.extend_from_slice(&chunk);
                    self.take_lines()?;
                }
                // The server ends each segment at its `timeoutSeconds`.
                Ok(None) => self.body = None,
                Err(e) => self.back_off(e).await?,
            }
        }
    }
}

impl<T: Transport> Client<T> {
    /// The changes of the project's runs (of one pipeline's, when given) as they happen,
    /// from now on. The stream does not end by itself: drop it to stop watching. It fails
    /// when the server refuses the watch, or when the connection keeps breaking.
    pub fn watch_runs<'a>(
        &'a self,
        pipeline: Option<&str>,
    ) -> impl Stream<Item = Result<RunEvent>> + 'a {
        let start = Watching {
            client: self,
            pipeline: pipeline.map(str::to_owned),
            version: None,
            body: None,
            pending: Vec::new(),
            ready: VecDeque::new(),
            broken: 0,
            done: false,
        };
        stream::unfold(start, |mut watching| async move {
            if watching.done {
                return None;
            }
            match watching.next_event().await {
                Ok(event) => Some((Ok(event), watching)),
                Err(e) => {
                    watching.done = true;
                    Some((Err(e), watching))
                }
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_become_events_versions_or_a_fresh_start() {
        let added = br#"{"type":"ADDED","object":{"metadata":{"name":"r1","resourceVersion":"7"},"spec":{"pipelineRef":{"name":"p"}}}}"#;
        match read_line(added).unwrap() {
            Some(Line::Event(e)) => {
                assert_eq!(e.change, RunChange::Added);
                assert_eq!(e.run.name(), Some("r1"));
            }
            _ => panic!("an ADDED line is an event"),
        }
        let bookmark = br#"{"type":"BOOKMARK","object":{"metadata":{"resourceVersion":"9"}}}"#;
        assert!(matches!(read_line(bookmark).unwrap(), Some(Line::Version(Some(v))) if v == "9"));
        let gone = br#"{"type":"ERROR","object":{"kind":"Status","code":410}}"#;
        assert!(matches!(read_line(gone).unwrap(), Some(Line::StartOver)));
        assert!(read_line(b"\r\n").unwrap().is_none());
        let err = read_line(b"{not json").err().unwrap();
        assert_eq!(err.kind(), ErrorKind::Decode);
    }
}
