//! Paused `input` steps: finding them, approving with parameters, aborting.

use super::connection::{Client, Resend};
use crate::api::{InputAnswer, Operation};
use crate::error::{Error, ErrorKind, Result};
use crate::jenkinsfile::check_parameters;
use crate::model::{Input, NodeDetail};
use crate::transport::Transport;
use serde_json::Value;

/// A step waiting for an answer.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct PendingInput {
    /// The stage (node) id.
    pub node: String,
    pub stage: Option<String>,
    pub step: String,
    pub input: Input,
    /// Whether the server says the caller may answer (not reliable in v1alpha3).
    pub approvable: Option<bool>,
}

impl PendingInput {
    /// The id to answer it by: the input's id.
    pub fn id(&self) -> &str {
        self.input.id.as_deref().unwrap_or_default()
    }
}

pub(crate) fn pending_in(stages: &[NodeDetail]) -> Vec<PendingInput> {
    stages
        .iter()
        .flat_map(|stage| {
            stage.pending_inputs().filter_map(move |step| {
                Some(PendingInput {
                    node: stage.id.clone()?,
                    stage: stage.display_name.clone(),
                    step: step.id.clone()?,
                    input: step.input.clone()?,
                    approvable: step.approvable,
                })
            })
        })
        .collect()
}

impl<T: Transport> Client<T> {
    /// The run's steps that wait for input.
    pub async fn pending_inputs(&self, run: &str) -> Result<Vec<PendingInput>> {
        let request = self.api().await?.get_node_details(self.devops(), run)?;
        let stages: Vec<NodeDetail> = self.json(Operation::GetNodeDetails, &request).await?;
        Ok(pending_in(&stages))
    }

    /// Proceeds past input `input` (its id; may be left out when only one input waits) with
    /// `values` checked against the input's parameters and the defaults of the others filled
    /// (Jenkins would otherwise pass them as null); password values are masked wherever the
    /// request is shown. A `{"allow":"false"}` answer is a
    /// [`ErrorKind::Refused`] error. Sent once.
    pub async fn approve(
        &self,
        run: &str,
        input: Option<&str>,
        values: &[(String, Value)],
    ) -> Result<()> {
        let pending = self.find_input(run, input).await?;
        let parameters = check_parameters(pending.input.parameters(), values, true)?;
        self.answer(run, &pending, &InputAnswer::Proceed(&parameters))
            .await
    }

    /// Aborts at input `input` (may be left out when only one input waits).
    pub async fn abort(&self, run: &str, input: Option<&str>) -> Result<()> {
        let pending = self.find_input(run, input).await?;
        self.answer(run, &pending, &InputAnswer::Abort).await
    }

    async fn answer(
        &self,
        run: &str,
        pending: &PendingInput,
        answer: &InputAnswer<'_>,
    ) -> Result<()> {
        let handle = self.run_handle(run).await?;
        let request = self
            .api()
            .await?
            .submit_input(
                &handle.build(self.devops()),
                &pending.node,
                &pending.step,
                pending.id(),
                answer,
            )?
            .mask_password_parameters(pending.input.parameters());
        let (headers, body) = self
            .fetch(Operation::SubmitInput, &request, Resend::Never)
            .await?;
        crate::decode::decode_text(Operation::SubmitInput, 200, &headers, &body)?;
        Ok(())
    }

    async fn find_input(&self, run: &str, input: Option<&str>) -> Result<PendingInput> {
        let mut pending = self.pending_inputs(run).await?;
        let ids = || {
            pending
                .iter()
                .map(|p| format!("{:?}", p.id()))
                .collect::<Vec<_>>()
                .join(", ")
        };
        match input {
            Some(id) => {
                let found = pending.iter().position(|p| p.id() == id || p.step == id);
                match found {
                    Some(i) => Ok(pending.swap_remove(i)),
                    None if pending.is_empty() => Err(no_input(run)),
                    None => Err(Error::invalid(
                        "input",
                        format!("{id:?} is not waiting in run {run:?}; waiting: {}", ids()),
                    )),
                }
            }
            None => match pending.len() {
                0 => Err(no_input(run)),
                1 => Ok(pending.remove(0)),
                _ => Err(Error::invalid(
                    "input",
                    format!(
                        "run {run:?} waits at several inputs; name one of: {}",
                        ids()
                    ),
                )),
            },
        }
    }
}

fn no_input(run: &str) -> Error {
    Error::new(
        ErrorKind::Conflict,
        format!("run {run:?} is not waiting for any input"),
    )
}
