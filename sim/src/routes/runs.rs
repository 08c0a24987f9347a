//! v1alpha3 PipelineRuns and branches (reference §1.1 #12–#19, §5.1, §5.3, §5.5).

use super::query::{list_result, ListQuery};
use crate::auth::Caller;
use crate::http::*;
use crate::shared::Shared;
use crate::store::*;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::IntoResponse;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::Arc;

type P = Path<HashMap<String, String>>;
type Q = Query<HashMap<String, String>>;

fn param<'a>(p: &'a HashMap<String, String>, key: &str) -> &'a str {
    p.get(key).map(String::as_str).unwrap_or("")
}

/// Go's `fmt.Sprint` of a JSON value, as `convertParameters` applies it.
pub fn go_sprint(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => "<nil>".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => match n.as_f64() {
            Some(f) if n.is_f64() && f.fract() == 0.0 && f.abs() < 1e21 => format!("{}", f as i64),
            _ => n.to_string(),
        },
        Value::Array(items) => format!(
            "[{}]",
            items.iter().map(go_sprint).collect::<Vec<_>>().join(" ")
        ),
        Value::Object(m) => format!(
            "map[{}]",
            m.iter()
                .map(|(k, v)| format!("{k}:{}", go_sprint(v)))
                .collect::<Vec<_>>()
                .join(" ")
        ),
    }
}

/// `{"parameters":[{"name","value"}]}` ⇒ name/value strings, empty names dropped.
pub fn run_parameters(body: Option<&Value>) -> Vec<(String, String)> {
    body.and_then(|b| b.get("parameters"))
        .and_then(Value::as_array)
        .map(|list| {
            list.iter()
                .filter_map(|p| {
                    let name = p.get("name").and_then(Value::as_str).unwrap_or("");
                    if name.is_empty() {
                        return None;
                    }
                    Some((
                        name.to_string(),
                        go_sprint(p.get("value").unwrap_or(&Value::Null)),
                    ))
                })
                .collect()
        })
        .unwrap_or_default()
}

fn with_status_annotations(entry: &RunEntry) -> Value {
    let mut cr = entry.cr.clone();
    if annotation(&cr, ANNO_RUN_STATUS).is_none() {
        let status = entry
            .status_json
            .as_ref()
            .map(Value::to_string)
            .unwrap_or_default();
        set_annotation(&mut cr, ANNO_RUN_STATUS, &status);
    }
    if annotation(&cr, ANNO_RUN_STAGES).is_none() {
        let stages = entry
            .stages_json
            .as_ref()
            .map(Value::to_string)
            .unwrap_or_default();
        set_annotation(&mut cr, ANNO_RUN_STAGES, &stages);
    }
    cr
}

pub async fn list_runs(
    _c: Caller,
    State(s): State<Arc<Shared>>,
    Path(p): P,
    Query(q): Q,
    headers: HeaderMap,
) -> Reply {
    check_accept(&headers, JSON, false)?;
    let ns = param(&p, "ns");
    let pipeline = param(&p, "pipeline");
    let lq = ListQuery::parse(&q);
    let backward = q.get("backward").is_none_or(|b| b != "false");
    let branch = q.get("branch").filter(|b| !b.is_empty());
    let w = s.world();
    let mut items: Vec<(i64, Value)> = w
        .runs
        .iter()
        .filter(|((rns, _), r)| rns == ns && label(&r.cr, LABEL_PIPELINE) == Some(pipeline))
        .filter(|(_, r)| lq.labels_match(&r.cr))
        .filter(|(_, r)| {
            branch.is_none_or(|b| {
                r.cr.pointer("/spec/scm/refName").and_then(Value::as_str) == Some(b.as_str())
            })
        })
        // backward=true hides runs the controller has not synced yet.
        .filter(|(_, r)| !backward || r.status_json.is_some())
        .map(|(_, r)| {
            if backward {
                (r.created_ms, r.cr.clone())
            } else {
                (r.created_ms, with_status_annotations(r))
            }
        })
        .collect();
    if !backward {
        // Sorted by start time (falling back to creation), newest first, then name.
        items.sort_by(|(ta, a), (tb, b)| {
            tb.cmp(ta)
                .then_with(|| meta(a, "name").cmp(&meta(b, "name")))
        });
        let total = items.len();
        let values: Vec<Value> = items.into_iter().map(|(_, v)| v).collect();
        let page = match lq.limit {
            None => values,
            Some(limit) => values
                .into_iter()
                .skip((lq.page - 1) * limit)
                .take(limit)
                .collect(),
        };
        return Ok(ok_json(&list_result(page, total)));
    }
    let (page, total) = lq.page_of(items);
    Ok(ok_json(&list_result(page, total)))
}

