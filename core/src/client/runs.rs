//! Reading runs, finding their Jenkins build, and the run actions: stop, replay, delete.

use super::connection::{Client, Resend};
use super::paging::paged;
use crate::api::{BuildRef, Operation};
use crate::error::{Error, ErrorKind, Result};
use crate::model::{Pipeline, PipelineRun, Run};
use crate::transport::Transport;
use futures_util::stream::Stream;

/// A run with the Jenkins build behind it.
#[derive(Debug, Clone)]
pub struct RunHandle {
    pub run: PipelineRun,
    /// The run's name (the PipelineRun object).
    pub name: String,
    pub pipeline: String,
    /// The Jenkins branch name of a multi-branch run.
    pub branch: Option<String>,
    pub build_id: String,
}

impl RunHandle {
    /// Reads a run that Jenkins has started: it must carry its build number.
    pub fn from_run(run: PipelineRun) -> Result<Self> {
        let name = run.name().unwrap_or_default().to_owned();
        let build_id = run.build_id().map(str::to_owned).ok_or_else(|| {
            Error::new(
                ErrorKind::Conflict,
                format!("run {name:?} has no Jenkins build yet; wait for it with build_id()"),
            )
        })?;
        let pipeline = run.pipeline_name().map(str::to_owned).ok_or_else(|| {
            Error::new(ErrorKind::Decode, format!("run {name:?} names no pipeline"))
        })?;
        let branch = if run.is_multi_branch() {
            run.branch().map(str::to_owned)
        } else {
            None
        };
        Ok(RunHandle {
            run,
            name,
            pipeline,
            branch,
            build_id,
        })
    }

    pub fn build<'a>(&'a self, devops: &'a str) -> BuildRef<'a> {
        BuildRef {
            devops,
            pipeline: &self.pipeline,
            branch: self.branch.as_deref(),
            run_id: &self.build_id,
        }
    }
}

impl<T: Transport> Client<T> {
    /// A run (PipelineRun) by name, with its Jenkins status and stages when synced.
    pub async fn get_run(&self, run: &str) -> Result<PipelineRun> {
        let request = self.api().await?.get_pipeline_run(self.devops(), run)?;
        self.json(Operation::GetPipelineRun, &request).await
    }

    /// A pipeline by name.
    pub async fn get_pipeline(&self, pipeline: &str) -> Result<Pipeline> {
        let request = self.api().await?.get_pipeline(self.devops(), pipeline)?;
        self.json(Operation::GetPipeline, &request).await
    }

    /// The run and its Jenkins build; fails when Jenkins has not started it yet.
    pub async fn run_handle(&self, run: &str) -> Result<RunHandle> {
        RunHandle::from_run(self.get_run(run).await?)
    }

    /// The runs of `pipeline` (of one branch, when given), newest first, page by page.
    pub fn runs<'a>(
        &'a self,
        pipeline: &str,
        branch: Option<&str>,
    ) -> impl Stream<Item = Result<PipelineRun>> + 'a {
        let (devops, pipeline, branch) = (
            self.devops().to_owned(),
            pipeline.to_owned(),
            branch.map(str::to_owned),
        );
        paged(self, Operation::ListPipelineRuns, move |api, page| {
            api.list_pipeline_runs(&devops, &pipeline, branch.as_deref(), page)
        })
    }

    /// The pipelines of the project, page by page.
    pub fn pipelines(&self) -> impl Stream<Item = Result<Pipeline>> + '_ {
        let devops = self.devops().to_owned();
        paged(self, Operation::ListPipelines, move |api, page| {
            api.list_pipelines(&devops, page)
        })
    }

    /// The credentials of the project (secret data masked by the server), page by page.
    pub fn credentials(&self) -> impl Stream<Item = Result<serde_json::Value>> + '_ {
        let devops = self.devops().to_owned();
        paged(self, Operation::ListCredentials, move |api, page| {
            api.list_credentials(&devops, page)
        })
    }

    /// Asks Jenkins to stop the run (waits up to 10 s server-side) and gives its state.
    pub async fn stop(&self, run: &str) -> Result<Run> {
        let handle = self.run_handle(run).await?;
        let request = self.api().await?.stop_run(&handle.build(self.devops()))?;
        // Stopping twice is harmless, so a lost answer is asked again.
        let (headers, body) = self
            .fetch(Operation::StopRun, &request, Resend::Harmless)
            .await?;
        crate::decode::decode_as(Operation::StopRun, 200, &headers, &body)
    }

    /// Runs the build again with the same parameters; gives the new Jenkins run (queued).
    /// Never resent: a lost answer may still have started a build.
    pub async fn replay(&self, run: &str) -> Result<Run> {
        let handle = self.run_handle(run).await?;
        let request = self.api().await?.replay_run(&handle.build(self.devops()))?;
        let (headers, body) = self
            .fetch(Operation::ReplayRun, &request, Resend::Never)
            .await?;
        crate::decode::decode_as(Operation::ReplayRun, 200, &headers, &body)
    }

    /// Deletes a finished run; with `keep_jenkins_record` the Jenkins build stays.
    pub async fn delete_run(&self, run: &str, keep_jenkins_record: bool) -> Result<()> {
        let request =
            self.api()
                .await?
                .delete_pipeline_run(self.devops(), run, keep_jenkins_record)?;
        self.fetch(Operation::DeletePipelineRun, &request, Resend::ByMethod)
            .await?;
        Ok(())
    }

    /// Labels of the Jenkins agents (`agent { label … }` choices).
    pub async fn list_agent_labels(&self) -> Result<Vec<String>> {
        let request = self.api().await?.list_agent_labels()?;
        let value: serde_json::Value = self.json(Operation::ListAgentLabels, &request).await?;
        Ok(crate::decode::agent_labels(&value))
    }
}
