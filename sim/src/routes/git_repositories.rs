//! v1alpha3 GitRepository resources (`/namespaces/{ns}/gitrepositories` in both layouts):
//! list, get, create, update, delete, kept as sent with server-set metadata.

use super::extract::{media::Json, Accepts, ApiCall, QueryParams, WriteBody};
use super::query::{ks_list_result, ListQuery};
use crate::http::{ok_json, text_error, Reply};
use ksdevops::api::GROUP;
use serde_json::{json, Value};

fn not_found(name: &str) -> axum::response::Response {
    text_error(
        404,
        &format!("gitrepositories.{GROUP} \"{name}\" not found"),
    )
}

fn check_project(call: &ApiCall) -> Result<(), axum::response::Response> {
    let ns = call.param("ns");
    if call.world().projects.contains_key(ns) {
        Ok(())
    } else {
        Err(text_error(
            404,
            &format!("devopsprojects.devops.kubesphere.io \"{ns}\" not found"),
        ))
    }
}

pub async fn list(call: ApiCall, _: Accepts<Json>, q: QueryParams) -> Reply {
    check_project(&call)?;
    let ns = call.param("ns");
    let lq = ListQuery::parse(q.as_map());
    let w = call.world();
    let items: Vec<(i64, Value)> = w
        .git_repositories
        .iter()
        .filter(|((n, _), _)| n == ns)
        .map(|(_, r)| (0, r.clone()))
        .collect();
    let (page, total) = lq.page_of(items);
    Ok(ok_json(&ks_list_result(page, total)))
}

pub async fn get(call: ApiCall, _: Accepts<Json>) -> Reply {
    let key = (
        call.param("ns").to_owned(),
        call.param("repository").to_owned(),
    );
    let w = call.world();
    w.git_repositories
        .get(&key)
        .map(ok_json)
        .ok_or_else(|| not_found(&key.1))
}

/// The object to store: the body's name and spec, the server's namespace and version.
fn stored(
    mut body: Value,
    ns: &str,
    rv: String,
) -> Result<(String, Value), axum::response::Response> {
    let name = body
        .pointer("/metadata/name")
        .and_then(Value::as_str)
        .filter(|n| ksdevops_name_ok(n))
        .ok_or_else(|| text_error(400, "metadata.name: a valid name is required"))?
        .to_owned();
    if !body.get("spec").is_some_and(Value::is_object) {
        return Err(text_error(400, "spec: an object is required"));
    }
    body["metadata"]["namespace"] = json!(ns);
    body["metadata"]["resourceVersion"] = json!(rv);
    body["apiVersion"] = json!(ksdevops::model::API_VERSION);
    body["kind"] = json!("GitRepository");
    Ok((name, body))
}

fn ksdevops_name_ok(name: &str) -> bool {
    ksdevops::api::is_dns_subdomain(name)
}

pub async fn create(call: ApiCall, body: WriteBody<Json>) -> Reply {
    check_project(&call)?;
    let ns = call.param("ns").to_owned();
    let mut w = call.world();
    let rv = w.next_rv();
    let (name, object) = stored(body.json_object()?, &ns, rv)?;
    let key = (ns, name.clone());
    if w.git_repositories.contains_key(&key) {
        return Err(text_error(
            400,
            &format!("gitrepositories.{GROUP} \"{name}\" already exists"),
        ));
    }
    w.git_repositories.insert(key, object.clone());
    Ok(ok_json(&object))
}

pub async fn update(call: ApiCall, body: WriteBody<Json>) -> Reply {
    let ns = call.param("ns").to_owned();
    let name = call.param("repository").to_owned();
    let mut w = call.world();
    let key = (ns.clone(), name.clone());
    let Some(old) = w.git_repositories.get(&key).cloned() else {
        return Err(not_found(&name));
    };
    let rv = w.next_rv();
    let (body_name, mut object) = stored(body.json_object()?, &ns, rv)?;
    if body_name != name {
        return Err(text_error(400, "metadata.name does not match the path"));
    }
    if let Some(created) = old.pointer("/metadata/annotations/kubesphere.io~1creator") {
        object["metadata"]["annotations"][ksdevops::model::annotations::CREATOR] = created.clone();
    }
    w.git_repositories.insert(key, object.clone());
    Ok(ok_json(&object))
}

pub async fn delete(call: ApiCall) -> Reply {
    let key = (
        call.param("ns").to_owned(),
        call.param("repository").to_owned(),
    );
    let mut w = call.world();
    match w.git_repositories.remove(&key) {
        Some(removed) => Ok(ok_json(&removed)),
        None => Err(not_found(&key.1)),
    }
}
