//! v1alpha3 PipelineRuns and branches (reference §1.1 #12–#19, §5.1, §5.3, §5.5).

use super::extract::{media::Json, Accepts, ApiCall, PathParams, QueryParams, WriteBody};
use super::query::{list_result, ListQuery};
use crate::http::*;
use crate::store::*;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use ksdevops::model::annotations;
use serde_json::{json, Value};

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
    if annotation(&cr, annotations::PIPELINERUN_STATUS).is_none() {
        let status = entry
            .status_json
            .as_ref()
            .map(Value::to_string)
            .unwrap_or_default();
        set_annotation(&mut cr, annotations::PIPELINERUN_STATUS, &status);
    }
    if annotation(&cr, annotations::PIPELINERUN_STAGES_STATUS).is_none() {
        let stages = entry
            .stages_json
            .as_ref()
            .map(Value::to_string)
            .unwrap_or_default();
        set_annotation(&mut cr, annotations::PIPELINERUN_STAGES_STATUS, &stages);
    }
    cr
}

/// The PipelineRun `{run}` of the path, or ks-devops' error for it.
fn run_entry<'a>(w: &'a World, p: &PathParams) -> Result<&'a RunEntry, Response> {
    w.run(p.get("ns"), p.get("run")).map_err(|e| run_error(&e))
}

pub async fn list_runs(call: ApiCall, _: Accepts<Json>, q: QueryParams) -> Reply {
    let ns = call.param("ns");
    let pipeline = call.param("pipeline");
    let lq = ListQuery::parse(q.as_map());
    let backward = q.get("backward") != Some("false");
    let branch = q.non_empty("branch");
    let w = call.world();
    let mut items: Vec<(i64, Value)> = w
        .runs
        .iter()
        .filter(|((rns, _), r)| {
            rns == ns && label(&r.cr, annotations::PIPELINE_NAME_LABEL) == Some(pipeline)
        })
        .filter(|(_, r)| lq.labels_match(&r.cr))
        .filter(|(_, r)| {
            branch.is_none_or(|b| {
                r.cr.pointer("/spec/scm/refName").and_then(Value::as_str) == Some(b)
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
        let page = lq.page(items.into_iter().map(|(_, v)| v));
        return Ok(ok_json(&list_result(page, total)));
    }
    let (page, total) = lq.page_of(items);
    Ok(ok_json(&list_result(page, total)))
}

pub async fn create_run(call: ApiCall, q: QueryParams, body: WriteBody<Json>) -> Reply {
    let payload = body.json_optional()?;
    let ns = call.param("ns");
    let pipeline = call.param("pipeline");
    let now = call.now_ms();
    let mut w = call.world();
    let entry = w.pipeline(ns, pipeline).map_err(|e| run_error(&e))?;
    let scm = if is_multi_branch(&entry.cr) {
        let branch = q.get("branch").unwrap_or("");
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
                creator: call.user().to_string(),
                run_id: None,
            },
            now,
        )
        .map_err(|e| run_error(&e))?;
    Ok(ok_json(&created))
}

pub async fn get_run(call: ApiCall, _: Accepts<Json>) -> Reply {
    let w = call.world();
    Ok(ok_json(&with_status_annotations(run_entry(
        &w, &call.path,
    )?)))
}

pub async fn node_details(call: ApiCall, _: Accepts<Json>) -> Reply {
    let w = call.world();
    let entry = run_entry(&w, &call.path)?;
    Ok(ok_json(entry.stages_json.as_ref().unwrap_or(&json!([]))))
}

pub async fn download_artifact(call: ApiCall, _: Accepts<Json>, q: QueryParams) -> Reply {
    let filename = query_unescape(q.get("filename").unwrap_or(""));
    let w = call.world();
    let entry = run_entry(&w, &call.path)?;
    let Some(key) = w.build_key_of_run(entry) else {
        return Err(text_error(
            500,
            &format!("pipelinerun {} not found run ID", call.param("run")),
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

pub async fn delete_run(call: ApiCall, _: Accepts<Json>, q: QueryParams) -> Reply {
    let ns = call.param("ns");
    let name = call.param("run");
    let keep = q.is_true("keepJenkinsRecord");
    let mut w = call.world();
    let entry = run_entry(&w, &call.path)?;
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

fn branches_of(w: &World, p: &PathParams) -> Result<Vec<Value>, Response> {
    let pipeline = p.get("pipeline");
    let entry = w
        .pipeline(p.get("ns"), pipeline)
        .map_err(|e| run_error(&e))?;
    if !is_multi_branch(&entry.cr) {
        return Err(text_error(
            400,
            &format!("pipeline {pipeline} is not a multi-branch pipeline"),
        ));
    }
    Ok(
        annotation(&entry.cr, annotations::PIPELINE_JENKINS_BRANCHES)
            .and_then(|a| serde_json::from_str::<Vec<Value>>(a).ok())
            .unwrap_or_default(),
    )
}

pub async fn list_branches(call: ApiCall, _: Accepts<Json>, q: QueryParams) -> Reply {
    let all = branches_of(&call.world(), &call.path)?;
    let is_pr = |b: &Value| {
        b.pointer("/pullRequest/id")
            .and_then(Value::as_str)
            .is_some_and(|id| !id.is_empty())
    };
    let filtered: Vec<Value> = match q.get("filter") {
        Some("origin") => all.into_iter().filter(|b| !is_pr(b)).collect(),
        Some("pull-requests") => all.into_iter().filter(is_pr).collect(),
        _ => all,
    };
    let total = filtered.len();
    let page = ListQuery::parse(q.as_map()).page(filtered);
    Ok(ok_json(&list_result(page, total)))
}

pub async fn get_branch(call: ApiCall, _: Accepts<Json>) -> Reply {
    let want = call.param("branch");
    branches_of(&call.world(), &call.path)?
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
