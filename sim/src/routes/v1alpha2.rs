//! v1alpha2: the Jenkins BlueOcean passthrough (reference §1.2 #30–#46). Errors from
//! "Jenkins" surface as HTTP 500 with Jenkins' body, as ks-devops forwards them.

use super::extract::{
    media::{Html, Json, Text},
    Accepts, ApiCall, PathParams, QueryParams, WriteBody,
};
use super::runs::run_parameters;
use crate::executor;
use crate::http::*;
use crate::jenkins::*;
use crate::shared::Shared;
use crate::store::*;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use ksdevops::model::annotations;
use serde_json::{json, Value};
use std::sync::Arc;

/// Jenkins returns the last 150 KB of a log when `start` is absent.
const LOG_TAIL_KB: usize = 150;

fn not_found(what: &str) -> Response {
    jenkins_error(404, what)
}

/// The pipeline `/pipelines/{pipeline}` names, once its Jenkins job exists.
fn pipeline_with_job<'a>(
    w: &'a World,
    p: &PathParams,
) -> Result<(&'a PipelineEntry, &'a Job), Response> {
    let (ns, pipeline) = (p.get("ns"), p.get("pipeline"));
    w.pipelines
        .get(&(ns.to_string(), pipeline.to_string()))
        .and_then(|e| Some((e, e.job.as_ref()?)))
        .ok_or_else(|| not_found(&format!("Pipeline {ns}/{pipeline} not found")))
}

fn pipeline_job<'a>(w: &'a World, p: &PathParams) -> Result<&'a Job, Response> {
    pipeline_with_job(w, p).map(|(_, job)| job)
}

/// The Jenkins job a path names (`/pipelines/{pipeline}[/branches/{branch}]`).
fn job_path(w: &World, p: &PathParams) -> Result<JobPath, Response> {
    let job = pipeline_job(w, p)?;
    let (ns, pipeline) = (p.get("ns"), p.get("pipeline"));
    let branch = p.optional("branch").map(str::to_string);
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

/// The build `/runs/{run}` names, with its key.
fn resolved_build<'a>(w: &'a World, p: &PathParams) -> Result<(BuildKey, &'a Build), Response> {
    let path = job_path(w, p)?;
    let run = p.get("run");
    let id: u32 = run
        .parse()
        .map_err(|_| not_found(&format!("Run {run} not found")))?;
    let key = (path, id);
    match w.build(&key) {
        Some(build) => Ok((key, build)),
        None => Err(not_found(&format!(
            "Run {run} not found in organization jenkins and pipeline {}",
            key.0.job_name()
        ))),
    }
}

/// Starts a build in Jenkins and, as the Jenkins event webhook does, its PipelineRun;
/// answers the queued item.
fn start_build(
    s: &Arc<Shared>,
    w: &mut World,
    path: &JobPath,
    params: Vec<(String, String)>,
    user: &str,
    cause: String,
) -> Reply {
    let now = s.now_ms();
    let id =
        executor::trigger(s, w, path, &params, Some(user), cause).map_err(|e| not_found(&e.0))?;
    webhook_run(w, path, id, params, user, now);
    let b = w.build(&(path.clone(), id)).expect("just triggered");
    Ok(ok_json(&b.to_queued_json(now)))
}

pub async fn get_pipeline(call: ApiCall, _: Accepts<Json>, q: QueryParams) -> Reply {
    let w = call.world();
    let (ns, name) = (call.param("ns"), call.param("pipeline"));
    if q.is_true("check") {
        let exist = w
            .pipelines
            .contains_key(&(ns.to_string(), name.to_string()));
        return Ok(ok_json(&json!({"exist": exist})));
    }
    let (entry, job) = pipeline_with_job(&w, &call.path)?;
    let script = entry
        .cr
        .pointer("/spec/multi_branch_pipeline/script_path")
        .and_then(Value::as_str);
    Ok(ok_json(&job.blue_json(ns, name, script, call.now_ms())))
}

pub async fn scan(call: ApiCall, _: WriteBody<Html>) -> Reply {
    if !pipeline_job(&call.world(), &call.path)?.multi_branch {
        return Err(jenkins_error(
            405,
            "HTTP method POST is not supported by this URL",
        ));
    }
    crate::scm::start_indexing(
        &call.sim,
        call.param("ns"),
        call.param("pipeline"),
        &format!("Started by user {}", call.user()),
    );
    Ok((
        StatusCode::OK,
        [(axum::http::header::CONTENT_TYPE, HTML)],
        "",
    )
        .into_response())
}

pub async fn console_log(call: ApiCall, _: Accepts<Text>) -> Reply {
    let w = call.world();
    Ok(ok_text(pipeline_job(&w, &call.path)?.indexing_log.clone()))
}

