//! The PipelineRun create a trigger sends, built without sending it: what
//! [`Client::trigger_resource`] and [`Client::trigger_tag`] send, and what a dry run shows.

use super::connection::Client;
use super::retry::{Jitter, SeededJitter};
use super::trigger::run_name_for;
use crate::api::{Api, Request, RunResourceInput};
use crate::error::Result;
use crate::jenkinsfile::check_parameters;
use crate::model::{ParameterDefinition, Pipeline};
use crate::transport::Transport;
use serde_json::Value;

/// What a run builds and who starts it.
#[derive(Debug, Clone, Copy)]
pub struct RunTarget<'a> {
    /// The pipeline as read from the server (its spec is copied into the run), or built
    /// from a Jenkinsfile for an offline preview.
    pub pipeline: &'a Pipeline,
    /// A branch of a multi-branch pipeline (display or Jenkins name).
    pub branch: Option<&'a str>,
    /// A tag of a multi-branch pipeline that discovers tags.
    pub tag: Option<&'a str>,
    /// The PipelineRun's name; `None` picks a fresh `<pipeline>-<8 random characters>`.
    pub run_name: Option<&'a str>,
    /// The user named in the creator annotations.
    pub creator: Option<&'a str>,
}

/// A run ready to be created: the values checked against `definitions`, the defaults of
/// the others filled, and the create request built.
#[derive(Debug, Clone)]
pub struct RunPlan {
    pub run_name: String,
    /// The definitions the values were checked against.
    pub definitions: Vec<ParameterDefinition>,
    /// The create request. Password parameters (by their definitions) are masked wherever
    /// it is shown: Debug, [`Request::to_curl`], [`Request::masked_body`].
    pub request: Request,
}

impl RunPlan {
    /// Checks `values` against `definitions` (errors name the parameter) and builds the
    /// PipelineRun create in `devops`. Sends nothing.
    pub fn build(
        api: &Api,
        devops: &str,
        target: &RunTarget<'_>,
        definitions: Vec<ParameterDefinition>,
        values: &[(String, Value)],
    ) -> Result<RunPlan> {
        let pipeline_name = target.pipeline.name().unwrap_or_default();
        let run_name = match target.run_name {
            Some(name) => name.to_owned(),
            None => run_name_for(pipeline_name, fresh_seed()),
        };
        let payload = check_parameters(&definitions, values, true)?;
        let input = RunResourceInput {
            run: Some(&run_name),
            branch: target.branch,
            tag: target.tag,
            parameters: &payload,
            creator: target.creator,
        };
        let request = api
            .create_pipeline_run_resource(devops, target.pipeline, &input)?
            .mask_password_parameters(&definitions);
        Ok(RunPlan {
            run_name,
            definitions,
            request,
        })
    }
}

fn fresh_seed() -> u64 {
    (SeededJitter::from_entropy().unit() * (1u64 << 53) as f64) as u64
}

impl<T: Transport> Client<T> {
    /// The run [`Client::trigger_resource`] (or, with `tag`, [`Client::trigger_tag`]) would
    /// create, with the same checks: reads the pipeline and its definitions, creates nothing.
    pub async fn plan_trigger(
        &self,
        pipeline: &str,
        values: &[(String, Value)],
        (branch, tag): (Option<&str>, Option<&str>),
        run_name: Option<&str>,
    ) -> Result<RunPlan> {
        let name = match run_name {
            Some(name) => name.to_owned(),
            None => run_name_for(pipeline, self.seed()),
        };
        // The name is checked before anything is read or sent.
        self.api_for(crate::api::ApiLayout::V4)?
            .get_pipeline_run_resource(self.devops(), &name)
            .map_err(|e| e.with_field("run_name"))?;
        let (definition, definitions) = self
            .definitions_for(pipeline, (branch, tag), values)
            .await?;
        let creator = self.creator().await?;
        let target = RunTarget {
            pipeline: &definition,
            branch,
            tag,
            run_name: Some(&name),
            creator: creator.as_deref(),
        };
        RunPlan::build(
            &self.api().await?,
            self.devops(),
            &target,
            definitions,
            values,
        )
    }
}
