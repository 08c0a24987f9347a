//! DevOps credentials: the Secrets pipelines use to reach private repositories.

use super::connection::{Client, Resend};
use crate::api::Operation;
use crate::decode::decode_as;
use crate::error::Result;
use crate::model::{Credential, CredentialSecret};
use crate::transport::Transport;

impl<T: Transport> Client<T> {
    /// Creates `credential`, with the creator annotation naming the user (sent once: a lost
    /// answer is an error, never a second create). The answer is the stored Secret with its
    /// secret values blanked by the server.
    pub async fn create_credential(&self, credential: &Credential) -> Result<CredentialSecret> {
        let creator = self.creator().await?;
        let request =
            self.api()
                .await?
                .create_credential(self.devops(), credential, creator.as_deref())?;
        let (headers, body) = self
            .fetch(Operation::CreateCredential, &request, Resend::Never)
            .await?;
        decode_as(Operation::CreateCredential, 200, &headers, &body)
    }

    /// Reads one credential (secret values come back blank).
    pub async fn get_credential(&self, name: &str) -> Result<CredentialSecret> {
        let request = self.api().await?.get_credential(self.devops(), name)?;
        self.json(Operation::GetCredential, &request).await
    }

    /// Deletes one credential.
    pub async fn delete_credential(&self, name: &str) -> Result<()> {
        let request = self.api().await?.delete_credential(self.devops(), name)?;
        self.fetch(Operation::DeleteCredential, &request, Resend::ByMethod)
            .await?;
        Ok(())
    }
}
