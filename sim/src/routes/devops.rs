//! v1alpha3 DevOps projects, pipelines and credentials (reference §1.1 #1–#11, #20–#22).

use super::query::{ks_list_result, ListQuery};
use crate::auth::Caller;
use crate::http::*;
use crate::shared::Shared;
use crate::store::*;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::Arc;

type P = Path<HashMap<String, String>>;
type Q = Query<HashMap<String, String>>;

fn param<'a>(p: &'a HashMap<String, String>, key: &str) -> &'a str {
    p.get(key).map(String::as_str).unwrap_or("")
}

fn read_body(headers: &HeaderMap, body: &Bytes) -> Result<Value, axum::response::Response> {
    check_json_content_type(headers)?;
    parse_json(body)?.ok_or_else(|| text_error(400, "the request body is empty"))
}

// ----- projects -----

pub async fn list_projects(
    caller: Caller,
    State(s): State<Arc<Shared>>,
    Path(p): P,
    Query(q): Q,
    headers: HeaderMap,
) -> Reply {
    check_accept(&headers, JSON, false)?;
    let ws = param(&p, "ws");
    let lq = ListQuery::parse(&q);
    let w = s.world();
    let items: Vec<(i64, Value)> = w
        .projects
        .iter()
        .filter(|(name, proj)| {
            label(proj, LABEL_WORKSPACE) == Some(ws) && w.can_access_project(&caller.user, name)
        })
        .filter(|(_, proj)| lq.name_matches(proj) && lq.labels_match(proj))
        .map(|(_, proj)| (0, proj.clone()))
        .collect();
    let (page, total) = lq.page_of(items);
    Ok(ok_json(&ks_list_result(page, total)))
}

pub async fn create_project(
    caller: Caller,
    State(s): State<Arc<Shared>>,
    Path(p): P,
    headers: HeaderMap,
    body: Bytes,
) -> Reply {
    check_accept(&headers, JSON, body.is_empty())?;
    let mut obj = read_body(&headers, &body)?;
    // The Caller check already limited this to members of the workspace.
    if annotation(&obj, ANNO_CREATOR).is_none() {
        set_annotation(&mut obj, ANNO_CREATOR, &caller.user.name);
    }
    let now = s.now_ms();
    let mut w = s.world();
    let created = w
        .create_project(param(&p, "ws"), obj, now)
        .map_err(|e| devops_error(&e))?;
    // The creator may use the project they made.
    let name = meta(&created, "name").unwrap_or_default().to_string();
    if let Some(u) = w.users.get_mut(&caller.user.name) {
        u.projects.insert(name);
    }
    Ok(ok_json(&created))
}

fn project_in_workspace<'a>(
    w: &'a World,
    ws: &str,
    ns: &str,
) -> Result<&'a Value, axum::response::Response> {
    w.projects
        .get(ns)
        .filter(|proj| label(proj, LABEL_WORKSPACE) == Some(ws))
        .ok_or_else(|| {
            devops_error(&StoreError::not_found(
                "devopsprojects.devops.kubesphere.io",
                ns,
            ))
        })
}

pub async fn get_project(
    _c: Caller,
    State(s): State<Arc<Shared>>,
    Path(p): P,
    headers: HeaderMap,
) -> Reply {
    check_accept(&headers, JSON, false)?;
    let w = s.world();
    Ok(ok_json(project_in_workspace(
        &w,
        param(&p, "ws"),
        param(&p, "ns"),
    )?))
}

pub async fn update_project(
    _c: Caller,
    State(s): State<Arc<Shared>>,
    Path(p): P,
    headers: HeaderMap,
    body: Bytes,
) -> Reply {
    check_accept(&headers, JSON, body.is_empty())?;
    let mut obj = read_body(&headers, &body)?;
    let mut w = s.world();
    let old = project_in_workspace(&w, param(&p, "ws"), param(&p, "ns"))?.clone();
    let rv = w.next_rv();
    for key in ["name", "uid", "creationTimestamp", "finalizers"] {
        if let Some(v) = old["metadata"].get(key) {
            obj["metadata"][key] = v.clone();
        }
    }
    obj["metadata"]["resourceVersion"] = json!(rv);
    obj["metadata"]["labels"][LABEL_WORKSPACE] = json!(param(&p, "ws"));
    obj["status"] = old["status"].clone();
    obj["apiVersion"] = json!(API_VERSION);
    obj["kind"] = json!("DevOpsProject");
    w.projects.insert(param(&p, "ns").to_string(), obj.clone());
    Ok(ok_json(&obj))
}

