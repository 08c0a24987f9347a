//! DevOps projects of a workspace: list, read, create, update, delete.

use super::connection::{Client, Probe, Resend};
use super::paging::paged;
use crate::api::Operation;
use crate::decode::decode_as;
use crate::error::Result;
use crate::model::DevOpsProject;
use crate::transport::Transport;
use futures_util::future;
use futures_util::stream::{self, Stream, StreamExt};

impl<T: Transport> Client<T> {
    /// The DevOps projects of `workspace` the user may see, page by page. A client without
    /// a project finds the layout from the workspace's projects.
    pub fn projects<'a>(
        &'a self,
        workspace: &str,
    ) -> impl Stream<Item = Result<DevOpsProject>> + 'a {
        let (probed, listed) = (workspace.to_owned(), workspace.to_owned());
        let detected = async move { self.layout_by(Probe::Projects(&probed)).await };
        stream::once(detected)
            .map(move |layout| match layout {
                Ok(_) => {
                    let listed = listed.clone();
                    paged(self, Operation::ListDevopsProjects, move |api, page| {
                        api.list_devops_projects(&listed, page)
                    })
                    .left_stream()
                }
                Err(e) => stream::once(future::ready(Err(e))).right_stream(),
            })
            .flatten()
    }

    pub async fn get_project(&self, workspace: &str, name: &str) -> Result<DevOpsProject> {
        let request = self
            .api_by(Probe::Projects(workspace))
            .await?
            .get_devops_project(workspace, name)?;
        self.json(Operation::GetDevopsProject, &request).await
    }

    /// Creates DevOps project `name` in `workspace`, with the creator annotation naming the
    /// user. Sent once: a lost answer is an error (read the project to find out).
    pub async fn create_project(&self, workspace: &str, name: &str) -> Result<DevOpsProject> {
        let creator = self.creator().await?;
        let request = self
            .api_by(Probe::Projects(workspace))
            .await?
            .create_devops_project(workspace, name, creator.as_deref())?;
        let (headers, body) = self
            .fetch(Operation::CreateDevopsProject, &request, Resend::Never)
            .await?;
        decode_as(Operation::CreateDevopsProject, 200, &headers, &body)
    }

    /// Replaces `project` (read-modify-write: pass what [`Client::get_project`] gave, changed).
    pub async fn update_project(
        &self,
        workspace: &str,
        project: &DevOpsProject,
    ) -> Result<DevOpsProject> {
        let request = self
            .api_by(Probe::Projects(workspace))
            .await?
            .update_devops_project(workspace, project)?;
        self.json(Operation::UpdateDevopsProject, &request).await
    }

    /// Deletes DevOps project `name` with its pipelines and credentials.
    pub async fn delete_project(&self, workspace: &str, name: &str) -> Result<()> {
        let request = self
            .api_by(Probe::Projects(workspace))
            .await?
            .delete_devops_project(workspace, name)?;
        self.fetch(Operation::DeleteDevopsProject, &request, Resend::ByMethod)
            .await?;
        Ok(())
    }
}
