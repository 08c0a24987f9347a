//! v1alpha3 Pipeline CRUD and Jenkinsfile editing.

use super::creator::annotate_creator;
use super::encode::encode_segment;
use super::object::prepare;
use super::request::{Method, Request, ANY, JSON};
use super::scope::{Api, V1ALPHA3};
use super::{validate, Page};
use crate::error::{Error, Result};
use crate::model::API_VERSION;
use serde::Serialize;
use serde_json::{json, Value};

/// How `update_jenkinsfile` reads its text (reference §6).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JenkinsfileMode {
    /// Groovy, stored in `spec.pipeline.jenkinsfile`.
    Raw,
    /// The pipeline-model-converter JSON form.
    Json,
}

impl JenkinsfileMode {
    pub fn as_str(self) -> &'static str {
        match self {
            JenkinsfileMode::Raw => "raw",
            JenkinsfileMode::Json => "json",
        }
    }
}

impl std::str::FromStr for JenkinsfileMode {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s {
            "raw" => Ok(JenkinsfileMode::Raw),
            "json" => Ok(JenkinsfileMode::Json),
            other => Err(Error::invalid(
                "mode",
                format!("{other:?} is not a mode; expected \"raw\" or \"json\""),
            )),
        }
    }
}

impl Api {
    fn pipelines(&self, devops: &str) -> Result<String> {
        validate::dns_label("devops", devops)?;
        Ok(format!("{}/pipelines", self.project(V1ALPHA3, devops)))
    }

    fn pipeline_path(&self, devops: &str, pipeline: &str) -> Result<String> {
        let base = self.pipelines(devops)?;
        validate::dns_subdomain("pipeline", pipeline)?;
        Ok(format!("{base}/{}", encode_segment(pipeline)))
    }

    pub fn list_pipelines(&self, devops: &str, page: Page) -> Result<Request> {
        page.apply(Request::new(Method::Get, self.pipelines(devops)?).accept(JSON))
    }

    pub fn get_pipeline(&self, devops: &str, pipeline: &str) -> Result<Request> {
        Ok(Request::new(Method::Get, self.pipeline_path(devops, pipeline)?).accept(JSON))
    }

    /// Creates `pipeline` (a `model::Pipeline` or its JSON) in `devops`, with the
    /// `kubesphere.io/creator` annotation set to `creator` when given.
    pub fn create_pipeline(
        &self,
        devops: &str,
        pipeline: &impl Serialize,
        creator: Option<&str>,
    ) -> Result<Request> {
        let path = self.pipelines(devops)?;
        let (mut body, _) = prepare("pipeline", pipeline, API_VERSION, "Pipeline", Some(devops))?;
        annotate_creator(&mut body, creator)?;
        Ok(Request::new(Method::Post, path)
            .accept(JSON)
            .json_body(Value::Object(body)))
    }

    /// Replaces the pipeline named by `pipeline.metadata.name`. The server keeps its stored
    /// Jenkinsfile; change that with [`Api::update_jenkinsfile`].
    pub fn update_pipeline(&self, devops: &str, pipeline: &impl Serialize) -> Result<Request> {
        let (body, name) = prepare("pipeline", pipeline, API_VERSION, "Pipeline", Some(devops))?;
        Ok(
            Request::new(Method::Put, self.pipeline_path(devops, &name)?)
                .accept(JSON)
                .json_body(Value::Object(body)),
        )
    }

    pub fn update_jenkinsfile(
        &self,
        devops: &str,
        pipeline: &str,
        jenkinsfile: &str,
        mode: JenkinsfileMode,
    ) -> Result<Request> {
        let path = format!("{}/jenkinsfile", self.pipeline_path(devops, pipeline)?);
        Ok(Request::new(Method::Put, path)
            .query_param("mode", mode.as_str())
            .accept(JSON)
            .json_body(json!({ "data": jenkinsfile })))
    }

    pub fn delete_pipeline(&self, devops: &str, pipeline: &str) -> Result<Request> {
        Ok(Request::new(Method::Delete, self.pipeline_path(devops, pipeline)?).accept(JSON))
    }

    /// Asks Jenkins to re-index the repository of a multi-branch pipeline.
    pub fn scan_repository(&self, devops: &str, pipeline: &str) -> Result<Request> {
        let path = format!("{}/scan", self.jenkins_pipeline(devops, pipeline)?);
        Ok(Request::new(Method::Post, path).accept(ANY))
    }
}
