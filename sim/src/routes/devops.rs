//! v1alpha3 DevOps projects, pipelines and credentials (reference §1.1 #1–#11, #20–#22).

use super::extract::{media::Json, Accepts, ApiCall, PathParams, QueryParams, WriteBody};
use super::query::{ks_list_result, ListQuery};
use crate::auth::Caller;
use crate::http::*;
use crate::store::*;
use axum::http::StatusCode;
use axum::response::Response;
use ksdevops::model::{annotations, CredentialKind};
use serde_json::{json, Value};

/// ks-devops' answer to a store operation: the object, or its error as text.
fn answer(result: StoreResult<Value>) -> Reply {
    result.map(|v| ok_json(&v)).map_err(|e| devops_error(&e))
}

fn success() -> Reply {
    Ok(ok_json(&json!({"message": "success"})))
}

/// A page of a KubeSphere list, sorted and cut as the query asks.
fn ks_page(lq: &ListQuery, items: Vec<(i64, Value)>) -> Reply {
    let (page, total) = lq.page_of(items);
    Ok(ok_json(&ks_list_result(page, total)))
}

fn project_not_found(ns: &str) -> Response {
    devops_error(&StoreError::not_found(
        &format!("devopsprojects.{}", ksdevops::api::GROUP),
        ns,
    ))
}

fn project<'a>(w: &'a World, ns: &str) -> Result<&'a Value, Response> {
    w.projects.get(ns).ok_or_else(|| project_not_found(ns))
}

fn project_in_workspace<'a>(w: &'a World, p: &PathParams) -> Result<&'a Value, Response> {
    let ns = p.get("ns");
    w.projects
        .get(ns)
        .filter(|proj| label(proj, annotations::WORKSPACE_LABEL) == Some(p.get("ws")))
        .ok_or_else(|| project_not_found(ns))
}

fn credential_key(p: &PathParams) -> (String, String) {
    (p.get("ns").to_string(), p.get("credential").to_string())
}

fn credential_not_found(p: &PathParams) -> Response {
    devops_error(&StoreError::not_found("secrets", p.get("credential")))
}

// ----- projects -----

pub async fn list_projects(call: ApiCall, _: Accepts<Json>, q: QueryParams) -> Reply {
    let ws = call.param("ws");
    let lq = ListQuery::parse(q.as_map());
    let w = call.world();
    let items: Vec<(i64, Value)> = w
        .projects
        .iter()
        .filter(|(name, proj)| {
            label(proj, annotations::WORKSPACE_LABEL) == Some(ws)
                && w.can_access_project(&call.caller.user, name)
        })
        .filter(|(_, proj)| lq.name_matches(proj) && lq.labels_match(proj))
        .map(|(_, proj)| (0, proj.clone()))
        .collect();
    ks_page(&lq, items)
}

pub async fn create_project(call: ApiCall, body: WriteBody<Json>) -> Reply {
    let mut obj = body.json_object()?;
    // The Caller check already limited this to members of the workspace.
    if annotation(&obj, annotations::CREATOR).is_none() {
        set_annotation(&mut obj, annotations::CREATOR, call.user());
    }
    let now = call.now_ms();
    let mut w = call.world();
    let created = w
        .create_project(call.param("ws"), obj, now)
        .map_err(|e| devops_error(&e))?;
    // The creator may use the project they made.
    let name = meta(&created, "name").unwrap_or_default().to_string();
    if let Some(u) = w.users.get_mut(call.user()) {
        u.projects.insert(name);
    }
    Ok(ok_json(&created))
}

pub async fn get_project(call: ApiCall, _: Accepts<Json>) -> Reply {
    Ok(ok_json(project_in_workspace(&call.world(), &call.path)?))
}

pub async fn update_project(call: ApiCall, body: WriteBody<Json>) -> Reply {
    let mut obj = body.json_object()?;
    let mut w = call.world();
    let old = project_in_workspace(&w, &call.path)?.clone();
    let rv = w.next_rv();
    for key in ["name", "uid", "creationTimestamp", "finalizers"] {
        if let Some(v) = old["metadata"].get(key) {
            obj["metadata"][key] = v.clone();
        }
    }
    obj["metadata"]["resourceVersion"] = json!(rv);
    obj["metadata"]["labels"][annotations::WORKSPACE_LABEL] = json!(call.param("ws"));
    obj["status"] = old["status"].clone();
    obj["apiVersion"] = json!(ksdevops::model::API_VERSION);
    obj["kind"] = json!("DevOpsProject");
    w.projects.insert(call.param("ns").to_string(), obj.clone());
    Ok(ok_json(&obj))
}

pub async fn delete_project(call: ApiCall, _: Accepts<Json>) -> Reply {
    let mut w = call.world();
    project_in_workspace(&w, &call.path)?;
    w.delete_project(call.param("ns"))
        .map_err(|e| devops_error(&e))?;
    success()
}

// ----- pipelines -----

