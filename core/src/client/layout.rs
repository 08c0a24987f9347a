//! Which API generation the server speaks, found by asking for the project's pipelines.

use super::connection::{into_error, Client, Resend};
use crate::api::{ApiLayout, Operation};
use crate::error::{Error, ErrorKind, Result};
use crate::transport::Transport;

/// KubeSphere 4.x serves `…/namespaces/{devops}/pipelines`, 3.x `…/devops/{devops}/pipelines`;
/// the other form is a 404. Any other error is the server's answer and is returned.
pub(super) async fn detect<T: Transport>(client: &Client<T>) -> Result<ApiLayout> {
    let mut not_found = None;
    for layout in [ApiLayout::V4, ApiLayout::V3] {
        let request = client.probe_request(layout)?;
        let response = client.exchange(&request, Resend::ByMethod).await?;
        match response.status {
            200..=299 => return Ok(layout),
            404 => {
                not_found.get_or_insert(into_error(Operation::ListPipelines, response).await);
            }
            _ => return Err(into_error(Operation::ListPipelines, response).await),
        }
    }
    let detail = not_found
        .map(|e| e.message().to_owned())
        .unwrap_or_default();
    Err(Error::new(
        ErrorKind::NotFound,
        format!(
            "DevOps project {:?}: neither the KubeSphere 4.x nor the 3.x pipeline route knows it ({detail})",
            client.devops()
        ),
    )
    .with_status(404))
}
