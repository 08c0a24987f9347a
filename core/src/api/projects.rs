//! v1alpha3 DevOps projects, listed and created per workspace.

use super::creator::annotate_creator;
use super::encode::encode_segment;
use super::object::prepare;
use super::request::{Method, Request, JSON};
use super::scope::{Api, V1ALPHA3};
use super::{validate, ApiLayout, Page};
use crate::error::Result;
use crate::model::API_VERSION;
use serde::Serialize;
use serde_json::{json, Value};

const WORKSPACE_LABEL: &str = "kubesphere.io/workspace";

impl Api {
    /// 4.x: `/workspaces/{ws}/namespaces`; 3.x: `/workspaces/{ws}/devops`.
    fn projects(&self, workspace: &str) -> Result<String> {
        validate::dns_label("workspace", workspace)?;
        let word = match self.layout() {
            ApiLayout::V4 => "namespaces",
            ApiLayout::V3 => "devops",
        };
        Ok(format!(
            "{}/workspaces/{}/{word}",
            self.kapis(V1ALPHA3),
            encode_segment(workspace)
        ))
    }

    fn project_path(&self, workspace: &str, devops: &str) -> Result<String> {
        let base = self.projects(workspace)?;
        validate::dns_label("devops", devops)?;
        Ok(format!("{base}/{}", encode_segment(devops)))
    }

    pub fn list_devops_projects(&self, workspace: &str, page: Page) -> Result<Request> {
        page.apply(Request::new(Method::Get, self.projects(workspace)?).accept(JSON))
    }

    pub fn get_devops_project(&self, workspace: &str, devops: &str) -> Result<Request> {
        Ok(Request::new(Method::Get, self.project_path(workspace, devops)?).accept(JSON))
    }

    /// Creates DevOps project `devops` in `workspace`; its namespace gets the same name.
    pub fn create_devops_project(
        &self,
        workspace: &str,
        devops: &str,
        creator: Option<&str>,
    ) -> Result<Request> {
        let path = self.projects(workspace)?;
        validate::dns_label("devops", devops)?;
        let mut body = json!({
            "apiVersion": API_VERSION,
            "kind": "DevOpsProject",
            "metadata": {
                "name": devops,
                "labels": { WORKSPACE_LABEL: workspace },
            },
        });
        if let Some(object) = body.as_object_mut() {
            annotate_creator(object, creator)?;
        }
        Ok(Request::new(Method::Post, path)
            .accept(JSON)
            .json_body(body))
    }

    /// Replaces the DevOps project named by `project.metadata.name` (a `model::DevOpsProject`
    /// or its JSON; read-modify-write: pass what a get returned, changed).
    pub fn update_devops_project(
        &self,
        workspace: &str,
        project: &impl Serialize,
    ) -> Result<Request> {
        let (body, name) = prepare("project", project, API_VERSION, "DevOpsProject", None)?;
        validate::dns_label("project.metadata.name", &name)?;
        Ok(
            Request::new(Method::Put, self.project_path(workspace, &name)?)
                .accept(JSON)
                .json_body(Value::Object(body)),
        )
    }

    pub fn delete_devops_project(&self, workspace: &str, devops: &str) -> Result<Request> {
        Ok(Request::new(Method::Delete, self.project_path(workspace, devops)?).accept(JSON))
    }
}
