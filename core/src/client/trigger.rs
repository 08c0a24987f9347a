//! Starting runs: checked parameters, defaults filled, and, through a PipelineRun resource
//! with a client-chosen name, at most one run however often the create is retried.

use super::connection::{into_error, Client, Resend};
use super::retry::{Failure, Jitter, Retried, SeededJitter, ServerErrors};
use crate::api::{run_scm, Operation};
use crate::decode::decode_as;
use crate::error::{Error, ErrorKind, Result};
use crate::jenkinsfile::check_parameters;
use crate::model::{annotations, ParameterDefinition, ParameterValue, PipelineRun};
use crate::transport::Transport;
use serde_json::Value;
use std::time::Duration;

impl<T: Transport> Client<T> {
    /// Checks `values` against the pipeline's definitions (errors name the parameter), fills
    /// the defaults of the others, and starts a run; password values are masked wherever the
    /// request is shown (Debug, curl). Sent once: a lost answer is an error,
    /// since the run may have started (use [`Client::trigger_resource`] to retry safely).
    pub async fn trigger(
        &self,
        pipeline: &str,
        values: &[(String, Value)],
        branch: Option<&str>,
    ) -> Result<PipelineRun> {
        let (_, definitions, payload) = self
            .checked_values(pipeline, values, (branch, None))
            .await?;
        let request = self
            .api()
            .await?
            .create_pipeline_run(self.devops(), pipeline, branch, &payload)?
            .mask_password_parameters(&definitions);
        let (headers, body) = self
            .fetch(Operation::CreatePipelineRun, &request, Resend::Never)
            .await?;
        decode_as(Operation::CreatePipelineRun, 200, &headers, &body)
    }

    /// Like [`Client::trigger`], through a PipelineRun object named `run_name` (or a fresh
    /// random name). A lost answer or a status the [retry table](super::retry) lists for
    /// this create is followed by a read of that name:
    /// the run is there (and returned) or it is not (and the create is sent again). The
    /// server refuses a second object of the same name, so there is never a second run.
    pub async fn trigger_resource(
        &self,
        pipeline: &str,
        values: &[(String, Value)],
        branch: Option<&str>,
        run_name: Option<&str>,
    ) -> Result<PipelineRun> {
        self.trigger_object(pipeline, values, (branch, None), run_name)
            .await
    }

    /// Like [`Client::trigger_resource`], for tag `tag` of a multi-branch pipeline that
    /// discovers tags (`refType: tag`); the values are checked against that tag's
    /// Jenkinsfile.
    pub async fn trigger_tag(
        &self,
        pipeline: &str,
        values: &[(String, Value)],
        tag: &str,
        run_name: Option<&str>,
    ) -> Result<PipelineRun> {
        self.trigger_object(pipeline, values, (None, Some(tag)), run_name)
            .await
    }

    /// Like [`Client::trigger_resource`], for a branch or a tag (at most one of them; a
    /// multi-branch pipeline needs one): what a caller holding both options calls.
    pub async fn trigger_object(
        &self,
        pipeline: &str,
        values: &[(String, Value)],
        (branch, tag): (Option<&str>, Option<&str>),
        run_name: Option<&str>,
    ) -> Result<PipelineRun> {
        let plan = self
            .plan_trigger(pipeline, values, (branch, tag), run_name)
            .await?;
        let (name, request) = (plan.run_name, plan.request);
        let policy = self.config().retry;
        let mut jitter = SeededJitter::new(self.seed());
        let mut attempts = 0;
        let mut waited = Duration::ZERO;
        let mut server_errors = ServerErrors::default();
        loop {
            attempts += 1;
            let mut failure = Failure::NoAnswer(ErrorKind::Transport);
            let lost = match self.exchange(&request, Resend::Never).await {
                Ok(response) if (200..300).contains(&response.status) => {
                    let headers = response.headers.clone();
                    let body = response
                        .body
                        .collect_limited(super::connection::MAX_BODY)
                        .await;
                    match body {
                        Ok(body) => {
                            return decode_as(
                                Operation::CreatePipelineRunResource,
                                200,
                                &headers,
                                &body,
                            )
                        }
                        Err(e) => e,
                    }
                }
                Ok(response) if response.status == 409 => {
                    return self.existing_run(&name, pipeline).await?.ok_or_else(|| {
                        Error::new(
                            ErrorKind::Conflict,
                            format!("run {name:?} exists but cannot be read"),
                        )
                    });
                }
                Ok(response) if Retried::NamedCreate.status(response.status) => {
                    failure = Failure::from_response(&response, None);
                    into_error(Operation::CreatePipelineRunResource, response).await
                }
                Ok(response) => {
                    return Err(into_error(Operation::CreatePipelineRunResource, response).await)
                }
                Err(e) if matches!(e.kind(), ErrorKind::Transport | ErrorKind::Timeout) => e,
                Err(e) => return Err(e),
            };
            // The create may or may not have happened: the name tells.
            if let Some(run) = self.existing_run(&name, pipeline).await? {
                return Ok(run);
            }
            if server_errors.exhausted_by(&failure) {
                return Err(lost);
            }
            let Some(delay) = policy.delay_for(
                Retried::NamedCreate,
                attempts,
                waited,
                &failure,
                &mut jitter,
            ) else {
                return Err(lost);
            };
            self.transport().sleep(delay).await;
            waited += delay;
        }
    }

