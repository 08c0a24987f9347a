//! Jenkins' own REST API over the simulated Jenkins (the jobs and builds behind the
//! v1alpha2/v1alpha3 runs): folder and job listings, `build`/`buildWithParameters`, queue
//! items, build `api/json`, `consoleText`, `artifact/…` and the agent-labels dashboard.
//! Both ways in (ks-devops' proxy and Jenkins' own URL) end here.

use crate::executor;
use crate::jenkins::{Build, Job, JobPath};
use crate::routes::webhook_run;
use crate::shared::Shared;
use crate::store::World;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use ksdevops::model::RunResult;
use serde_json::{json, Value};
use std::sync::Arc;

const FOLDER: &str = "com.cloudbees.hudson.plugins.folder.Folder";
const WORKFLOW_JOB: &str = "org.jenkinsci.plugins.workflow.job.WorkflowJob";
const MULTI_BRANCH: &str = "org.jenkinsci.plugins.workflow.multibranch.WorkflowMultiBranchProject";
const WORKFLOW_RUN: &str = "org.jenkinsci.plugins.workflow.job.WorkflowRun";

/// One request to Jenkins: method, the path below Jenkins' root, and form or query values.
pub struct JenkinsCall<'a> {
    pub post: bool,
    pub path: &'a str,
    pub params: Vec<(String, String)>,
    /// Who Jenkins sees (for build causes).
    pub user: &'a str,
    /// Whether that user has Jenkins' Overall/Administer permission.
    pub administer: bool,
}

/// Jenkins' answer to `call`.
pub fn serve(sim: &Arc<Shared>, call: JenkinsCall<'_>) -> Response {
    let parts: Vec<&str> = call.path.split('/').filter(|p| !p.is_empty()).collect();
    let (jobs, rest) = job_prefix(&parts);
    let mut w = sim.world();
    let now = sim.now_ms();
    match (call.post, jobs.as_slice(), rest) {
        (false, [], ["api", "json"]) => json_ok(top_level(&w)),
        (true, [], [action @ ("quietDown" | "cancelQuietDown")]) => {
            quiet_down(&mut w, &call, *action == "quietDown")
        }
        (false, [], ["labelsdashboard", "labelsData"]) => json_ok(labels()),
        (false, [], ["queue", "item", id, "api", "json"]) => queue_item(&w, id),
        (false, [ns], ["api", "json"]) => folder(&w, ns),
        (false, [_, _, ..], ["api", "json"]) => match resolve(&w, &jobs) {
            Some(Target::Folder(job, ns, p)) => json_ok(branch_folder(job, ns, p)),
            Some(Target::Builds(path)) => json_ok(job_json(&w, &path)),
            None => not_found(),
        },
        (false, [_, _, ..], [n, tail @ ..]) => match (resolve(&w, &jobs), n.parse::<u32>()) {
            (Some(Target::Builds(path)), Ok(id)) => match w.build(&(path, id)) {
                Some(b) => build_resource(b, tail, now),
                None => not_found(),
            },
            _ => not_found(),
        },
        (true, [_, _, ..], [action]) if *action == "build" || *action == "buildWithParameters" => {
            match resolve(&w, &jobs) {
                Some(Target::Builds(path)) => start(sim, &mut w, &path, call.params, call.user),
                _ => not_found(),
            }
        }
        _ => not_found(),
    }
}

/// Splits `job/a/job/b/rest…` into the job names and the rest.
fn job_prefix<'a, 'p>(parts: &'a [&'p str]) -> (Vec<&'p str>, &'a [&'p str]) {
    let mut names = Vec::new();
    let mut i = 0;
    while i + 1 < parts.len() && parts[i] == "job" {
        names.push(parts[i + 1]);
        i += 2;
    }
    (names, &parts[i..])
}

enum Target<'w> {
    /// A multi-branch project: a folder of branch jobs.
    Folder(&'w Job, String, String),
    /// A job with builds: a pipeline, or a branch of a multi-branch pipeline.
    Builds(JobPath),
}

fn resolve<'w>(w: &'w World, names: &[&str]) -> Option<Target<'w>> {
    let (ns, pipeline) = (names.first()?, names.get(1)?);
    let job = w
        .pipelines
        .get(&(ns.to_string(), pipeline.to_string()))?
        .job
        .as_ref()?;
    let path = |branch: Option<String>| JobPath {
        namespace: ns.to_string(),
        pipeline: pipeline.to_string(),
        branch,
    };
    match (names.get(2), job.multi_branch, names.len()) {
        (None, true, 2) => Some(Target::Folder(job, ns.to_string(), pipeline.to_string())),
        (None, false, 2) => Some(Target::Builds(path(None))),
        (Some(b), true, 3) if job.branches.contains_key(*b) => {
            Some(Target::Builds(path(Some(b.to_string()))))
        }
        _ => None,
    }
}

