//! v1alpha2 routes, proxied to Jenkins BlueOcean: scans, logs, artifacts, inputs, stop, replay.

use super::branches::branch_segment;
use super::encode::encode_segment;
use super::request::{Method, Request, ANY, JSON};
use super::scope::{Api, V1ALPHA2};
use super::validate;
use crate::error::{Error, Result};
use crate::model::ParameterValue;
use serde_json::json;

/// One Jenkins build: of a pipeline, or of one branch of a multi-branch pipeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BuildRef<'a> {
    pub devops: &'a str,
    pub pipeline: &'a str,
    /// Jenkins or display name of the branch, for multi-branch pipelines.
    pub branch: Option<&'a str>,
    /// The Jenkins build number (`devops.kubesphere.io/jenkins-pipelinerun-id`).
    pub run_id: &'a str,
}

/// What to answer a paused `input` step.
#[derive(Debug, Clone, PartialEq)]
pub enum InputAnswer<'a> {
    /// Proceed, with values for the input's parameters (may be empty).
    Proceed(&'a [ParameterValue]),
    Abort,
}

impl Api {
    fn jenkins_pipeline(&self, devops: &str, pipeline: &str) -> Result<String> {
        validate::dns_label("devops", devops)?;
        validate::dns_subdomain("pipeline", pipeline)?;
        Ok(format!(
            "{}/pipelines/{}",
            self.project(V1ALPHA2, devops),
            encode_segment(pipeline)
        ))
    }

    fn build_path(&self, build: &BuildRef<'_>) -> Result<String> {
        let mut path = self.jenkins_pipeline(build.devops, build.pipeline)?;
        if let Some(branch) = build.branch {
            path.push_str("/branches/");
            path.push_str(&branch_segment(branch)?);
        }
        path.push_str("/runs/");
        path.push_str(validate::digits("run_id", build.run_id)?);
        Ok(path)
    }

    fn step_path(&self, build: &BuildRef<'_>, node: &str, step: &str) -> Result<String> {
        Ok(format!(
            "{}/nodes/{}/steps/{}",
            self.build_path(build)?,
            validate::digits("node", node)?,
            validate::digits("step", step)?
        ))
    }

    /// Asks Jenkins to re-index the repository of a multi-branch pipeline.
    pub fn scan_repository(&self, devops: &str, pipeline: &str) -> Result<Request> {
        let path = format!("{}/scan", self.jenkins_pipeline(devops, pipeline)?);
        Ok(Request::new(Method::Post, path).accept(ANY))
    }

    /// The log of the last repository scan (branch indexing), as text.
    pub fn get_scan_log(&self, devops: &str, pipeline: &str) -> Result<Request> {
        let path = format!("{}/consolelog", self.jenkins_pipeline(devops, pipeline)?);
        Ok(Request::new(Method::Get, path).accept(ANY))
    }

    /// The build's log from byte offset `start` (0 = the whole log; without `start` Jenkins
    /// would send only the last 150 KB).
    pub fn get_run_log(&self, build: &BuildRef<'_>, start: u64) -> Result<Request> {
        let path = format!("{}/log", self.build_path(build)?);
        Ok(Request::new(Method::Get, path)
            .query_param("start", start.to_string())
            .accept(ANY))
    }

    pub fn get_step_log(
        &self,
        build: &BuildRef<'_>,
        node: &str,
        step: &str,
        start: u64,
    ) -> Result<Request> {
        let path = format!("{}/log", self.step_path(build, node, step)?);
        Ok(Request::new(Method::Get, path)
            .query_param("start", start.to_string())
            .accept(ANY))
    }

    pub fn list_artifacts(
        &self,
        build: &BuildRef<'_>,
        start: Option<u64>,
        limit: Option<u64>,
    ) -> Result<Request> {
        let path = format!("{}/artifacts", self.build_path(build)?);
        let mut request = Request::new(Method::Get, path).accept(JSON);
        if let Some(start) = start {
            request = request.query_param("start", start.to_string());
        }
        if let Some(limit) = limit {
            request = request.query_param("limit", positive("limit", limit)?.to_string());
        }
        Ok(request)
    }

    /// Stages with their steps, fetched live from Jenkins (`aprovable` computed per user).
    pub fn get_run_nodes_detail(&self, build: &BuildRef<'_>) -> Result<Request> {
        let path = format!("{}/nodesdetail", self.build_path(build)?);
        Ok(Request::new(Method::Get, path).accept(JSON))
    }

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

    pub fn stop_run(&self, build: &BuildRef<'_>) -> Result<Request> {
        let path = format!("{}/stop", self.build_path(build)?);
        Ok(Request::new(Method::Post, path)
            .query_param("blocking", "true")
            .query_param("timeOutInSecs", "10")
            .accept(JSON))
    }

    pub fn replay_run(&self, build: &BuildRef<'_>) -> Result<Request> {
        let path = format!("{}/replay", self.build_path(build)?);
        Ok(Request::new(Method::Post, path).accept(JSON))
    }
}

pub(crate) fn positive(field: &str, value: u64) -> Result<u64> {
    if value == 0 {
        Err(Error::invalid(
            field,
            "0 is not allowed: expected 1 or more",
        ))
    } else {
        Ok(value)
    }
}
