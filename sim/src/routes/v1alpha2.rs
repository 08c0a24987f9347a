//! v1alpha2: the Jenkins BlueOcean passthrough (reference §1.2 #30–#46). Errors from
//! "Jenkins" surface as HTTP 500 with Jenkins' body, as ks-devops forwards them.

use super::runs::run_parameters;
use crate::auth::Caller;
use crate::executor;
use crate::http::*;
use crate::jenkins::*;
use crate::shared::Shared;
use crate::store::*;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::Arc;

type P = Path<HashMap<String, String>>;
type Q = Query<HashMap<String, String>>;

/// Jenkins returns the last 150 KB of a log when `start` is absent.
const LOG_TAIL_KB: usize = 150;

fn param<'a>(p: &'a HashMap<String, String>, key: &str) -> &'a str {
    p.get(key).map(String::as_str).unwrap_or("")
}

fn not_found(what: &str) -> Response {
    jenkins_error(404, what)
}

/// The Jenkins job a path names (`/pipelines/{pipeline}[/branches/{branch}]`).
fn job_path(w: &World, p: &HashMap<String, String>) -> Result<JobPath, Response> {
    let ns = param(p, "ns");
    let pipeline = param(p, "pipeline");
    let job = w
        .pipelines
        .get(&(ns.to_string(), pipeline.to_string()))
        .and_then(|e| e.job.as_ref())
        .ok_or_else(|| not_found(&format!("Pipeline {ns}/{pipeline} not found")))?;
    let branch = p.get("branch").cloned();
    match (&branch, job.multi_branch) {
        (Some(b), true) if job.branches.contains_key(b) => {}
        (Some(b), _) => {
            return Err(not_found(&format!(
                "Pipeline {ns}/{pipeline}/{b} not found"
            )))
        }
        (None, true) => {
            return Err(jenkins_error(
                400,
                &format!(
                "Pipeline {ns}/{pipeline} is a multi-branch project; address one of its branches"
            ),
            ))
        }
        (None, false) => {}
    }
    Ok(JobPath {
        namespace: ns.to_string(),
        pipeline: pipeline.to_string(),
        branch,
    })
}

/// What the Jenkins event webhook does for a build started in Jenkins: a PipelineRun that
/// carries the run id from the start. The pipeline was just found, so this cannot fail.
pub fn webhook_run(
    w: &mut World,
    job: &JobPath,
    id: u32,
    parameters: Vec<(String, String)>,
    creator: &str,
    now: i64,
) {
    let scm = job
        .branch
        .as_ref()
        .map(|b| json!({"refName": b, "refType": "branch"}));
    let run = NewRun {
        pipeline: job.pipeline.clone(),
        parameters,
        scm,
        creator: creator.to_string(),
        run_id: Some(id),
    };
    if let Err(e) = w.create_bare_run(&job.namespace, run, now) {
        debug_assert!(false, "webhook PipelineRun: {}", e.message());
    }
}

fn build_key(w: &World, p: &HashMap<String, String>) -> Result<BuildKey, Response> {
    let path = job_path(w, p)?;
    let run = param(p, "run");
    let id: u32 = run
        .parse()
        .map_err(|_| not_found(&format!("Run {run} not found")))?;
    if w.build(&(path.clone(), id)).is_none() {
        return Err(not_found(&format!(
            "Run {run} not found in organization jenkins and pipeline {}",
            path.job_name()
        )));
    }
    Ok((path, id))
}

pub async fn get_pipeline(
    _c: Caller,
    State(s): State<Arc<Shared>>,
    Path(p): P,
    Query(q): Q,
    headers: HeaderMap,
) -> Reply {
    check_accept(&headers, JSON, false)?;
    let w = s.world();
    let ns = param(&p, "ns");
    let name = param(&p, "pipeline");
    if q.get("check").is_some_and(|c| c == "true") {
        let exist = w
            .pipelines
            .contains_key(&(ns.to_string(), name.to_string()));
        return Ok(ok_json(&json!({"exist": exist})));
    }
    let entry = w
        .pipelines
        .get(&(ns.to_string(), name.to_string()))
        .filter(|e| e.job.is_some())
        .ok_or_else(|| not_found(&format!("Pipeline {ns}/{name} not found")))?;
    let script = entry
        .cr
        .pointer("/spec/multi_branch_pipeline/script_path")
        .and_then(Value::as_str);
    let job = entry.job.as_ref().expect("filtered");
    Ok(ok_json(&job.blue_json(ns, name, script, s.now_ms())))
}

