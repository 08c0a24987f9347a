//! Repository scans of multi-branch pipelines, and their branches.

use super::clock::Deadline;
use super::connection::{Client, Resend};
use super::paging::paged;
use super::polling::Look;
use crate::api::{BranchFilter, Operation};
use crate::error::{Error, ErrorKind, Result};
use crate::model::Branch;
use crate::transport::Transport;
use futures_util::stream::Stream;
use std::time::Duration;

/// A scan's outcome.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Scan {
    /// The scan log (the last one read; empty when not waited for).
    pub log: String,
    /// Whether the scan was seen to finish (only when waited for).
    pub finished: bool,
    /// Whether it finished with `Finished: SUCCESS`.
    pub succeeded: bool,
}

/// The result line Jenkins ends an indexing log with.
fn finished_line(log: &str) -> Option<&str> {
    log.lines()
        .rev()
        .map(str::trim)
        .find(|l| l.starts_with("Finished: "))
}

impl<T: Transport> Client<T> {
    /// Asks Jenkins to scan the repository of multi-branch `pipeline` (first waiting until a
    /// new pipeline has reached Jenkins). With `wait`, polls the
    /// scan log until a new log ends with its `Finished:` line (at most `timeout`, default
    /// [`super::Timeouts::scan`]). New branches reach [`Client::branches`] at the next
    /// metadata sync (about 10 s later).
    pub async fn scan(
        &self,
        pipeline: &str,
        wait: bool,
        timeout: Option<Duration>,
    ) -> Result<Scan> {
        let definition = self.get_pipeline(pipeline).await?;
        if !definition.is_multi_branch() {
            return Err(Error::invalid(
                "pipeline",
                format!(
                    "{pipeline:?} is not a multi-branch pipeline: it has no repository to scan"
                ),
            ));
        }
        if !definition.is_synced() {
            // Jenkins has no job to scan until the controller created it (a new pipeline).
            self.wait_synced(pipeline, None, timeout).await?;
        }
        let api = self.api().await?;
        let log_request = api.get_scan_log(self.devops(), pipeline)?;
        let before = if wait {
            self.text(Operation::GetScanLog, &log_request)
                .await
                .unwrap_or_default()
        } else {
            String::new()
        };
        let request = api.scan_repository(self.devops(), pipeline)?;
        // Scanning twice is harmless, so a lost answer is asked again.
        self.fetch(Operation::ScanRepository, &request, Resend::Harmless)
            .await?;
        if !wait {
            return Ok(Scan {
                log: String::new(),
                finished: false,
                succeeded: false,
            });
        }
        let mut deadline = Deadline::after(timeout.unwrap_or(self.config().timeouts.scan));
        let (log_request, before) = (&log_request, &before);
        let look = || async move {
            let log = match self.text(Operation::GetScanLog, log_request).await {
                Ok(log) => log,
                // No scan log until the first scan writes one.
                Err(e) if e.kind() == ErrorKind::NotFound => return Ok(Look::NotYet(None)),
                Err(e) => return Err(e),
            };
            let finished = (log != *before).then(|| finished_line(&log)).flatten();
            Ok(match finished {
                Some(line) => Look::Done(Scan {
                    succeeded: line == "Finished: SUCCESS",
                    finished: true,
                    log,
                }),
                None => Look::NotYet(log.lines().last().map(str::to_owned)),
            })
        };
        self.poll_until(&mut deadline, look, |limit, last| {
            Error::new(
                ErrorKind::Timeout,
                format!(
                    "the scan of {pipeline:?} did not finish within {limit:?}; last log line: {:?}",
                    last.unwrap_or("")
                ),
            )
        })
        .await
    }

    /// The branches of multi-branch `pipeline` (pull requests or origin branches only, with a
    /// filter), page by page.
    pub fn branches<'a>(
        &'a self,
        pipeline: &str,
        filter: Option<BranchFilter>,
    ) -> impl Stream<Item = Result<Branch>> + 'a {
        let (devops, pipeline) = (self.devops().to_owned(), pipeline.to_owned());
        paged(self, Operation::ListBranches, move |api, page| {
            api.list_branches(&devops, &pipeline, filter, page)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::finished_line;

    #[test]
    fn the_last_finished_line_counts() {
        let log = "Started\nFinished: FAILURE\n...\nFinished: SUCCESS\n";
        assert_eq!(finished_line(log), Some("Finished: SUCCESS"));
        assert_eq!(finished_line("Started\n"), None);
    }
}