pub async fn delete_project(
    _c: Caller,
    State(s): State<Arc<Shared>>,
    Path(p): P,
    headers: HeaderMap,
) -> Reply {
    check_accept(&headers, JSON, false)?;
    let mut w = s.world();
    project_in_workspace(&w, param(&p, "ws"), param(&p, "ns"))?;
    w.delete_project(param(&p, "ns"))
        .map_err(|e| devops_error(&e))?;
    Ok(ok_json(&json!({"message": "success"})))
}

// ----- pipelines -----

pub async fn list_pipelines(
    _c: Caller,
    State(s): State<Arc<Shared>>,
    Path(p): P,
    Query(q): Q,
    headers: HeaderMap,
) -> Reply {
    check_accept(&headers, JSON, false)?;
    let ns = param(&p, "ns");
    let lq = ListQuery::parse(&q);
    let kind = q.get("type").filter(|t| !t.is_empty());
    let w = s.world();
    if !w.projects.contains_key(ns) {
        return Err(devops_error(&StoreError::not_found(
            "devopsprojects.devops.kubesphere.io",
            ns,
        )));
    }
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
    let (page, total) = lq.page_of(items);
    Ok(ok_json(&ks_list_result(page, total)))
}

/// ks-devops does not set `kubesphere.io/creator` itself; the console sends it.
pub async fn create_pipeline(
    _c: Caller,
    State(s): State<Arc<Shared>>,
    Path(p): P,
    headers: HeaderMap,
    body: Bytes,
) -> Reply {
    check_accept(&headers, JSON, body.is_empty())?;
    let obj = read_body(&headers, &body)?;
    let now = s.now_ms();
    let created = s
        .world()
        .create_pipeline(param(&p, "ns"), obj, now)
        .map_err(|e| devops_error(&e))?;
    Ok(ok_json(&created))
}

pub async fn get_pipeline(
    _c: Caller,
    State(s): State<Arc<Shared>>,
    Path(p): P,
    headers: HeaderMap,
) -> Reply {
    check_accept(&headers, JSON, false)?;
    let w = s.world();
    let e = w
        .pipeline(param(&p, "ns"), param(&p, "pipeline"))
        .map_err(|e| devops_error(&e))?;
    Ok(ok_json(&e.cr))
}

pub async fn update_pipeline(
    _c: Caller,
    State(s): State<Arc<Shared>>,
    Path(p): P,
    headers: HeaderMap,
    body: Bytes,
) -> Reply {
    check_accept(&headers, JSON, body.is_empty())?;
    let obj = read_body(&headers, &body)?;
    let updated = s
        .world()
        .update_pipeline(param(&p, "ns"), param(&p, "pipeline"), obj)
        .map_err(|e| devops_error(&e))?;
    Ok(ok_json(&updated))
}

pub async fn delete_pipeline(
    _c: Caller,
    State(s): State<Arc<Shared>>,
    Path(p): P,
    headers: HeaderMap,
) -> Reply {
    check_accept(&headers, JSON, false)?;
    s.world()
        .delete_pipeline(param(&p, "ns"), param(&p, "pipeline"))
        .map_err(|e| devops_error(&e))?;
    Ok(ok_json(&json!({"message": "success"})))
}

/// PUT …/jenkinsfile?mode=raw|json with `{"data": "…"}` (reference #5, §6).
pub async fn update_jenkinsfile(
    _c: Caller,
    State(s): State<Arc<Shared>>,
    Path(p): P,
    Query(q): Q,
    headers: HeaderMap,
    body: Bytes,
) -> Reply {
    check_accept(&headers, JSON, body.is_empty())?;
    let obj = read_body(&headers, &body)?;
    let data = obj
        .get("data")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    let mode = q.get("mode").map(String::as_str).unwrap_or("");
    let mut w = s.world();
    let rv = w.next_rv();
    let entry = w
        .pipeline_mut(param(&p, "ns"), param(&p, "pipeline"))
        .map_err(|e| devops_error(&e))?;
    match mode {
        "raw" => {
            if entry.cr.pointer("/spec/pipeline").is_none() {
                entry.cr["spec"]["pipeline"] = json!({"name": param(&p, "pipeline")});
            }
            entry.cr["spec"]["pipeline"]["jenkinsfile"] = json!(data);
        }
        "json" => set_annotation(&mut entry.cr, ANNO_JENKINSFILE_JSON, &data),
        other => return Err(text_error(400, &format!("invalid edit mode: {other}"))),
    }
    set_annotation(&mut entry.cr, ANNO_EDIT_MODE, mode);
    entry.cr["metadata"]["resourceVersion"] = json!(rv);
    Ok(ok_json(&json!({"result": "success"})))
}

