//! Which API generation the server speaks, found by asking for the project's pipelines.

use super::connection::{Client, Resend};
use crate::api::{ApiLayout, Operation, Page, Request};
use crate::error::{Error, ErrorKind, Result};
use crate::transport::Transport;
use serde_json::Value;

/// What layout detection lists: the client's project's pipelines, or a workspace's projects
/// (for a client without a project).
#[derive(Debug, Clone, Copy)]
pub(crate) enum Probe<'a> {
    Pipelines,
    Projects(&'a str),
}

impl Probe<'_> {
    fn request<T: Transport>(self, client: &Client<T>, layout: ApiLayout) -> Result<Request> {
        let api = client.api_for(layout)?;
        match self {
            Probe::Pipelines => api.list_pipelines(client.devops(), Page::new(1, 1)),
            Probe::Projects(workspace) => api.list_devops_projects(workspace, Page::new(1, 1)),
        }
    }

    fn operation(self) -> Operation {
        match self {
            Probe::Pipelines => Operation::ListPipelines,
            Probe::Projects(_) => Operation::ListDevopsProjects,
        }
    }

    fn subject<T: Transport>(self, client: &Client<T>) -> String {
        match self {
            Probe::Pipelines => format!("DevOps project {:?}", client.devops()),
            Probe::Projects(workspace) => format!("workspace {workspace:?}"),
        }
    }
}

/// KubeSphere 4.x serves `…/namespaces/{devops}/pipelines` and
/// `…/workspaces/{ws}/namespaces`, 3.x `…/devops/{devops}/pipelines` and
/// `…/workspaces/{ws}/devops`, each with its own place for the cluster prefix; the other
/// generation's form is a 404. A probe counts only when it answers a list, so that a page
/// served with 200 for any path (a console, a login redirect) is not taken for the route.
/// Any error other than a 404 is the server's answer and is returned.
pub(super) async fn detect<T: Transport>(
    client: &Client<T>,
    probe: Probe<'_>,
) -> Result<ApiLayout> {
    let operation = probe.operation();
    let mut misses = Vec::new();
    for layout in [ApiLayout::V4, ApiLayout::V3] {
        let request = probe.request(client, layout)?;
        // `fetch` reads the whole answer, asking again when a body breaks off.
        let miss = match client.fetch(operation, &request, Resend::ByMethod).await {
            Ok((headers, body)) => {
                if is_list(&body) {
                    return Ok(layout);
                }
                let content_type = headers
                    .iter()
                    .find(|(name, _)| name.eq_ignore_ascii_case("Content-Type"))
                    .map_or("none", |(_, value)| value.as_str());
                format!("a success without a list (Content-Type {content_type})")
            }
            Err(e) if e.status() == Some(404) => e.message().to_owned(),
            Err(e) => return Err(e),
        };
        misses.push(format!("{} {}: {miss}", layout.as_str(), request.path));
    }
    Err(Error::new(
        ErrorKind::NotFound,
        format!(
            "{}{}: neither the KubeSphere 4.x nor the 3.x route answers with its list ({})",
            probe.subject(client),
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

/// `{"items": [...] | null, …}`: the list envelope of the probed routes.
fn is_list(body: &[u8]) -> bool {
    serde_json::from_slice::<Value>(body)
        .is_ok_and(|v| v.get("items").is_some_and(|i| i.is_array() || i.is_null()))
}
