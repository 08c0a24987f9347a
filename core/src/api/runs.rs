//! Pipeline runs: list, trigger, read, stages, delete (v1alpha3), stop and replay (the build,
//! through v1alpha2). The PipelineRun resource itself is in [`resource`].

pub(super) mod resource;

use super::builds::BuildRef;
use super::encode::{encode_segment, jenkins_branch_name};
use super::request::{Method, Request, JSON};
use super::scope::Api;
use super::{validate, Page};
use crate::error::Result;
use crate::model::ParameterValue;
use serde_json::json;

impl Api {
    pub(super) fn run_path(&self, devops: &str, run: &str) -> Result<String> {
        validate::dns_label("devops", devops)?;
        validate::dns_subdomain("run", run)?;
        Ok(format!(
            "{}/pipelineruns/{}",
            self.namespace(devops),
            encode_segment(run)
        ))
    }

    /// Lists runs newest first, including runs not yet synced from Jenkins (`backward=false`).
    pub fn list_pipeline_runs(
        &self,
        devops: &str,
        pipeline: &str,
        branch: Option<&str>,
        page: Page,
    ) -> Result<Request> {
        let path = format!(
            "{}/pipelineruns",
            self.pipeline_in_namespace(devops, pipeline)?
        );
        let mut request = Request::new(Method::Get, path).accept(JSON);
        if let Some(branch) = branch {
            validate::path_text("branch", branch)?;
            request = request.query_param("branch", jenkins_branch_name(branch));
        }
        page.apply(request.query_param("backward", "false"))
    }

    /// Triggers a run. A multi-branch pipeline needs `branch` (Jenkins or display name).
    pub fn create_pipeline_run(
        &self,
        devops: &str,
        pipeline: &str,
        branch: Option<&str>,
        parameters: &[ParameterValue],
    ) -> Result<Request> {
        let path = format!(
            "{}/pipelineruns",
            self.pipeline_in_namespace(devops, pipeline)?
        );
        let mut request = Request::new(Method::Post, path);
        if let Some(branch) = branch {
            validate::path_text("branch", branch)?;
            request = request.query_param("branch", jenkins_branch_name(branch));
        }
        let parameters = super::parameters::checked(parameters)?;
        Ok(request
            .accept(JSON)
            .json_body(json!({ "parameters": parameters }))
            .parameters_at("/parameters"))
    }

    pub fn get_pipeline_run(&self, devops: &str, run: &str) -> Result<Request> {
        Ok(Request::new(Method::Get, self.run_path(devops, run)?).accept(JSON))
    }

    pub fn get_node_details(&self, devops: &str, run: &str) -> Result<Request> {
        let path = format!("{}/nodedetails", self.run_path(devops, run)?);
        Ok(Request::new(Method::Get, path).accept(JSON))
    }

    /// Deletes a finished run; with `keep_jenkins_record` the Jenkins build is kept.
    pub fn delete_pipeline_run(
        &self,
        devops: &str,
        run: &str,
        keep_jenkins_record: bool,
    ) -> Result<Request> {
        let mut request = Request::new(Method::Delete, self.run_path(devops, run)?).accept(JSON);
        if keep_jenkins_record {
            request = request.query_param("keepJenkinsRecord", "true");
        }
        Ok(request)
    }

    /// Stages with their steps, fetched live from Jenkins (`aprovable` computed per user).
    pub fn get_run_nodes_detail(&self, build: &BuildRef<'_>) -> Result<Request> {
        let path = format!("{}/nodesdetail", self.build_path(build)?);
        Ok(Request::new(Method::Get, path).accept(JSON))
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