// ----- credentials -----

pub async fn list_credentials(
    _c: Caller,
    State(s): State<Arc<Shared>>,
    Path(p): P,
    Query(q): Q,
    headers: HeaderMap,
) -> Reply {
    check_accept(&headers, JSON, false)?;
    let ns = param(&p, "ns");
    let lq = ListQuery::parse(&q);
    let w = s.world();
    if !w.projects.contains_key(ns) {
        return Err(devops_error(&StoreError::not_found(
            "devopsprojects.devops.kubesphere.io",
            ns,
        )));
    }
    let items: Vec<(i64, Value)> = w
        .credentials
        .iter()
        .filter(|((cns, _), _)| cns == ns)
        .map(|(_, c)| c)
        .filter(|c| CREDENTIAL_TYPES.contains(&c.get("type").and_then(Value::as_str).unwrap_or("")))
        .filter(|c| lq.name_matches(c) && lq.labels_match(c))
        .map(|c| {
            let rv: i64 = meta(c, "resourceVersion")
                .and_then(|r| r.parse().ok())
                .unwrap_or(0);
            (rv, mask_secret(c))
        })
        .collect();
    let (page, total) = lq.page_of(items);
    Ok(ok_json(&ks_list_result(page, total)))
}

pub async fn create_credential(
    _c: Caller,
    State(s): State<Arc<Shared>>,
    Path(p): P,
    headers: HeaderMap,
    body: Bytes,
) -> Reply {
    check_accept(&headers, JSON, body.is_empty())?;
    let obj = read_body(&headers, &body)?;
    let now = s.now_ms();
    let created = s
        .world()
        .create_credential(param(&p, "ns"), obj, now)
        .map_err(|e| devops_error(&e))?;
    Ok(ok_json(&created))
}

pub async fn get_credential(
    _c: Caller,
    State(s): State<Arc<Shared>>,
    Path(p): P,
    headers: HeaderMap,
) -> Reply {
    check_accept(&headers, JSON, false)?;
    let w = s.world();
    let c = w
        .credentials
        .get(&(
            param(&p, "ns").to_string(),
            param(&p, "credential").to_string(),
        ))
        .ok_or_else(|| devops_error(&StoreError::not_found("secrets", param(&p, "credential"))))?;
    Ok(ok_json(&mask_secret(c)))
}

pub async fn update_credential(
    _c: Caller,
    State(s): State<Arc<Shared>>,
    Path(p): P,
    headers: HeaderMap,
    body: Bytes,
) -> Reply {
    check_accept(&headers, JSON, body.is_empty())?;
    let obj = read_body(&headers, &body)?;
    let updated = s
        .world()
        .update_credential(param(&p, "ns"), param(&p, "credential"), obj)
        .map_err(|e| devops_error(&e))?;
    Ok(ok_json(&updated))
}

pub async fn delete_credential(
    _c: Caller,
    State(s): State<Arc<Shared>>,
    Path(p): P,
    headers: HeaderMap,
) -> Reply {
    check_accept(&headers, JSON, false)?;
    let key = (
        param(&p, "ns").to_string(),
        param(&p, "credential").to_string(),
    );
    s.world()
        .credentials
        .remove(&key)
        .ok_or_else(|| devops_error(&StoreError::not_found("secrets", &key.1)))?;
    Ok(ok_json(&json!({"message": "success"})))
}

pub async fn node_labels(_c: Caller, headers: HeaderMap) -> Reply {
    check_accept(&headers, JSON, false)?;
    Ok(json_body(
        StatusCode::OK,
        &json!({"status": "success", "data": ["base", "go", "java", "maven", "nodejs", "python"], "message": ""}),
    ))
}