fn json_ok(value: Value) -> Response {
    (
        StatusCode::OK,
        [(header::CONTENT_TYPE, "application/json;charset=utf-8")],
        value.to_string(),
    )
        .into_response()
}

pub fn not_found() -> Response {
    (
        StatusCode::NOT_FOUND,
        [(header::CONTENT_TYPE, "text/html;charset=utf-8")],
        "<html><body><h2>HTTP ERROR 404 Not Found</h2></body></html>",
    )
        .into_response()
}

fn item(class: &str, name: &str, url: &str, color: Option<&str>) -> Value {
    let mut v = json!({"_class": class, "name": name, "url": url});
    if let Some(color) = color {
        v["color"] = json!(color);
    }
    v
}

fn top_level(w: &World) -> Value {
    let jobs: Vec<Value> = w
        .projects
        .keys()
        .map(|ns| item(FOLDER, ns, &format!("/job/{ns}/"), None))
        .collect();
    json!({"_class": "hudson.model.Hudson", "jobs": jobs, "quietingDown": w.quieting_down})
}

/// `POST /quietDown` / `/cancelQuietDown`: Jenkins stops (or resumes) starting queued
/// builds; administrators only. Jenkins answers with a redirect to `.` (its root).
fn quiet_down(w: &mut World, call: &JenkinsCall<'_>, on: bool) -> Response {
    if !call.administer {
        return (
            StatusCode::FORBIDDEN,
            [(header::CONTENT_TYPE, "text/html;charset=utf-8")],
            format!("{} is missing the Overall/Administer permission", call.user),
        )
            .into_response();
    }
    w.quieting_down = on;
    (StatusCode::FOUND, [(header::LOCATION, ".")]).into_response()
}

fn folder(w: &World, ns: &str) -> Response {
    if !w.projects.contains_key(ns) {
        return not_found();
    }
    let jobs: Vec<Value> = w
        .pipelines
        .iter()
        .filter(|((n, _), e)| n == ns && e.job.is_some())
        .filter_map(|((_, name), e)| {
            let job = e.job.as_ref()?;
            let url = format!("/job/{ns}/job/{name}/");
            Some(if job.multi_branch {
                item(MULTI_BRANCH, name, &url, None)
            } else {
                item(WORKFLOW_JOB, name, &url, Some(color(job.builds.last())))
            })
        })
        .collect();
    json_ok(json!({"_class": FOLDER, "name": ns, "jobs": jobs}))
}

fn branch_folder(job: &Job, ns: String, pipeline: String) -> Value {
    let jobs: Vec<Value> = job
        .branches
        .values()
        .map(|b| {
            let url = format!(
                "/job/{ns}/job/{pipeline}/job/{}/",
                b.name.replace('%', "%25")
            );
            item(WORKFLOW_JOB, &b.name, &url, Some(color(b.builds.last())))
        })
        .collect();
    json!({"_class": MULTI_BRANCH, "name": pipeline, "jobs": jobs})
}

/// Jenkins' status ball: the last build's result, `_anime` while it runs.
fn color(last: Option<&Build>) -> &'static str {
    match last {
        None => "notbuilt",
        Some(b) if !b.is_finished() => "blue_anime",
        Some(b) => match b.result {
            RunResult::Success => "blue",
            RunResult::Unstable => "yellow",
            RunResult::Aborted => "aborted",
            RunResult::NotBuilt => "notbuilt",
            _ => "red",
        },
    }
}

fn job_json(w: &World, path: &JobPath) -> Value {
    let Some(builds) = w.job(path).and_then(|j| j.builds(path.branch.as_deref())) else {
        return json!({});
    };
    let url = path.classic_url();
    let list: Vec<Value> = builds
        .runs
        .keys()
        .rev()
        .map(|n| json!({"_class": WORKFLOW_RUN, "number": n, "url": format!("{url}{n}/")}))
        .collect();
    json!({
        "_class": WORKFLOW_JOB,
        "name": path.job_name(),
        "url": url,
        "color": color(builds.last()),
        "builds": list,
        "lastBuild": list.first(),
        "nextBuildNumber": builds.next_build,
    })
}

