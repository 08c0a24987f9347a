//! Creating and updating pipelines, and waiting until Jenkins has them.

use super::clock::Deadline;
use super::connection::{Client, Resend};
use super::polling::Look;
use crate::api::{JenkinsfileMode, Operation};
use crate::decode::decode_as;
use crate::error::{Error, ErrorKind, Result};
use crate::model::annotations::{self, sync_status};
use crate::model::Pipeline;
use crate::transport::Transport;
use std::time::Duration;

impl<T: Transport> Client<T> {
    /// Creates `pipeline`, with the creator annotation naming the user (from the token, or the
    /// user name logged in with). With
    /// `wait_synced`, waits until the controller has created the Jenkins job (at most
    /// `timeout`, default [`super::Timeouts::sync`]) and fails with the server's sync error.
    pub async fn create_pipeline(
        &self,
        pipeline: &Pipeline,
        wait_synced: bool,
        timeout: Option<Duration>,
    ) -> Result<Pipeline> {
        let creator = self.creator().await?;
        let request =
            self.api()
                .await?
                .create_pipeline(self.devops(), pipeline, creator.as_deref())?;
        let (headers, body) = self
            .fetch(Operation::CreatePipeline, &request, Resend::Never)
            .await?;
        let created: Pipeline = decode_as(Operation::CreatePipeline, 200, &headers, &body)?;
        if wait_synced {
            self.wait_synced(name_of(&created, pipeline)?, None, timeout)
                .await
        } else {
            Ok(created)
        }
    }

    /// Replaces `pipeline` (read-modify-write: pass what [`Client::get_pipeline`] gave). With
    /// `wait_synced`, waits until the controller has synced this change to Jenkins.
    pub async fn update_pipeline(
        &self,
        pipeline: &Pipeline,
        wait_synced: bool,
        timeout: Option<Duration>,
    ) -> Result<Pipeline> {
        let before = pipeline
            .metadata
            .annotation(annotations::PIPELINE_SYNC_TIME)
            .map(str::to_owned);
        let request = self.api().await?.update_pipeline(self.devops(), pipeline)?;
        let (headers, body) = self
            .fetch(Operation::UpdatePipeline, &request, Resend::ByMethod)
            .await?;
        let updated: Pipeline = decode_as(Operation::UpdatePipeline, 200, &headers, &body)?;
        if wait_synced {
            self.wait_synced(name_of(&updated, pipeline)?, before.as_deref(), timeout)
                .await
        } else {
            Ok(updated)
        }
    }

    /// Replaces the Jenkinsfile of regular pipeline `pipeline` (a pipeline update keeps the
    /// stored one). With `wait_synced`, waits until the controller has read the new
    /// Jenkinsfile and synced it to Jenkins, and fails (`Refused`) when Jenkins could not
    /// read it: the text is stored, but runs fail until it is fixed.
    pub async fn update_jenkinsfile(
        &self,
        pipeline: &str,
        jenkinsfile: &str,
        wait_synced: bool,
        timeout: Option<Duration>,
    ) -> Result<Pipeline> {
        if jenkinsfile.trim().is_empty() {
            return Err(Error::invalid("jenkinsfile", "must not be empty"));
        }
        let current = self.get_pipeline(pipeline).await?;
        if current.is_multi_branch() {
            return Err(Error::invalid(
                "pipeline",
                format!("{pipeline:?} is a multi-branch pipeline: each branch reads its Jenkinsfile from the repository"),
            ));
        }
        let before = current
            .metadata
            .annotation(annotations::PIPELINE_SYNC_TIME)
            .map(str::to_owned);
        let request = self.api().await?.update_jenkinsfile(
            self.devops(),
            pipeline,
            jenkinsfile,
            JenkinsfileMode::Raw,
        )?;
        self.fetch(Operation::UpdateJenkinsfile, &request, Resend::ByMethod)
            .await?;
        if !wait_synced {
            return self.get_pipeline(pipeline).await;
        }
        let mut deadline = Deadline::after(timeout.unwrap_or(self.config().timeouts.sync));
        self.wait_jenkinsfile_read(pipeline, &mut deadline).await?;
        self.wait_synced(pipeline, before.as_deref(), Some(deadline.remaining()))
            .await
    }