pub async fn scan(
    caller: Caller,
    State(s): State<Arc<Shared>>,
    Path(p): P,
    headers: HeaderMap,
    body: Bytes,
) -> Reply {
    check_accept(&headers, HTML, body.is_empty())?;
    let ns = param(&p, "ns").to_string();
    let name = param(&p, "pipeline").to_string();
    {
        let w = s.world();
        let job = w
            .pipelines
            .get(&(ns.clone(), name.clone()))
            .and_then(|e| e.job.as_ref())
            .ok_or_else(|| not_found(&format!("Pipeline {ns}/{name} not found")))?;
        if !job.multi_branch {
            return Err(jenkins_error(
                405,
                "HTTP method POST is not supported by this URL",
            ));
        }
    }
    crate::scm::start_indexing(
        &s,
        &ns,
        &name,
        &format!("Started by user {}", caller.user.name),
    );
    Ok((
        StatusCode::OK,
        [(axum::http::header::CONTENT_TYPE, HTML)],
        "",
    )
        .into_response())
}

pub async fn console_log(
    _c: Caller,
    State(s): State<Arc<Shared>>,
    Path(p): P,
    headers: HeaderMap,
) -> Reply {
    check_accept(&headers, TEXT, false)?;
    let w = s.world();
    let ns = param(&p, "ns");
    let name = param(&p, "pipeline");
    let job = w
        .pipelines
        .get(&(ns.to_string(), name.to_string()))
        .and_then(|e| e.job.as_ref())
        .ok_or_else(|| not_found(&format!("Pipeline {ns}/{name} not found")))?;
    Ok(ok_text(job.indexing_log.clone()))
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
    let ns = param(&p, "ns");
    let name = param(&p, "pipeline");
    let job = w
        .pipelines
        .get(&(ns.to_string(), name.to_string()))
        .and_then(|e| e.job.as_ref())
        .ok_or_else(|| not_found(&format!("Pipeline {ns}/{name} not found")))?;
    let start: usize = q.get("start").and_then(|v| v.parse().ok()).unwrap_or(0);
    let limit: usize = q.get("limit").and_then(|v| v.parse().ok()).unwrap_or(100);
    let now = s.now_ms();
    let items: Vec<Value> = job
        .branches
        .values()
        .filter(|b| match q.get("filter").map(String::as_str) {
            Some("origin") => b.kind != BranchKind::PullRequest,
            Some("pull-requests") => b.kind == BranchKind::PullRequest,
            _ => true,
        })
        .skip(start)
        .take(limit)
        .map(|b| b.blue_json(ns, name, now))
        .collect();
    Ok(ok_json(&Value::Array(items)))
}

pub async fn get_branch(
    _c: Caller,
    State(s): State<Arc<Shared>>,
    Path(p): P,
    headers: HeaderMap,
) -> Reply {
    check_accept(&headers, JSON, false)?;
    let w = s.world();
    let path = job_path(&w, &p)?;
    let job = w.job(&path).expect("resolved");
    let b = &job.branches[path.branch.as_deref().unwrap_or_default()];
    Ok(ok_json(&b.blue_json(
        &path.namespace,
        &path.pipeline,
        s.now_ms(),
    )))
}