    /// Reads run `name`; `None` when it does not exist. A run of another pipeline under that
    /// name is a conflict.
    async fn existing_run(&self, name: &str, pipeline: &str) -> Result<Option<PipelineRun>> {
        let request = self
            .api()
            .await?
            .get_pipeline_run_resource(self.devops(), name)?;
        match self
            .json::<PipelineRun>(Operation::GetPipelineRunResource, &request)
            .await
        {
            Ok(run)
                if run
                    .metadata
                    .label(annotations::PIPELINE_NAME_LABEL)
                    .is_some_and(|p| p != pipeline) =>
            {
                Err(Error::new(
                    ErrorKind::Conflict,
                    format!("run name {name:?} is taken by a run of another pipeline"),
                )
                .with_field("run_name"))
            }
            Ok(run) => Ok(Some(run)),
            Err(e) if e.kind() == ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// The pipeline, the parameter definitions of its branch or tag, and `values` checked
    /// against them with defaults filled.
    async fn checked_values(
        &self,
        pipeline: &str,
        values: &[(String, Value)],
        (branch, tag): (Option<&str>, Option<&str>),
    ) -> Result<(
        crate::model::Pipeline,
        Vec<ParameterDefinition>,
        Vec<ParameterValue>,
    )> {
        let (definition, definitions) = self
            .definitions_for(pipeline, (branch, tag), values)
            .await?;
        let payload = check_parameters(&definitions, values, true)?;
        Ok((definition, definitions, payload))
    }

    /// The pipeline and the parameter definitions of its branch or tag; refuses `values`
    /// for a branch whose parameters Jenkins does not know yet.
    pub(crate) async fn definitions_for(
        &self,
        pipeline: &str,
        (branch, tag): (Option<&str>, Option<&str>),
        values: &[(String, Value)],
    ) -> Result<(crate::model::Pipeline, Vec<ParameterDefinition>)> {
        self.check_pipeline_name(pipeline, branch)?;
        if let Some(tag) = tag {
            self.check_pipeline_name(pipeline, Some(tag))
                .map_err(|e| e.with_field("tag"))?;
        }
        let definition = self.get_pipeline(pipeline).await?;
        run_scm(definition.is_multi_branch(), pipeline, branch, tag)?;
        let job = branch.or(tag);
        let parameters = self.parameters_of(&definition, job).await?;
        parameters.check_takes_values(job.unwrap_or(pipeline), values)?;
        Ok((definition, parameters.definitions))
    }
}

/// `<pipeline>-<8 random base-36 characters>`, within the 253-character object name limit.
pub(crate) fn run_name_for(pipeline: &str, seed: u64) -> String {
    const ALPHABET: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let mut jitter = SeededJitter::new(seed);
    let suffix: String = (0..8)
        .map(|_| {
            ALPHABET[(jitter.unit() * ALPHABET.len() as f64) as usize % ALPHABET.len()] as char
        })
        .collect();
    let mut prefix: &str = &pipeline[..pipeline.len().min(253 - 9)];
    prefix = prefix.trim_end_matches(['-', '.']);
    format!("{prefix}-{suffix}")
}

#[cfg(test)]
mod tests {
    use super::run_name_for;

    #[test]
    fn run_names_are_valid_and_differ_by_seed() {
        let a = run_name_for("build", 1);
        let b = run_name_for("build", 2);
        assert!(a.starts_with("build-") && a.len() == 14, "{a}");
        assert_ne!(a, b);
        let long = run_name_for(&"x".repeat(253), 3);
        assert_eq!(long.len(), 253);
    }
}