    /// Polls until the controller has cleared the Jenkinsfile's edit mode; fails when it
    /// marked the Jenkinsfile invalid.
    async fn wait_jenkinsfile_read(&self, pipeline: &str, deadline: &mut Deadline) -> Result<()> {
        let look = || async move {
            let current = self.get_pipeline(pipeline).await?;
            let meta = &current.metadata;
            let pending = meta
                .annotation(annotations::PIPELINE_JENKINSFILE_EDIT_MODE)
                .is_some_and(|mode| !mode.is_empty());
            if pending {
                return Ok(Look::NotYet(None));
            }
            match meta.annotation(annotations::PIPELINE_JENKINSFILE_VALIDATE) {
                Some("failure") => Ok(Look::Failed(Error::new(
                    ErrorKind::Refused,
                    format!("Jenkins could not read the new Jenkinsfile of {pipeline:?}: it is stored, but runs fail until it is fixed"),
                ))),
                _ => Ok(Look::Done(())),
            }
        };
        self.poll_until(deadline, look, |limit, _| {
            Error::new(
                ErrorKind::Timeout,
                format!("the controller did not read the new Jenkinsfile of {pipeline:?} within {limit:?}"),
            )
        })
        .await
    }

    /// Polls `pipeline` until its sync status says `successful` (with a sync time other than
    /// `synced_before`, when given), or fails with the sync message when it says `failed`.
    pub async fn wait_synced(
        &self,
        pipeline: &str,
        synced_before: Option<&str>,
        timeout: Option<Duration>,
    ) -> Result<Pipeline> {
        let mut deadline = Deadline::after(timeout.unwrap_or(self.config().timeouts.sync));
        let look = || async move {
            let current = self.get_pipeline(pipeline).await?;
            let sync_time = current.metadata.annotation(annotations::PIPELINE_SYNC_TIME);
            let fresh = synced_before.is_none() || sync_time != synced_before;
            match current.sync_status() {
                Some(sync_status::SUCCESSFUL) if fresh => Ok(Look::Done(current)),
                Some(sync_status::FAILED) if fresh => {
                    Ok(Look::Failed(sync_failed(pipeline, &current)))
                }
                status => Ok(Look::NotYet(status.map(str::to_owned))),
            }
        };
        self.poll_until(&mut deadline, look, |limit, last| {
            Error::new(
                ErrorKind::Timeout,
                format!(
                    "pipeline {pipeline:?} did not reach Jenkins within {limit:?} (sync status: {})",
                    last.unwrap_or("none yet")
                ),
            )
        })
        .await
    }

    /// Deletes a pipeline (its runs and Jenkins job go with it).
    pub async fn delete_pipeline(&self, pipeline: &str) -> Result<()> {
        let request = self.api().await?.delete_pipeline(self.devops(), pipeline)?;
        self.fetch(Operation::DeletePipeline, &request, Resend::ByMethod)
            .await?;
        Ok(())
    }
}

fn name_of<'a>(answer: &'a Pipeline, sent: &'a Pipeline) -> Result<&'a str> {
    answer
        .name()
        .or(sent.name())
        .ok_or_else(|| Error::invalid("pipeline.metadata.name", "is required"))
}

/// The error of a pipeline whose sync to Jenkins failed, with the controller's message.
fn sync_failed(pipeline: &str, current: &Pipeline) -> Error {
    let message = current
        .metadata
        .annotation(annotations::PIPELINE_SYNC_MSG)
        .filter(|m| !m.is_empty())
        .unwrap_or("no message");
    Error::new(
        ErrorKind::Server,
        format!("pipeline {pipeline:?} failed to sync to Jenkins: {message}"),
    )
}