/// #35: local paging with ks-devops' quirks (reference §1.2): `limit` absent ⇒ empty page,
/// `start+1 >= total` ⇒ the whole list.
pub async fn list_runs(
    _c: Caller,
    State(s): State<Arc<Shared>>,
    Path(p): P,
    Query(q): Q,
    headers: HeaderMap,
) -> Reply {
    check_accept(&headers, JSON, false)?;
    let w = s.world();
    let ns = param(&p, "ns");
    let name = param(&p, "pipeline");
    let job = w
        .pipelines
        .get(&(ns.to_string(), name.to_string()))
        .and_then(|e| e.job.as_ref())
        .ok_or_else(|| not_found(&format!("Pipeline {ns}/{name} not found")))?;
    let now = s.now_ms();
    let branch = q.get("branch").filter(|b| !b.is_empty());
    let mut all: Vec<&Build> = if job.multi_branch {
        job.branches
            .values()
            .filter(|b| branch.is_none_or(|want| &b.name == want))
            .flat_map(|b| b.builds.runs.values())
            .collect()
    } else {
        job.builds.runs.values().collect()
    };
    all.sort_by(|a, b| b.enqueue_ms.cmp(&a.enqueue_ms).then(b.id.cmp(&a.id)));
    let total = all.len();
    let start: usize = q.get("start").and_then(|v| v.parse().ok()).unwrap_or(0);
    let limit: usize = q.get("limit").and_then(|v| v.parse().ok()).unwrap_or(0);
    let page: Vec<Value> = if start + 1 >= total {
        all.iter().map(|b| b.to_blue_json(now)).collect()
    } else {
        all[start..(start + limit).min(total)]
            .iter()
            .map(|b| b.to_blue_json(now))
            .collect()
    };
    Ok(ok_json(&json!({"items": page, "totalItems": total})))
}

/// #36: starts a build in Jenkins; the Jenkins event webhook then creates its PipelineRun.
pub async fn trigger(
    caller: Caller,
    State(s): State<Arc<Shared>>,
    Path(p): P,
    headers: HeaderMap,
    body: Bytes,
) -> Reply {
    check_accept(&headers, JSON, body.is_empty())?;
    let payload: Option<Value> = serde_json::from_slice(&body).ok();
    let params = run_parameters(payload.as_ref());
    let now = s.now_ms();
    let mut w = s.world();
    let path = job_path(&w, &p)?;
    let id = executor::trigger(
        &s,
        &mut w,
        &path,
        &params,
        Some(&caller.user.name),
        format!("Started by user {}", caller.user.name),
    )
    .map_err(|e| not_found(&e.0))?;
    webhook_run(&mut w, &path, id, params, &caller.user.name, now);
    let b = w.build(&(path, id)).expect("just triggered");
    Ok(ok_json(&b.to_queued_json(now)))
}

pub async fn get_run(
    _c: Caller,
    State(s): State<Arc<Shared>>,
    Path(p): P,
    headers: HeaderMap,
) -> Reply {
    check_accept(&headers, JSON, false)?;
    let w = s.world();
    let key = build_key(&w, &p)?;
    Ok(ok_json(
        &w.build(&key).expect("resolved").to_blue_json(s.now_ms()),
    ))
}

