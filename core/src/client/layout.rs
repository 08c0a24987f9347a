//! Which API generation the server speaks, found by asking for the project's pipelines.

use super::connection::{into_error, Client, Resend};
use crate::api::{ApiLayout, Operation};
use crate::error::{Error, ErrorKind, Result};
use crate::transport::Transport;
use serde_json::Value;

/// Largest probe answer read: one page of one pipeline.
const MAX_PROBE_BODY: usize = 1024 * 1024;

/// KubeSphere 4.x serves `…/namespaces/{devops}/pipelines`, 3.x `…/devops/{devops}/pipelines`,
/// each with its own place for the cluster prefix; the other generation's form is a 404.
/// A probe counts only when it answers a pipeline list, so that a page served with 200 for
/// any path (a console, a login redirect) is not taken for the route. Any error other than
/// a 404 is the server's answer and is returned.
pub(super) async fn detect<T: Transport>(client: &Client<T>) -> Result<ApiLayout> {
    let mut misses = Vec::new();
    for layout in [ApiLayout::V4, ApiLayout::V3] {
        let request = client.probe_request(layout)?;
        let response = client.exchange(&request, Resend::ByMethod).await?;
        let status = response.status;
        let miss = match status {
            200..=299 => {
                let content_type = response.header("Content-Type").unwrap_or("none").to_owned();
                let body = response.body.collect_limited(MAX_PROBE_BODY).await?;
                if is_list(&body) {
                    return Ok(layout);
                }
                format!("HTTP {status} without a pipeline list (Content-Type {content_type})")
            }
            404 => into_error(Operation::ListPipelines, response)
                .await
                .message()
                .to_owned(),
            _ => return Err(into_error(Operation::ListPipelines, response).await),
        };
        misses.push(format!("{} {}: {miss}", layout.as_str(), request.path));
    }
    Err(Error::new(
        ErrorKind::NotFound,
        format!(
            "DevOps project {:?}{}: neither the KubeSphere 4.x nor the 3.x pipeline route \
             answers with its pipelines ({})",
            client.devops(),
            client
                .config()
                .cluster
                .as_ref()
                .map(|c| format!(" in cluster {c:?}"))
                .unwrap_or_default(),
            misses.join("; ")
        ),
    )
    .with_status(404))
}

/// `{"items": [...] | null, …}`: the list envelope of the pipelines route.
fn is_list(body: &[u8]) -> bool {
    serde_json::from_slice::<Value>(body)
        .is_ok_and(|v| v.get("items").is_some_and(|i| i.is_array() || i.is_null()))
}
