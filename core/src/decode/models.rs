//! The one mapping from a JSON operation to the model its answer decodes into.
//!
//! [`super::decode_response`] reads the body into that model and serialises it, so every
//! binding sees the values the Rust client works with: `"items": null` becomes `[]`, the
//! v1alpha2 `aprovable` spelling becomes `approvable`, agent labels become a list of names.

use super::success::parse_json_as;
use crate::api::Operation;
use crate::error::{Error, ErrorKind, Result};
use crate::model::{
    Artifact, Branch, CredentialSecret, DevOpsProject, ListResult, NodeDetail, Pipeline,
    PipelineRun, Run, Token,
};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

/// Decodes a JSON answer to `operation` into its model and gives the model's JSON form.
/// Operations without a model (deletions, for instance) give the parsed body.
pub(super) fn normalised_json(
    operation: Operation,
    headers: &[(String, String)],
    body: &[u8],
) -> Result<Value> {
    use Operation::*;
    let read = Read {
        operation,
        headers,
        body,
    };
    match operation {
        ListPipelines => read.model::<ListResult<Pipeline>>(),
        GetPipeline | CreatePipeline | UpdatePipeline => read.model::<Pipeline>(),
        ListCredentials => read.model::<ListResult<CredentialSecret>>(),
        GetCredential | CreateCredential | UpdateCredential => read.model::<CredentialSecret>(),
        ListDevopsProjects => read.model::<ListResult<DevOpsProject>>(),
        GetDevopsProject | CreateDevopsProject | UpdateDevopsProject => {
            read.model::<DevOpsProject>()
        }
        ListBranches => read.model::<ListResult<Branch>>(),
        GetBranch => read.model::<Branch>(),
        ListPipelineRuns => read.model::<ListResult<PipelineRun>>(),
        GetPipelineRun | CreatePipelineRunResource | GetPipelineRunResource => {
            read.model::<PipelineRun>()
        }
        CreatePipelineRun | StopRun | ReplayRun => read.model::<Run>(),
        GetNodeDetails | GetRunNodesDetail => read.model::<Vec<NodeDetail>>(),
        ListArtifacts => read.model::<ListResult<Artifact>>().map(items),
        ListAgentLabels => read.raw().map(|value| agent_labels(&value).into()),
        Login | RefreshToken => read.model::<Token>(),
        _ => read.raw(),
    }
}

/// Normalises the `object` of a watch event to a [`PipelineRun`] where it is one (`ADDED`,
/// `MODIFIED`, `DELETED`); other events (`BOOKMARK`, `ERROR`) stay as they came.
pub(super) fn normalised_watch_event(operation: Operation, mut event: Value) -> Result<Value> {
    let is_change = matches!(
        event.get("type").and_then(Value::as_str),
        Some("ADDED" | "MODIFIED" | "DELETED")
    );
    if let (true, Some(object)) = (is_change, event.get_mut("object")) {
        let run: PipelineRun = serde_json::from_value(object.take())
            .map_err(|e| not_the_model(operation, &e.to_string()))?;
        *object = to_value(&run)?;
    }
    Ok(event)
}

struct Read<'a> {
    operation: Operation,
    headers: &'a [(String, String)],
    body: &'a [u8],
}

impl Read<'_> {
    fn model<M: DeserializeOwned + Serialize>(&self) -> Result<Value> {
        let model: M = parse_json_as(self.operation, self.headers, self.body)?;
        to_value(&model)
    }

    fn raw(&self) -> Result<Value> {
        parse_json_as(self.operation, self.headers, self.body)
    }
}

/// The artifact list is a bare array: its items alone, not a list envelope.
fn items(list: Value) -> Value {
    match list {
        Value::Object(mut map) => map.remove("items").unwrap_or(Value::Array(Vec::new())),
        other => other,
    }
}

fn to_value(model: &impl Serialize) -> Result<Value> {
    serde_json::to_value(model)
        .map_err(|e| Error::new(ErrorKind::Decode, format!("re-encoding a model: {e}")))
}

fn not_the_model(operation: Operation, reason: &str) -> Error {
    Error::new(
        ErrorKind::Decode,
        format!("{operation}: the response is not the expected JSON: {reason}"),
    )
}

/// Labels from `/ci/nodelabels`: a list of strings, or of objects with a `label`/`name`
/// field, possibly inside a `{"data": …}` or `{"items": …}` envelope.
pub(crate) fn agent_labels(value: &Value) -> Vec<String> {
    let list = match value {
        Value::Array(items) => items.as_slice(),
        Value::Object(map) => match map.get("data").or_else(|| map.get("items")) {
            Some(Value::Array(items)) => items.as_slice(),
            _ => &[],
        },
        _ => &[],
    };
    list.iter()
        .filter_map(|item| match item {
            Value::String(s) => Some(s.clone()),
            Value::Object(o) => ["label", "name"]
                .iter()
                .find_map(|k| o.get(*k).and_then(Value::as_str))
                .map(str::to_owned),
            _ => None,
        })
        .filter(|l| !l.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn decode(operation: Operation, body: &str) -> Value {
        normalised_json(operation, &[], body.as_bytes()).unwrap()
    }

    #[test]
    fn a_null_item_list_reads_as_empty() {
        let value = decode(Operation::ListPipelines, r#"{"items":null,"totalItems":0}"#);
        assert_eq!(value, json!({"items": [], "totalItems": 0}));
    }

    #[test]
    fn the_v1alpha2_approvable_spelling_is_normalised() {
        let body = r#"[{"id":"1","steps":[{"id":"2","aprovable":true,"state":"PAUSED"}]}]"#;
        for operation in [Operation::GetRunNodesDetail, Operation::GetNodeDetails] {
            let step = &decode(operation, body)[0]["steps"][0];
            assert_eq!(step["approvable"], json!(true));
            assert!(step.get("aprovable").is_none(), "{step}");
        }
    }

    #[test]
    fn unknown_fields_are_kept() {
        let body = r#"{"metadata":{"name":"p"},"spec":{"type":"pipeline"},"later":{"x":1}}"#;
        assert_eq!(
            decode(Operation::GetPipeline, body)["later"],
            json!({"x": 1})
        );
    }

    #[test]
    fn agent_labels_read_every_known_shape() {
        assert_eq!(agent_labels(&json!(["base", "maven"])), ["base", "maven"]);
        assert_eq!(
            agent_labels(&json!({"data": [{"label": "go"}, {"name": "nodejs"}]})),
            ["go", "nodejs"]
        );
        assert!(agent_labels(&json!({"status": "ok"})).is_empty());
        let body = r#"{"status":"success","data":["base"],"message":""}"#;
        assert_eq!(decode(Operation::ListAgentLabels, body), json!(["base"]));
    }

    #[test]
    fn a_body_that_is_not_the_model_is_a_decode_error() {
        let e = normalised_json(Operation::GetPipelineRun, &[], b"[1,2]").unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Decode);
        let event = json!({"type": "ADDED", "object": [1]});
        let e = normalised_watch_event(Operation::WatchPipelineRuns, event).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Decode);
    }
}