pub async fn stop(
    caller: Caller,
    State(s): State<Arc<Shared>>,
    Path(p): P,
    Query(q): Q,
    headers: HeaderMap,
    body: Bytes,
) -> Reply {
    check_accept(&headers, JSON, body.is_empty())?;
    let key = {
        let mut w = s.world();
        let key = build_key(&w, &p)?;
        let finished = w.build(&key).is_some_and(Build::is_finished);
        if !finished {
            if let Some(b) = w.build_mut(&key) {
                b.log
                    .push_str(&format!("Aborted by {}\n", caller.user.name));
            }
            if let Some(tx) = w.aborts.get(&key) {
                tx.send_replace(Some(format!("Aborted by {}", caller.user.name)));
            }
        }
        key
    };
    if q.get("blocking").is_some_and(|b| b == "true") {
        let secs: u64 = q
            .get("timeOutInSecs")
            .and_then(|t| t.parse().ok())
            .unwrap_or(10);
        let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(secs);
        while tokio::time::Instant::now() < deadline {
            if s.world().build(&key).is_none_or(Build::is_finished) {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
    }
    let w = s.world();
    let b = w.build(&key).ok_or_else(|| not_found("Run not found"))?;
    Ok(ok_json(&b.to_blue_json(s.now_ms())))
}

pub async fn replay(
    caller: Caller,
    State(s): State<Arc<Shared>>,
    Path(p): P,
    headers: HeaderMap,
    body: Bytes,
) -> Reply {
    check_accept(&headers, JSON, body.is_empty())?;
    let now = s.now_ms();
    let mut w = s.world();
    let key = build_key(&w, &p)?;
    let params = w.build(&key).expect("resolved").parameters.clone();
    let id = executor::trigger(
        &s,
        &mut w,
        &key.0,
        &params,
        Some(&caller.user.name),
        format!("Replayed #{}", key.1),
    )
    .map_err(|e| not_found(&e.0))?;
    webhook_run(&mut w, &key.0, id, params, &caller.user.name, now);
    let b = w.build(&(key.0.clone(), id)).expect("just triggered");
    Ok(ok_json(&b.to_queued_json(now)))
}

pub async fn artifacts(
    _c: Caller,
    State(s): State<Arc<Shared>>,
    Path(p): P,
    Query(q): Q,
    headers: HeaderMap,
) -> Reply {
    check_accept(&headers, JSON, false)?;
    let w = s.world();
    let key = build_key(&w, &p)?;
    let all = w.build(&key).expect("resolved").artifacts_json();
    let start: usize = q.get("start").and_then(|v| v.parse().ok()).unwrap_or(0);
    let limit: usize = q.get("limit").and_then(|v| v.parse().ok()).unwrap_or(100);
    let items: Vec<Value> = all
        .as_array()
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .skip(start)
        .take(limit)
        .collect();
    Ok(ok_json(&Value::Array(items)))
}

/// A progressive log answer: bytes from `start`, or the last `thresholdInKB` KB.
fn log_response(
    log: &str,
    q: &HashMap<String, String>,
    more: bool,
    with_headers: bool,
) -> Response {
    let bytes = log.as_bytes();
    let from = match q.get("start") {
        Some(st) => st.parse::<usize>().unwrap_or(0).min(bytes.len()),
        None => {
            let kb: usize = q
                .get("thresholdInKB")
                .and_then(|t| t.parse().ok())
                .unwrap_or(LOG_TAIL_KB);
            bytes.len().saturating_sub(kb * 1024)
        }
    };
    let mut resp = (
        StatusCode::OK,
        [(axum::http::header::CONTENT_TYPE, TEXT)],
        bytes[from..].to_vec(),
    )
        .into_response();
    if with_headers {
        let h = resp.headers_mut();
        h.insert("X-Text-Size", HeaderValue::from(bytes.len() as u64));
        if more {
            h.insert("X-More-Data", HeaderValue::from_static("true"));
        }
    }
    resp
}

/// #40: under layout v4 the X-Text-Size/X-More-Data headers are lost on the way.
pub async fn run_log(
    _c: Caller,
    State(s): State<Arc<Shared>>,
    Path(p): P,
    Query(q): Q,
    headers: HeaderMap,
) -> Reply {
    check_accept(&headers, TEXT, false)?;
    let w = s.world();
    let key = build_key(&w, &p)?;
    let b = w.build(&key).expect("resolved");
    let with_headers = s.layout == ksdevops::api::ApiLayout::V3;
    Ok(log_response(&b.log, &q, !b.is_finished(), with_headers))
}

pub async fn step_log(
    _c: Caller,
    State(s): State<Arc<Shared>>,
    Path(p): P,
    Query(q): Q,
    headers: HeaderMap,
) -> Reply {
    check_accept(&headers, TEXT, false)?;
    let w = s.world();
    let key = build_key(&w, &p)?;
    let b = w.build(&key).expect("resolved");
    let node = param(&p, "node");
    let step_id = param(&p, "step");
    let step = b
        .node(node)
        .and_then(|n| n.steps.iter().find(|st| st.id == step_id))
        .ok_or_else(|| not_found(&format!("Step {step_id} not found in node {node}")))?;
    let more = step.state != Some(STATE_FINISHED);
    Ok(log_response(&step.log, &q, more, true))
}

/// v1alpha2's `aprovable`: a paused input the user may answer (reference §3.7).
fn aprovable(w: &World, key: &BuildKey, user: &str, step: &StepRecord) -> bool {
    if step.state != Some(STATE_PAUSED) {
        return false;
    }
    let Some(input) = &step.input else {
        return false;
    };
    may_submit(w, key, user, input)
}

fn may_submit(w: &World, key: &BuildKey, user: &str, input: &InputRecord) -> bool {
    let submitters: Vec<&str> = input
        .submitter
        .as_deref()
        .unwrap_or("")
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect();
    if submitters.is_empty() {
        return true;
    }
    let creator = w
        .pipelines
        .get(&(key.0.namespace.clone(), key.0.pipeline.clone()))
        .and_then(|e| annotation(&e.cr, ANNO_CREATOR).map(str::to_string));
    creator.as_deref() == Some(user) || submitters.contains(&user)
}

pub async fn nodes(
    _c: Caller,
    State(s): State<Arc<Shared>>,
    Path(p): P,
    headers: HeaderMap,
) -> Reply {
    check_accept(&headers, JSON, false)?;
    let w = s.world();
    let key = build_key(&w, &p)?;
    let b = w.build(&key).expect("resolved");
    Ok(ok_json(&b.blue_nodes_json(false, &|_| false)))
}

pub async fn steps(
    caller: Caller,
    State(s): State<Arc<Shared>>,
    Path(p): P,
    headers: HeaderMap,
) -> Reply {
    check_accept(&headers, JSON, false)?;
    let w = s.world();
    let key = build_key(&w, &p)?;
    let b = w.build(&key).expect("resolved");
    let node_id = param(&p, "node");
    let node = b
        .node(node_id)
        .ok_or_else(|| not_found(&format!("Node {node_id} not found")))?;
    let items: Vec<Value> = node
        .steps
        .iter()
        .map(|st| {
            let mut v = b.blue_step_json(node, st);
            v["aprovable"] = json!(aprovable(&w, &key, &caller.user.name, st));
            v
        })
        .collect();
    Ok(ok_json(&Value::Array(items)))
}

pub async fn nodes_detail(
    caller: Caller,
    State(s): State<Arc<Shared>>,
    Path(p): P,
    headers: HeaderMap,
) -> Reply {
    check_accept(&headers, JSON, false)?;
    let w = s.world();
    let key = build_key(&w, &p)?;
    let b = w.build(&key).expect("resolved");
    let user = caller.user.name.clone();
    Ok(ok_json(&b.blue_nodes_json(true, &|st| {
        aprovable(&w, &key, &user, st)
    })))
}

fn refused(message: &str) -> Response {
    // ks-devops answers a refusal with HTTP 200 (reference §3.8).
    ok_text(json!({"allow": "false", "message": message}).to_string())
}

/// #45: proceed or abort a paused input step.
pub async fn submit_input(
    caller: Caller,
    State(s): State<Arc<Shared>>,
    Path(p): P,
    headers: HeaderMap,
    body: Bytes,
) -> Reply {
    check_accept(&headers, TEXT, body.is_empty())?;
    let payload: Value = serde_json::from_slice(&body)
        .map_err(|e| text_error(400, &format!("cannot read the input request body: {e}")))?;
    let mut w = s.world();
    let key = build_key(&w, &p)?;
    let node_id = param(&p, "node");
    let step_id = param(&p, "step");
    let b = w.build(&key).expect("resolved");
    let Some(step) = b
        .node(node_id)
        .and_then(|n| n.steps.iter().find(|st| st.id == step_id))
    else {
        return Ok(refused(&format!("the step '{step_id}' is not approvable")));
    };
    let Some(input) = step
        .input
        .clone()
        .filter(|_| step.state == Some(STATE_PAUSED))
    else {
        return Ok(refused(&format!("the step '{step_id}' is not approvable")));
    };
    if !may_submit(&w, &key, &caller.user.name, &input) {
        return Ok(refused("you have no permission to approve this step"));
    }
    let id = payload.get("id").and_then(Value::as_str).unwrap_or("");
    if id != input.id {
        return Err(jenkins_error(
            400,
            &format!("Invalid input id: {id}; expected the input's id"),
        ));
    }
    let abort = payload
        .get("abort")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let decision = if abort {
        InputDecision::Abort {
            user: caller.user.name.clone(),
        }
    } else {
        let parameters = run_parameters(Some(&payload));
        InputDecision::Proceed {
            user: caller.user.name.clone(),
            parameters,
        }
    };
    let Some(tx) = w.inputs.remove(&(key, step_id.to_string())) else {
        return Err(jenkins_error(400, "the input step is no longer waiting"));
    };
    let _ = tx.send(decision);
    Ok(ok_text(""))
}
