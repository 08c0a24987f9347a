//! GitRepository resources of the client's DevOps project: list, get, create (naming its
//! creator), update, delete.

use super::connection::{Client, Resend};
use super::paging::paged;
use crate::api::{GitRepositoryInput, Operation};
use crate::decode::decode_as;
use crate::error::Result;
use crate::model::GitRepository;
use crate::transport::Transport;
use futures_util::TryStreamExt;

impl<T: Transport> Client<T> {
    /// Every GitRepository of the project (listed page by page).
    pub async fn git_repositories(&self) -> Result<Vec<GitRepository>> {
        let devops = self.devops().to_owned();
        paged(self, Operation::ListGitRepositories, move |api, page| {
            api.list_git_repositories(&devops, page)
        })
        .try_collect()
        .await
    }

    pub async fn get_git_repository(&self, name: &str) -> Result<GitRepository> {
        let request = self.api().await?.get_git_repository(self.devops(), name)?;
        self.json(Operation::GetGitRepository, &request).await
    }

    /// Creates a GitRepository, annotated with the user this client acts as. Sent once.
    pub async fn create_git_repository(
        &self,
        input: &GitRepositoryInput<'_>,
    ) -> Result<GitRepository> {
        let creator = self.creator().await?;
        let request =
            self.api()
                .await?
                .create_git_repository(self.devops(), input, creator.as_deref())?;
        let (headers, body) = self
            .fetch(Operation::CreateGitRepository, &request, Resend::Never)
            .await?;
        decode_as(Operation::CreateGitRepository, 200, &headers, &body)
    }

    /// Replaces `repository` (read-modify-write: pass what [`Client::get_git_repository`]
    /// gave, changed).
    pub async fn update_git_repository(&self, repository: &GitRepository) -> Result<GitRepository> {
        let request = self
            .api()
            .await?
            .update_git_repository(self.devops(), repository)?;
        self.json(Operation::UpdateGitRepository, &request).await
    }

    pub async fn delete_git_repository(&self, name: &str) -> Result<()> {
        let request = self
            .api()
            .await?
            .delete_git_repository(self.devops(), name)?;
        self.fetch(Operation::DeleteGitRepository, &request, Resend::ByMethod)
            .await?;
        Ok(())
    }
}