pub async fn create_run(
    caller: Caller,
    State(s): State<Arc<Shared>>,
    Path(p): P,
    Query(q): Q,
    headers: HeaderMap,
    body: Bytes,
) -> Reply {
    check_accept(&headers, JSON, body.is_empty())?;
    check_json_content_type(&headers)?;
    let payload = parse_json(&body)?;
    let ns = param(&p, "ns");
    let pipeline = param(&p, "pipeline");
    let now = s.now_ms();
    let mut w = s.world();
    let entry = w.pipeline(ns, pipeline).map_err(|e| run_error(&e))?;
    let multi =
        entry.cr.pointer("/spec/type").and_then(Value::as_str) == Some("multi-branch-pipeline");
    let scm = if multi {
        let branch = q.get("branch").map(String::as_str).unwrap_or("");
        let branch = branch.strip_prefix("refs/heads/").unwrap_or(branch);
        if branch.is_empty() {
            return Err(text_error(
                400,
                "missing branch name for running a multi-branch Pipeline",
            ));
        }
        Some(json!({"refName": branch, "refType": ""}))
    } else {
        None
    };
    let params = run_parameters(payload.as_ref());
    let created = w
        .create_bare_run(
            ns,
            NewRun {
                pipeline: pipeline.to_string(),
                parameters: params,
                scm,
                creator: caller.user.name.clone(),
                run_id: None,
            },
            now,
        )
        .map_err(|e| run_error(&e))?;
    Ok(ok_json(&created))
}

pub async fn get_run(
    _c: Caller,
    State(s): State<Arc<Shared>>,
    Path(p): P,
    headers: HeaderMap,
) -> Reply {
    check_accept(&headers, JSON, false)?;
    let w = s.world();
    let entry = w
        .run(param(&p, "ns"), param(&p, "run"))
        .map_err(|e| run_error(&e))?;
    Ok(ok_json(&with_status_annotations(entry)))
}

pub async fn node_details(
    _c: Caller,
    State(s): State<Arc<Shared>>,
    Path(p): P,
    headers: HeaderMap,
) -> Reply {
    check_accept(&headers, JSON, false)?;
    let w = s.world();
    let entry = w
        .run(param(&p, "ns"), param(&p, "run"))
        .map_err(|e| run_error(&e))?;
    Ok(ok_json(entry.stages_json.as_ref().unwrap_or(&json!([]))))
}

pub async fn download_artifact(
    _c: Caller,
    State(s): State<Arc<Shared>>,
    Path(p): P,
    Query(q): Q,
    headers: HeaderMap,
) -> Reply {
    check_accept(&headers, JSON, false)?;
    let filename = query_unescape(q.get("filename").map(String::as_str).unwrap_or(""));
    let w = s.world();
    let entry = w
        .run(param(&p, "ns"), param(&p, "run"))
        .map_err(|e| run_error(&e))?;
    let Some(key) = w.build_key_of_run(entry) else {
        return Err(text_error(
            500,
            &format!("pipelinerun {} not found run ID", param(&p, "run")),
        ));
    };
    let artifact = w
        .build(&key)
        .and_then(|b| b.artifacts.iter().find(|a| a.path == filename))
        .ok_or_else(|| text_error(500, "failed to get artifact. the HTTP status code is 404"))?;
    let disposition = format!("attachment; filename={filename}");
    Ok((
        StatusCode::OK,
        [
            (
                header::CONTENT_TYPE,
                header_value("application/octet-stream"),
            ),
            (header::CONTENT_DISPOSITION, header_value(&disposition)),
        ],
        artifact.content.clone(),
    )
        .into_response())
}