/// The password parameters the build's Jenkinsfile declares: Jenkins never shows their
/// values.
fn password_names(b: &Build) -> Vec<String> {
    crate::load::load(&b.jenkinsfile)
        .map(|loaded| {
            loaded
                .params
                .iter()
                .filter(|d| d.is_password())
                .map(|d| d.name.clone())
                .collect()
        })
        .unwrap_or_default()
}

fn build_resource(b: &Build, tail: &[&str], now: i64) -> Response {
    match tail {
        ["api", "json"] => json_ok(build_json(b, &password_names(b), now)),
        ["consoleText"] => (
            StatusCode::OK,
            [(header::CONTENT_TYPE, "text/plain;charset=utf-8")],
            b.log.clone(),
        )
            .into_response(),
        ["artifact", file @ ..] if !file.is_empty() => {
            let wanted = file.join("/");
            match b.artifacts.iter().find(|a| a.path == wanted) {
                Some(a) => (
                    StatusCode::OK,
                    [(header::CONTENT_TYPE, "application/octet-stream")],
                    a.content.clone(),
                )
                    .into_response(),
                None => not_found(),
            }
        }
        _ => not_found(),
    }
}

pub fn build_json(b: &Build, passwords: &[String], now: i64) -> Value {
    let finished = b.is_finished();
    let start = b.start_ms.unwrap_or(b.enqueue_ms);
    let parameters: Vec<Value> = b
        .parameters
        .iter()
        .map(|(name, value)| {
            if passwords.contains(name) {
                json!({"_class": "hudson.model.PasswordParameterValue", "name": name})
            } else {
                json!({"_class": "hudson.model.StringParameterValue", "name": name, "value": value})
            }
        })
        .collect();
    let artifacts: Vec<Value> = b
        .artifacts
        .iter()
        .map(|a| {
            let file = a.path.rsplit('/').next().unwrap_or(&a.path);
            json!({"displayPath": file, "fileName": file, "relativePath": a.path})
        })
        .collect();
    json!({
        "_class": WORKFLOW_RUN,
        "number": b.id,
        "id": b.id.to_string(),
        "queueId": b.queue_id,
        "building": !finished,
        "result": if finished { json!(b.result) } else { Value::Null },
        "duration": if finished { b.duration_ms(now) } else { 0 },
        "estimatedDuration": b.estimated_ms,
        "timestamp": start,
        "url": format!("{}{}/", b.job.classic_url(), b.id),
        "fullDisplayName": format!("{} #{}", b.job.job_name(), b.id),
        "actions": [{"_class": "hudson.model.ParametersAction", "parameters": parameters}],
        "artifacts": artifacts,
    })
}

fn queue_item(w: &World, id: &str) -> Response {
    let Ok(id) = id.parse::<u32>() else {
        return not_found();
    };
    let found = w
        .pipelines
        .values()
        .filter_map(|e| e.job.as_ref())
        .find_map(|job| {
            let mut all = job
                .builds
                .runs
                .values()
                .chain(job.branches.values().flat_map(|b| b.builds.runs.values()));
            all.find(|b| b.queue_id == id)
        });
    match found {
        Some(b) => json_ok(json!({
            "_class": "hudson.model.Queue$LeftItem",
            "id": id,
            "cancelled": false,
            "executable": {"_class": WORKFLOW_RUN, "number": b.id, "url": format!("{}{}/", b.job.classic_url(), b.id)},
        })),
        None => not_found(),
    }
}

fn labels() -> Value {
    let labels: Vec<Value> = crate::agents::labels()
        .into_iter()
        .map(|label| json!({"label": label, "nodes": [], "clouds": ["kubernetes"]}))
        .collect();
    Value::Array(labels)
}

/// Starts a build as Jenkins does and, as the Jenkins event webhook then does, its
/// PipelineRun; answers 201 with the queue item in `Location`.
fn start(
    sim: &Arc<Shared>,
    w: &mut World,
    path: &JobPath,
    params: Vec<(String, String)>,
    user: &str,
) -> Response {
    let now = sim.now_ms();
    let cause = format!("Started by user {user}");
    let id = match executor::trigger(sim, w, path, &params, Some(user), cause) {
        Ok(id) => id,
        Err(_) => return not_found(),
    };
    webhook_run(w, path, id, params, user, now);
    let queue_id = w.build(&(path.clone(), id)).map_or(0, |b| b.queue_id);
    (
        StatusCode::CREATED,
        [(header::LOCATION, format!("/queue/item/{queue_id}/"))],
    )
        .into_response()
}