pub async fn list_branches(call: ApiCall, _: Accepts<Json>, q: QueryParams) -> Reply {
    let w = call.world();
    let job = pipeline_job(&w, &call.path)?;
    let now = call.now_ms();
    let items: Vec<Value> = job
        .branches
        .values()
        .filter(|b| match q.get("filter") {
            Some("origin") => b.kind != BranchKind::PullRequest,
            Some("pull-requests") => b.kind == BranchKind::PullRequest,
            _ => true,
        })
        .skip(q.number("start", 0))
        .take(q.number("limit", 100))
        .map(|b| b.blue_json(call.param("ns"), call.param("pipeline"), now))
        .collect();
    Ok(ok_json(&Value::Array(items)))
}

pub async fn get_branch(call: ApiCall, _: Accepts<Json>) -> Reply {
    let w = call.world();
    let path = job_path(&w, &call.path)?;
    let job = w.job(&path).expect("resolved");
    let b = &job.branches[path.branch.as_deref().unwrap_or_default()];
    Ok(ok_json(&b.blue_json(
        &path.namespace,
        &path.pipeline,
        call.now_ms(),
    )))
}

/// #35: local paging with ks-devops' quirks (reference §1.2): `limit` absent ⇒ empty page,
/// `start+1 >= total` ⇒ the whole list.
pub async fn list_runs(call: ApiCall, _: Accepts<Json>, q: QueryParams) -> Reply {
    let w = call.world();
    let job = pipeline_job(&w, &call.path)?;
    let now = call.now_ms();
    let branch = q.non_empty("branch");
    let mut all: Vec<&Build> = if job.multi_branch {
        job.branches
            .values()
            .filter(|b| branch.is_none_or(|want| b.name == want))
            .flat_map(|b| b.builds.runs.values())
            .collect()
    } else {
        job.builds.runs.values().collect()
    };
    all.sort_by(|a, b| b.enqueue_ms.cmp(&a.enqueue_ms).then(b.id.cmp(&a.id)));
    let total = all.len();
    let start = q.number("start", 0);
    let limit = q.number("limit", 0);
    let page = if start + 1 >= total {
        &all[..]
    } else {
        &all[start..(start + limit).min(total)]
    };
    let page: Vec<Value> = page.iter().map(|b| b.to_blue_json(now)).collect();
    Ok(ok_json(&json!({"items": page, "totalItems": total})))
}

/// #36: starts a build in Jenkins; the Jenkins event webhook then creates its PipelineRun.
pub async fn trigger(call: ApiCall, body: WriteBody<Json>) -> Reply {
    let params = run_parameters(body.json_lenient().as_ref());
    let mut w = call.world();
    let path = job_path(&w, &call.path)?;
    let user = call.user();
    start_build(
        &call.sim,
        &mut w,
        &path,
        params,
        user,
        format!("Started by user {user}"),
    )
}

pub async fn get_run(call: ApiCall, _: Accepts<Json>) -> Reply {
    let w = call.world();
    let (_, b) = resolved_build(&w, &call.path)?;
    Ok(ok_json(&b.to_blue_json(call.now_ms())))
}

