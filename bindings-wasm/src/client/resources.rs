//! Branches, DevOps projects, run deletion and agent labels: the core's calls, translated.

use super::args::{object_name, opt_bool, opt_string, options as read_options};
use super::{done, name, output, Client};
use futures_util::stream::TryStreamExt;
use js_sys::Promise;
use ksdevops::model::DevOpsProject;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
impl Client {
    /// The branches (and pull requests) of multi-branch `pipeline`; `filter` is "origin"
    /// or "pull-requests".
    #[wasm_bindgen(unchecked_return_type = "Promise<Branch[]>")]
    pub fn branches(
        &self,
        pipeline: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "BranchListOptions")] options: JsValue,
    ) -> Promise {
        self.call(|core| async move {
            let pipeline = object_name(&pipeline, "pipeline")?;
            let options = read_options(options, &["filter"])?;
            let filter = opt_string(&options, "filter")?
                .map(|f| f.parse())
                .transpose()
                .map_err(crate::errors::to_js_error)?;
            output(
                core.branches(&pipeline, filter)
                    .try_collect::<Vec<_>>()
                    .await,
            )
        })
    }

    /// The DevOps projects of `workspace` the user may see.
    #[wasm_bindgen(unchecked_return_type = "Promise<DevOpsProject[]>")]
    pub fn projects(&self, workspace: JsValue) -> Promise {
        self.call(|core| async move {
            let workspace = name(&workspace, "workspace")?;
            output(core.projects(&workspace).try_collect::<Vec<_>>().await)
        })
    }

    #[wasm_bindgen(js_name = getProject, unchecked_return_type = "Promise<DevOpsProject>")]
    pub fn get_project(&self, workspace: JsValue, project: JsValue) -> Promise {
        self.call(|core| async move {
            let workspace = name(&workspace, "workspace")?;
            let project = object_name(&project, "project")?;
            output(core.get_project(&workspace, &project).await)
        })
    }

    /// Creates DevOps project `project` in `workspace`, annotated with its creator.
    #[wasm_bindgen(js_name = createProject, unchecked_return_type = "Promise<DevOpsProject>")]
    pub fn create_project(&self, workspace: JsValue, project: JsValue) -> Promise {
        self.call(|core| async move {
            let workspace = name(&workspace, "workspace")?;
            let project = name(&project, "project")?;
            output(core.create_project(&workspace, &project).await)
        })
    }

    /// Replaces `project`: pass what `getProject` gave, changed.
    #[wasm_bindgen(js_name = updateProject, unchecked_return_type = "Promise<DevOpsProject>")]
    pub fn update_project(
        &self,
        workspace: JsValue,
        #[wasm_bindgen(unchecked_param_type = "DevOpsProject")] project: JsValue,
    ) -> Promise {
        self.call(|core| async move {
            let workspace = name(&workspace, "workspace")?;
            let project: DevOpsProject = crate::from_js(project, "project")?;
            output(core.update_project(&workspace, &project).await)
        })
    }

    /// Deletes DevOps project `project` with its pipelines and credentials.
    #[wasm_bindgen(js_name = deleteProject, unchecked_return_type = "Promise<void>")]
    pub fn delete_project(&self, workspace: JsValue, project: JsValue) -> Promise {
        self.call(|core| async move {
            let workspace = name(&workspace, "workspace")?;
            let project = object_name(&project, "project")?;
            done(core.delete_project(&workspace, &project).await)
        })
    }

    /// Deletes a finished run; with `keepJenkinsRecord` the Jenkins build stays.
    #[wasm_bindgen(js_name = deleteRun, unchecked_return_type = "Promise<void>")]
    pub fn delete_run(
        &self,
        #[wasm_bindgen(unchecked_param_type = "RunRef")] run: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "DeleteRunOptions")] options: JsValue,
    ) -> Promise {
        self.call(|core| async move {
            let run = object_name(&run, "run")?;
            let options = read_options(options, &["keepJenkinsRecord"])?;
            let keep = opt_bool(&options, "keepJenkinsRecord")?.unwrap_or(false);
            done(core.delete_run(&run, keep).await)
        })
    }

    /// The labels of the Jenkins agents, the choices for `agent { label … }`.
    #[wasm_bindgen(js_name = listAgentLabels, unchecked_return_type = "Promise<string[]>")]
    pub fn list_agent_labels(&self) -> Promise {
        self.call(|core| async move { output(core.list_agent_labels().await) })
    }
}