pub async fn list_pipelines(call: ApiCall, _: Accepts<Json>, q: QueryParams) -> Reply {
    let ns = call.param("ns");
    let lq = ListQuery::parse(q.as_map());
    let kind = q.non_empty("type");
    let w = call.world();
    project(&w, ns)?;
    let items: Vec<(i64, Value)> = w
        .pipelines
        .iter()
        .filter(|((pns, _), _)| pns == ns)
        .filter(|(_, e)| lq.name_matches(&e.cr) && lq.labels_match(&e.cr))
        .filter(|(_, e)| {
            kind.is_none_or(|k| e.cr.pointer("/spec/type").and_then(Value::as_str) == Some(k))
        })
        .map(|(_, e)| (e.created_ms, e.cr.clone()))
        .collect();
    ks_page(&lq, items)
}

/// ks-devops does not set `kubesphere.io/creator` itself; the console sends it.
pub async fn create_pipeline(call: ApiCall, body: WriteBody<Json>) -> Reply {
    let obj = body.json_object()?;
    let now = call.now_ms();
    answer(call.world().create_pipeline(call.param("ns"), obj, now))
}

pub async fn get_pipeline(call: ApiCall, _: Accepts<Json>) -> Reply {
    let w = call.world();
    answer(
        w.pipeline(call.param("ns"), call.param("pipeline"))
            .map(|e| e.cr.clone()),
    )
}

pub async fn update_pipeline(call: ApiCall, body: WriteBody<Json>) -> Reply {
    let obj = body.json_object()?;
    answer(
        call.world()
            .update_pipeline(call.param("ns"), call.param("pipeline"), obj),
    )
}

pub async fn delete_pipeline(call: ApiCall, _: Accepts<Json>) -> Reply {
    call.world()
        .delete_pipeline(call.param("ns"), call.param("pipeline"))
        .map_err(|e| devops_error(&e))?;
    success()
}

/// PUT …/jenkinsfile?mode=raw|json with `{"data": "…"}` (reference #5, §6).
pub async fn update_jenkinsfile(call: ApiCall, q: QueryParams, body: WriteBody<Json>) -> Reply {
    let obj = body.json_object()?;
    let data = obj
        .get("data")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    let mode = q.get("mode").unwrap_or("");
    let mut w = call.world();
    let rv = w.next_rv();
    let entry = w
        .pipeline_mut(call.param("ns"), call.param("pipeline"))
        .map_err(|e| devops_error(&e))?;
    match mode {
        "raw" => {
            if entry.cr.pointer("/spec/pipeline").is_none() {
                entry.cr["spec"]["pipeline"] = json!({"name": call.param("pipeline")});
            }
            entry.cr["spec"]["pipeline"]["jenkinsfile"] = json!(data);
        }
        "json" => set_annotation(&mut entry.cr, annotations::PIPELINE_JENKINSFILE, &data),
        other => return Err(text_error(400, &format!("invalid edit mode: {other}"))),
    }
    set_annotation(
        &mut entry.cr,
        annotations::PIPELINE_JENKINSFILE_EDIT_MODE,
        mode,
    );
    entry.cr["metadata"]["resourceVersion"] = json!(rv);
    Ok(ok_json(&json!({"result": "success"})))
}

// ----- credentials -----

pub async fn list_credentials(call: ApiCall, _: Accepts<Json>, q: QueryParams) -> Reply {
    let ns = call.param("ns");
    let lq = ListQuery::parse(q.as_map());
    let w = call.world();
    project(&w, ns)?;
    let items: Vec<(i64, Value)> = w
        .credentials
        .iter()
        .filter(|((cns, _), _)| cns == ns)
        .map(|(_, c)| c)
        .filter(|c| {
            c.get("type")
                .and_then(Value::as_str)
                .and_then(CredentialKind::from_secret_type)
                .is_some()
        })
        .filter(|c| lq.name_matches(c) && lq.labels_match(c))
        .map(|c| {
            let rv: i64 = meta(c, "resourceVersion")
                .and_then(|r| r.parse().ok())
                .unwrap_or(0);
            (rv, mask_secret(c))
        })
        .collect();
    ks_page(&lq, items)
}

pub async fn create_credential(call: ApiCall, body: WriteBody<Json>) -> Reply {
    let obj = body.json_object()?;
    let now = call.now_ms();
    answer(call.world().create_credential(call.param("ns"), obj, now))
}

pub async fn get_credential(call: ApiCall, _: Accepts<Json>) -> Reply {
    let w = call.world();
    let c = w
        .credentials
        .get(&credential_key(&call.path))
        .ok_or_else(|| credential_not_found(&call.path))?;
    Ok(ok_json(&mask_secret(c)))
}

pub async fn update_credential(call: ApiCall, body: WriteBody<Json>) -> Reply {
    let obj = body.json_object()?;
    answer(
        call.world()
            .update_credential(call.param("ns"), call.param("credential"), obj),
    )
}

pub async fn delete_credential(call: ApiCall, _: Accepts<Json>) -> Reply {
    call.world()
        .credentials
        .remove(&credential_key(&call.path))
        .ok_or_else(|| credential_not_found(&call.path))?;
    success()
}

pub async fn node_labels(_c: Caller, _: Accepts<Json>) -> Reply {
    Ok(json_body(
        StatusCode::OK,
        &json!({"status": "success", "data": crate::agents::labels(), "message": ""}),
    ))
}
