//! Answers to a paused `input` step.

use super::builds::BuildRef;
use super::request::{Method, Request, ANY};
use super::scope::Api;
use super::validate;
use crate::error::Result;
use crate::model::ParameterValue;
use serde_json::json;

/// What to answer a paused `input` step.
#[derive(Debug, Clone, PartialEq)]
pub enum InputAnswer<'a> {
    /// Proceed, with values for the input's parameters (may be empty).
    Proceed(&'a [ParameterValue]),
    Abort,
}

impl Api {
    /// Answers the paused input `input_id` of step `step` in stage `node`.
    pub fn submit_input(
        &self,
        build: &BuildRef<'_>,
        node: &str,
        step: &str,
        input_id: &str,
        answer: &InputAnswer<'_>,
    ) -> Result<Request> {
        let path = self.step_path(build, node, step)?;
        let id = validate::path_text("input_id", input_id)?;
        let body = match answer {
            InputAnswer::Abort => json!({ "id": id, "abort": true }),
            InputAnswer::Proceed(parameters) => {
                json!({ "id": id, "parameters": super::parameters::checked(parameters)? })
            }
        };
        Ok(Request::new(Method::Post, path)
            .accept(ANY)
            .json_body(body)
            .parameters_at("/parameters"))
    }
}