pub async fn delete_run(
    _c: Caller,
    State(s): State<Arc<Shared>>,
    Path(p): P,
    Query(q): Q,
    headers: HeaderMap,
) -> Reply {
    check_accept(&headers, JSON, false)?;
    let ns = param(&p, "ns");
    let name = param(&p, "run");
    let keep = q.get("keepJenkinsRecord").is_some_and(|v| v == "true");
    let mut w = s.world();
    let entry = w.run(ns, name).map_err(|e| run_error(&e))?;
    let phase = entry
        .cr
        .pointer("/status/phase")
        .and_then(Value::as_str)
        .unwrap_or("");
    if !matches!(phase, "Succeeded" | "Failed" | "Cancelled") {
        return Err(text_error(
            400,
            &format!(
                "pipelinerun {name} is not finished yet, cannot be deleted (phase: {phase:?})"
            ),
        ));
    }
    let key = w.build_key_of_run(entry);
    w.remove_run(ns, name);
    if let (Some(key), false) = (key, keep) {
        if let Some(builds) = w
            .job_mut(&key.0)
            .and_then(|j| j.builds_mut(key.0.branch.as_deref()))
        {
            builds.runs.remove(&key.1);
        }
    }
    Ok(StatusCode::OK.into_response())
}

// ----- branches (from the jenkins-branches annotation) -----

fn branches_of(
    w: &World,
    ns: &str,
    pipeline: &str,
) -> Result<Vec<Value>, axum::response::Response> {
    let entry = w.pipeline(ns, pipeline).map_err(|e| run_error(&e))?;
    if entry.cr.pointer("/spec/type").and_then(Value::as_str) != Some("multi-branch-pipeline") {
        return Err(text_error(
            400,
            &format!("pipeline {pipeline} is not a multi-branch pipeline"),
        ));
    }
    Ok(annotation(&entry.cr, ANNO_BRANCHES)
        .and_then(|a| serde_json::from_str::<Vec<Value>>(a).ok())
        .unwrap_or_default())
}

pub async fn list_branches(
    _c: Caller,
    State(s): State<Arc<Shared>>,
    Path(p): P,
    Query(q): Q,
    headers: HeaderMap,
) -> Reply {
    check_accept(&headers, JSON, false)?;
    let w = s.world();
    let all = branches_of(&w, param(&p, "ns"), param(&p, "pipeline"))?;
    let is_pr = |b: &Value| {
        b.pointer("/pullRequest/id")
            .and_then(Value::as_str)
            .is_some_and(|id| !id.is_empty())
    };
    let filtered: Vec<Value> = match q.get("filter").map(String::as_str) {
        Some("origin") => all.into_iter().filter(|b| !is_pr(b)).collect(),
        Some("pull-requests") => all.into_iter().filter(is_pr).collect(),
        _ => all,
    };
    let total = filtered.len();
    let lq = ListQuery::parse(&q);
    let page = match lq.limit {
        None => filtered,
        Some(limit) => filtered
            .into_iter()
            .skip((lq.page - 1) * limit)
            .take(limit)
            .collect(),
    };
    Ok(ok_json(&list_result(page, total)))
}

pub async fn get_branch(
    _c: Caller,
    State(s): State<Arc<Shared>>,
    Path(p): P,
    headers: HeaderMap,
) -> Reply {
    check_accept(&headers, JSON, false)?;
    let w = s.world();
    let want = param(&p, "branch");
    branches_of(&w, param(&p, "ns"), param(&p, "pipeline"))?
        .into_iter()
        .find(|b| b.get("name").and_then(Value::as_str) == Some(want))
        .map(|b| ok_json(&b))
        .ok_or_else(|| text_error(404, &format!("Branch {want} was not found")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_are_sprinted_like_go() {
        let body = json!({"parameters": [
            {"name": "A", "value": "x"}, {"name": "B", "value": true}, {"name": "C", "value": 1.5},
            {"name": "D", "value": null}, {"name": "", "value": "dropped"}, {"name": "E", "value": 3}
        ]});
        let got = run_parameters(Some(&body));
        let want: Vec<(String, String)> = [
            ("A", "x"),
            ("B", "true"),
            ("C", "1.5"),
            ("D", "<nil>"),
            ("E", "3"),
        ]
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
        assert_eq!(got, want);
    }
}