pub async fn stop(call: ApiCall, q: QueryParams, _: WriteBody<Json>) -> Reply {
    let key = {
        let mut w = call.world();
        let (key, b) = resolved_build(&w, &call.path)?;
        if !b.is_finished() {
            let reason = format!("Aborted by {}", call.user());
            if let Some(b) = w.build_mut(&key) {
                b.log.push_str(&format!("{reason}\n"));
            }
            if let Some(tx) = w.aborts.get(&key) {
                tx.send_replace(Some(reason));
            }
        }
        key
    };
    if q.is_true("blocking") {
        let secs = q.number("timeOutInSecs", 10) as u64;
        let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(secs);
        while tokio::time::Instant::now() < deadline {
            if call.world().build(&key).is_none_or(Build::is_finished) {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
    }
    let w = call.world();
    let b = w.build(&key).ok_or_else(|| not_found("Run not found"))?;
    Ok(ok_json(&b.to_blue_json(call.now_ms())))
}

pub async fn replay(call: ApiCall, _: WriteBody<Json>) -> Reply {
    let mut w = call.world();
    let (key, b) = resolved_build(&w, &call.path)?;
    let params = b.parameters.clone();
    let cause = format!("Replayed #{}", key.1);
    start_build(&call.sim, &mut w, &key.0, params, call.user(), cause)
}

pub async fn artifacts(call: ApiCall, _: Accepts<Json>, q: QueryParams) -> Reply {
    let w = call.world();
    let (_, b) = resolved_build(&w, &call.path)?;
    let items: Vec<Value> = b
        .artifacts_json()
        .as_array()
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .skip(q.number("start", 0))
        .take(q.number("limit", 100))
        .collect();
    Ok(ok_json(&Value::Array(items)))
}

/// A progressive log answer: bytes from `start`, or the last `thresholdInKB` KB.
fn log_response(log: &str, q: &QueryParams, more: bool, with_headers: bool) -> Response {
    let bytes = log.as_bytes();
    let from = match q.get("start") {
        Some(_) => q.number("start", 0).min(bytes.len()),
        None => bytes
            .len()
            .saturating_sub(q.number("thresholdInKB", LOG_TAIL_KB) * 1024),
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
pub async fn run_log(call: ApiCall, _: Accepts<Text>, q: QueryParams) -> Reply {
    let w = call.world();
    let (_, b) = resolved_build(&w, &call.path)?;
    let with_headers = call.sim.layout == ksdevops::api::ApiLayout::V3;
    Ok(log_response(&b.log, &q, !b.is_finished(), with_headers))
}

pub async fn step_log(call: ApiCall, _: Accepts<Text>, q: QueryParams) -> Reply {
    let w = call.world();
    let (_, b) = resolved_build(&w, &call.path)?;
    let (node, step_id) = (call.param("node"), call.param("step"));
    let step = b
        .step(node, step_id)
        .ok_or_else(|| not_found(&format!("Step {step_id} not found in node {node}")))?;
    let more = step.state != Some(RunState::Finished);
    Ok(log_response(&step.log, &q, more, true))
}

/// v1alpha2's `aprovable`: a paused input the user may answer (reference §3.7).
fn aprovable(w: &World, key: &BuildKey, user: &str, step: &StepRecord) -> bool {
    if step.state != Some(RunState::Paused) {
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
        .and_then(|e| annotation(&e.cr, annotations::CREATOR).map(str::to_string));
    creator.as_deref() == Some(user) || submitters.contains(&user)
}

pub async fn nodes(call: ApiCall, _: Accepts<Json>) -> Reply {
    let w = call.world();
    let (_, b) = resolved_build(&w, &call.path)?;
    Ok(ok_json(&b.blue_nodes_json(false, &|_| false)))
}

pub async fn steps(call: ApiCall, _: Accepts<Json>) -> Reply {
    let w = call.world();
    let (key, b) = resolved_build(&w, &call.path)?;
    let node_id = call.param("node");
    let node = b
        .node(node_id)
        .ok_or_else(|| not_found(&format!("Node {node_id} not found")))?;
    let items: Vec<Value> = node
        .steps
        .iter()
        .map(|st| {
            let mut v = b.blue_step_json(node, st);
            v["aprovable"] = json!(aprovable(&w, &key, call.user(), st));
            v
        })
        .collect();
    Ok(ok_json(&Value::Array(items)))
}

pub async fn nodes_detail(call: ApiCall, _: Accepts<Json>) -> Reply {
    let w = call.world();
    let (key, b) = resolved_build(&w, &call.path)?;
    let user = call.user();
    Ok(ok_json(&b.blue_nodes_json(true, &|st| {
        aprovable(&w, &key, user, st)
    })))
}

fn refused(message: &str) -> Response {
    // ks-devops answers a refusal with HTTP 200 (reference §3.8).
    ok_text(json!({"allow": "false", "message": message}).to_string())
}

/// #45: proceed or abort a paused input step.
pub async fn submit_input(call: ApiCall, body: WriteBody<Text>) -> Reply {
    let payload: Value = serde_json::from_slice(body.bytes())
        .map_err(|e| text_error(400, &format!("cannot read the input request body: {e}")))?;
    let mut w = call.world();
    let (key, b) = resolved_build(&w, &call.path)?;
    let step_id = call.param("step");
    let Some(input) = b
        .step(call.param("node"), step_id)
        .filter(|step| step.state == Some(RunState::Paused))
        .and_then(|step| step.input.clone())
    else {
        return Ok(refused(&format!("the step '{step_id}' is not approvable")));
    };
    if !may_submit(&w, &key, call.user(), &input) {
        return Ok(refused("you have no permission to approve this step"));
    }
    let id = payload.get("id").and_then(Value::as_str).unwrap_or("");
    if id != input.id {
        return Err(jenkins_error(
            400,
            &format!("Invalid input id: {id}; expected the input's id"),
        ));
    }
    let user = call.user().to_string();
    let abort = payload
        .get("abort")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let decision = if abort {
        InputDecision::Abort { user }
    } else {
        InputDecision::Proceed {
            user,
            parameters: run_parameters(Some(&payload)),
        }
    };
    let Some(tx) = w.inputs.remove(&(key, step_id.to_string())) else {
        return Err(jenkins_error(400, "the input step is no longer waiting"));
    };
    let _ = tx.send(decision);
    Ok(ok_text(""))
}
