//! The Kubernetes API for PipelineRun objects, as KubeSphere proxies it
//! (`/apis/devops.kubesphere.io/v1alpha3/namespaces/{ns}/pipelineruns`): create, get, list,
//! delete and watch (a stream of JSON events), with label and field selectors and Status JSON
//! errors.

use super::extract::{ApiCall, PathParams, QueryParams};
use super::query::{parse_selector, selector_matches};
use crate::http::*;
use crate::shared::Shared;
use crate::store::*;
use axum::body::{Body, Bytes};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt;
use serde_json::{json, Value};
use std::sync::Arc;
use tokio::sync::broadcast::error::RecvError;

pub async fn create(call: ApiCall, headers: HeaderMap, body: Bytes) -> Reply {
    let ct = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if !ct.starts_with("application/json") {
        return Err(k8s_status(415, "UnsupportedMediaType", &format!("the body of the request was in an unknown format - accepted media types include: application/json; content type was {ct:?}"), None));
    }
    let obj: Value = serde_json::from_slice(&body).map_err(|e| {
        k8s_status(
            400,
            "BadRequest",
            &format!("the object provided is unrecognized: {e}"),
            None,
        )
    })?;
    if let Some(kind) = obj.get("kind").and_then(Value::as_str) {
        if kind != "PipelineRun" {
            return Err(k8s_status(
                400,
                "BadRequest",
                &format!("the kind {kind:?} does not match the resource pipelineruns"),
                None,
            ));
        }
    }
    let ns = call.param("ns");
    if let Some(body_ns) = meta(&obj, "namespace") {
        if body_ns != ns {
            return Err(k8s_status(400, "BadRequest", "the namespace of the provided object does not match the namespace sent on the request", None));
        }
    }
    let now = call.now_ms();
    let created = call
        .world()
        .insert_run(ns, obj, now)
        .map_err(|e| k8s_store_error(&e))?;
    Ok(json_body(StatusCode::CREATED, &created))
}

/// The PipelineRun `{name}` of the path, or the Status error for it.
fn run_entry<'a>(w: &'a World, p: &PathParams) -> Result<&'a RunEntry, Response> {
    w.run(p.get("ns"), p.get("name"))
        .map_err(|e| k8s_store_error(&e))
}

pub async fn get(call: ApiCall) -> Reply {
    Ok(ok_json(&run_entry(&call.world(), &call.path)?.cr))
}

pub async fn delete(call: ApiCall) -> Reply {
    let mut w = call.world();
    let (ns, name) = (call.param("ns"), call.param("name"));
    run_entry(&w, &call.path)?;
    let entry = w.remove_run(ns, name).expect("checked");
    Ok(ok_json(&entry.cr))
}

/// A `fieldSelector`: the API server offers `metadata.name` and `metadata.namespace` on
/// every resource (and nothing else on a custom resource); another field is a 400.
fn field_selector(q: &QueryParams) -> Result<Vec<(String, String, bool)>, Response> {
    let fields = parse_selector(q.get("fieldSelector").unwrap_or(""));
    match fields
        .iter()
        .find(|(field, _, _)| !matches!(field.as_str(), "metadata.name" | "metadata.namespace"))
    {
        Some((field, _, _)) => Err(k8s_status(
            400,
            "BadRequest",
            &format!("field label not supported: {field}"),
            None,
        )),
        None => Ok(fields),
    }
}

fn fields_match(fields: &[(String, String, bool)], object: &Value) -> bool {
    fields.iter().all(|(field, value, eq)| {
        let actual = meta(object, field.trim_start_matches("metadata."));
        (actual == Some(value.as_str())) == *eq
    })
}

/// What a list or watch selects: labels, then fields.
#[derive(Clone)]
struct Selection {
    labels: Vec<(String, String, bool)>,
    fields: Vec<(String, String, bool)>,
}

impl Selection {
    fn matches(&self, object: &Value) -> bool {
        selector_matches(&self.labels, object) && fields_match(&self.fields, object)
    }
}

pub async fn list(call: ApiCall, q: QueryParams) -> Reply {
    let ns = call.param("ns").to_string();
    let selector = Selection {
        labels: parse_selector(q.get("labelSelector").unwrap_or("")),
        fields: field_selector(&q)?,
    };
    if matches!(q.get("watch"), Some("true" | "1")) {
        return Ok(watch(call.sim.clone(), ns, selector, &q));
    }
    let w = call.world();
    if !w.projects.contains_key(&ns) {
        return Err(k8s_store_error(&StoreError::not_found("namespaces", &ns)));
    }
    let items: Vec<Value> = w
        .runs
        .iter()
        .filter(|((rns, _), r)| rns == &ns && selector.matches(&r.cr))
        .map(|(_, r)| r.cr.clone())
        .collect();
    Ok(ok_json(&json!({
        "apiVersion": ksdevops::model::API_VERSION,
        "kind": "PipelineRunList",
        "metadata": {"resourceVersion": w.resource_version.to_string()},
        "items": items,
    })))
}

fn event_line(kind: &str, object: &Value) -> Bytes {
    let mut line = json!({"type": kind, "object": object}).to_string();
    line.push('\n');
    Bytes::from(line)
}

/// A watch: `ADDED` for what exists (newer than `resourceVersion` when given), then every
/// change as it happens, one JSON object per line, until `timeoutSeconds`, shutdown, or the
/// watcher falling more than the event buffer behind (the client then lists again).
fn watch(s: Arc<Shared>, ns: String, selector: Selection, q: &QueryParams) -> Response {
    let since: Option<u64> = q
        .get("resourceVersion")
        .and_then(|v| v.parse().ok())
        .filter(|v| *v > 0);
    let timeout = q
        .get("timeoutSeconds")
        .and_then(|v| v.parse::<u64>().ok())
        .map(std::time::Duration::from_secs)
        .unwrap_or(std::time::Duration::from_secs(1800));
    let (initial, rx) = {
        let w = s.world();
        let rx = w.events.subscribe();
        let initial: Vec<Bytes> = w
            .runs
            .iter()
            .filter(|((rns, _), r)| rns == &ns && selector.matches(&r.cr))
            .filter(|(_, r)| {
                since.is_none_or(|v| {
                    meta(&r.cr, "resourceVersion")
                        .and_then(|x| x.parse::<u64>().ok())
                        .unwrap_or(0)
                        > v
                })
            })
            .map(|(_, r)| event_line(if since.is_some() { "MODIFIED" } else { "ADDED" }, &r.cr))
            .collect();
        (initial, rx)
    };
    let live = futures_util::stream::unfold(rx, move |mut rx| {
        let ns = ns.clone();
        let selector = selector.clone();
        async move {
            loop {
                match rx.recv().await {
                    Ok(ev) => {
                        if ev.namespace == ns && selector.matches(&ev.object) {
                            return Some((event_line(ev.kind, &ev.object), rx));
                        }
                    }
                    // The events it missed are gone: end the stream, as the API server
                    // closes a watcher that cannot keep up, rather than skip them.
                    Err(RecvError::Lagged(_) | RecvError::Closed) => return None,
                }
            }
        }
    });
    let stop = {
        let shutdown = s.shutdown_signal();
        async move {
            tokio::select! {
                _ = shutdown => {}
                _ = tokio::time::sleep(timeout) => {}
            }
        }
    };
    let stream = futures_util::stream::iter(initial)
        .chain(live)
        .take_until(stop)
        .map(Ok::<Bytes, std::convert::Infallible>);
    (
        StatusCode::OK,
        [(header::CONTENT_TYPE, "application/json")],
        Body::from_stream(stream),
    )
        .into_response()
}
