//! Background controllers, as ks-devops runs them: the pipeline controller (creates the
//! Jenkins job, then `syncstatus=successful`), the metadata controller (`jenkins-metadata`
//! and `jenkins-branches` every ~10 s), the PipelineRun controller (triggers the build, sets
//! the run id, copies status and stages every 3 s) and the credential controller.

use crate::executor;
use crate::ids::content_hash;
use crate::jenkins::{Build, Job, JobPath, *};
use crate::scm;
use crate::shared::Shared;
use crate::store::*;
use ksdevops::model::annotations::{self, sync_status};
use ksdevops::model::Timestamp;
use serde_json::{json, Value};
use std::sync::Arc;
use tokio::task::JoinHandle;

/// Simulated delays, in milliseconds.
const PIPELINE_SYNC_DELAY_MS: i64 = 1_000;
const PIPELINE_TICK_MS: u64 = 250;
const METADATA_PERIOD_MS: u64 = 10_000;
const RUN_TICK_MS: u64 = 250;
const RUN_TRIGGER_DELAY_MS: i64 = 500;
const RUN_SYNC_PERIOD_MS: i64 = 3_000;
/// However fast the clock runs, controllers wake at most this often in real time, so a
/// fast clock does not turn them into a busy loop.
const MIN_REAL_TICK: std::time::Duration = std::time::Duration::from_millis(5);
const MIN_REAL_SYNC_MS: f64 = 50.0;

pub fn spawn(shared: &Arc<Shared>) -> Vec<JoinHandle<()>> {
    vec![
        every(shared, PIPELINE_TICK_MS, sync_pipelines),
        every(shared, METADATA_PERIOD_MS, refresh_metadata),
        every(shared, RUN_TICK_MS, reconcile_runs),
    ]
}

fn every(shared: &Arc<Shared>, period_ms: u64, f: fn(&Arc<Shared>)) -> JoinHandle<()> {
    let shared = shared.clone();
    tokio::spawn(async move {
        let stop = shared.shutdown_signal();
        tokio::pin!(stop);
        loop {
            tokio::select! {
                _ = &mut stop => return,
                _ = tokio::time::sleep(shared.clock.real(period_ms).max(MIN_REAL_TICK)) => f(&shared),
            }
        }
    })
}

fn spec_hash(cr: &Value) -> String {
    let spec = cr.get("spec").map(Value::to_string).unwrap_or_default();
    format!("{:x}", content_hash(spec.as_bytes()))
}

/// Pipeline controller + Jenkinsfile converter + credential controller.
fn sync_pipelines(shared: &Arc<Shared>) {
    let now = shared.now_ms();
    let mut scans = Vec::new();
    {
        let mut w = shared.world();
        let keys: Vec<(String, String)> = w.pipelines.keys().cloned().collect();
        for key in keys {
            let rv = w.next_rv();
            let Some(entry) = w.pipelines.get_mut(&key) else {
                continue;
            };
            if now - entry.created_ms < PIPELINE_SYNC_DELAY_MS {
                continue;
            }
            let mut changed = false;
            // Jenkinsfile edits (reference §6): validate and clear the edit mode.
            if let Some(mode) = annotation(&entry.cr, annotations::PIPELINE_JENKINSFILE_EDIT_MODE)
                .map(str::to_string)
            {
                if !mode.is_empty() {
                    let source = entry
                        .cr
                        .pointer("/spec/pipeline/jenkinsfile")
                        .and_then(Value::as_str)
                        .unwrap_or("");
                    let ok = mode == "raw" && crate::load::load(source).is_ok();
                    set_annotation(
                        &mut entry.cr,
                        annotations::PIPELINE_JENKINSFILE_VALIDATE,
                        if ok { "success" } else { "failure" },
                    );
                    set_annotation(
                        &mut entry.cr,
                        annotations::PIPELINE_JENKINSFILE_EDIT_MODE,
                        "",
                    );
                    changed = true;
                }
            }
            let hash = spec_hash(&entry.cr);
            let multi = is_multi_branch(&entry.cr);
            let sync_error = entry
                .sync_error
                .clone()
                .or_else(|| annotation(&entry.cr, ANNO_SIM_SYNC_ERROR).map(str::to_string));
            if let Some(message) = sync_error {
                // The job cannot be created: the console shows the failure and its message.
                if changed
                    || annotation(&entry.cr, annotations::PIPELINE_SYNC_STATUS)
                        != Some(sync_status::FAILED)
                    || annotation(&entry.cr, annotations::PIPELINE_SYNC_MSG)
                        != Some(message.as_str())
                {
                    set_annotation(
                        &mut entry.cr,
                        annotations::PIPELINE_SYNC_STATUS,
                        sync_status::FAILED,
                    );
                    set_annotation(&mut entry.cr, annotations::PIPELINE_SYNC_MSG, &message);
                    entry.cr["metadata"]["resourceVersion"] = json!(rv);
                }
                continue;
            }
            if entry.job.is_none()
                || annotation(&entry.cr, annotations::PIPELINE_SPEC_HASH) != Some(hash.as_str())
            {
                let fresh = entry.job.is_none();
                if fresh {
                    entry.job = Some(Job::new(multi));
                }
                if let Some(job) = entry.job.as_mut() {
                    job.multi_branch = multi;
                    let cr_params = entry
                        .cr
                        .pointer("/spec/pipeline/parameters")
                        .map(crate::params::from_cr_parameters)
                        .unwrap_or_default();
                    if !cr_params.is_empty() {
                        job.builds.parameters = Some(cr_params);
                    }
                }
                set_annotation(
                    &mut entry.cr,
                    annotations::PIPELINE_SYNC_STATUS,
                    sync_status::SUCCESSFUL,
                );
                set_annotation(&mut entry.cr, annotations::PIPELINE_SPEC_HASH, &hash);
                if let Some(annotations) = entry.cr["metadata"]["annotations"].as_object_mut() {
                    annotations.remove(annotations::PIPELINE_SYNC_MSG);
                }
                let md = entry.cr["metadata"]
                    .as_object_mut()
                    .expect("stored objects have metadata");
                md.insert(
                    "finalizers".into(),
                    json!([annotations::PIPELINE_FINALIZER]),
                );
                changed = true;
                if multi {
                    let creator = annotation(&entry.cr, annotations::CREATOR)
                        .unwrap_or("admin")
                        .to_string();
                    scans.push((
                        key.0.clone(),
                        key.1.clone(),
                        format!("Started by user {creator}"),
                    ));
                }
            }
            if changed {
                entry.cr["metadata"]["resourceVersion"] = json!(rv);
            }
        }
        for c in w.credentials.values_mut() {
            if annotation(c, annotations::CREDENTIAL_SYNC_STATUS) == Some(sync_status::PENDING) {
                set_annotation(
                    c,
                    annotations::CREDENTIAL_SYNC_STATUS,
                    sync_status::SUCCESSFUL,
                );
                set_annotation(
                    c,
                    annotations::CREDENTIAL_SYNC_TIME,
                    Timestamp::kubernetes_from_epoch_millis(now).as_str(),
                );
            }
        }
    }
    for (ns, name, cause) in scans {
        scm::start_indexing(shared, &ns, &name, &cause);
    }
}

/// Metadata controller: copies what Jenkins knows into annotations.
fn refresh_metadata(shared: &Arc<Shared>) {
    let now = shared.now_ms();
    let mut w = shared.world();
    let keys: Vec<(String, String)> = w.pipelines.keys().cloned().collect();
    for key in keys {
        let rv = w.next_rv();
        let Some(entry) = w.pipelines.get_mut(&key) else {
            continue;
        };
        let Some(job) = entry.job.as_ref() else {
            continue;
        };
        let script = entry
            .cr
            .pointer("/spec/multi_branch_pipeline/script_path")
            .and_then(Value::as_str)
            .map(str::to_string);
        let metadata = job
            .metadata_json(&key.0, &key.1, script.as_deref(), now)
            .to_string();
        let branches = job.multi_branch.then(|| {
            Value::Array(
                job.branches
                    .values()
                    .map(|b| b.v1alpha3_json(now))
                    .collect(),
            )
            .to_string()
        });
        let mut changed = annotation(&entry.cr, annotations::PIPELINE_JENKINS_METADATA)
            != Some(metadata.as_str());
        set_annotation(
            &mut entry.cr,
            annotations::PIPELINE_JENKINS_METADATA,
            &metadata,
        );
        if let Some(b) = branches {
            changed |=
                annotation(&entry.cr, annotations::PIPELINE_JENKINS_BRANCHES) != Some(b.as_str());
            set_annotation(&mut entry.cr, annotations::PIPELINE_JENKINS_BRANCHES, &b);
        }
        if changed {
            entry.cr["metadata"]["resourceVersion"] = json!(rv);
        }
    }
}

/// Jenkins state/result ⇒ phase and condition (reference §5.2).
pub fn phase_of(
    state: &RunState,
    result: &RunResult,
) -> (&'static str, &'static str, &'static str) {
    match (state, result) {
        (RunState::Queued | RunState::Running, _) => ("Running", "Ready", "Unknown"),
        (RunState::Paused, _) => ("Pending", "Ready", "Unknown"),
        (RunState::Skipped, _) => ("Succeeded", "Succeeded", "True"),
        (RunState::NotBuilt, _) => ("Unknown", "Ready", "Unknown"),
        (RunState::Finished, RunResult::Success) => ("Succeeded", "Succeeded", "True"),
        (RunState::Finished, RunResult::Unstable | RunResult::Failure | RunResult::Aborted) => {
            ("Failed", "Succeeded", "False")
        }
        (RunState::Finished, _) => ("Unknown", "Succeeded", "Unknown"),
        _ => ("Unknown", "Ready", "Unknown"),
    }
}

/// What the controller reads from Jenkins for one run.
struct Snapshot {
    state: RunState,
    result: RunResult,
    start_ms: Option<i64>,
    end_ms: Option<i64>,
    finished: bool,
    status_json: Value,
    stages_json: Value,
    /// The pod from the log's `Agent <pod> is provisioned from template …` line.
    agent_pod: Option<String>,
}

/// The node the simulated cluster schedules agent pods on.
const AGENT_NODE: &str = "node1";

impl Snapshot {
    fn of(b: &Build, now: i64) -> Self {
        Snapshot {
            state: b.state.clone(),
            result: b.result.clone(),
            start_ms: b.start_ms,
            end_ms: b.end_ms,
            finished: b.is_finished(),
            status_json: b.to_blue_json(now),
            stages_json: b.node_details_json(),
            agent_pod: b
                .log
                .lines()
                .find_map(|l| {
                    l.strip_prefix("Agent ")?
                        .split_once(" is provisioned from template ")
                })
                .map(|(pod, _)| pod.to_string()),
        }
    }
}

fn apply_status(entry: &mut RunEntry, build: Snapshot, now: i64) {
    let (phase, ctype, cstatus) = phase_of(&build.state, &build.result);
    let now_s = Timestamp::kubernetes_from_epoch_millis(now);
    // The controller records the agent pod (and its node) while the run is active.
    if let (Some(pod), "Running" | "Pending") = (&build.agent_pod, phase) {
        if annotation(&entry.cr, annotations::AGENT_POD_NAME).is_none() {
            set_annotation(&mut entry.cr, annotations::AGENT_POD_NAME, pod);
            set_annotation(&mut entry.cr, annotations::AGENT_NODE_NAME, AGENT_NODE);
        }
    }
    let status = entry.cr["status"]
        .as_object_mut()
        .cloned()
        .unwrap_or_default();
    let mut status = Value::Object(status);
    status["startTime"] = json!(build.start_ms.map(Timestamp::kubernetes_from_epoch_millis));
    status["updateTime"] = json!(now_s);
    status["phase"] = json!(phase);
    if build.finished {
        status["completionTime"] = json!(Timestamp::kubernetes_from_epoch_millis(
            build.end_ms.unwrap_or(now)
        ));
    }
    let mut conditions: Vec<Value> = status
        .get("conditions")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let transition = conditions
        .iter()
        .find(|c| c["type"] == ctype)
        .filter(|c| c["status"] == cstatus)
        .and_then(|c| c.get("lastTransitionTime").cloned())
        .unwrap_or(json!(now_s));
    conditions.retain(|c| c["type"] != ctype);
    conditions.insert(
        0,
        json!({
            "type": ctype,
            "status": cstatus,
            "lastProbeTime": now_s,
            "lastTransitionTime": transition,
            "reason": build.state,
        }),
    );
    status["conditions"] = Value::Array(conditions);
    entry.cr["status"] = status;
    entry.status_json = Some(build.status_json);
    entry.stages_json = Some(build.stages_json);
    entry.last_sync_ms = now;
}

/// PipelineRun controller.
fn reconcile_runs(shared: &Arc<Shared>) {
    let now = shared.now_ms();
    let sync_period = RUN_SYNC_PERIOD_MS.max((MIN_REAL_SYNC_MS * shared.clock.speed()) as i64);
    let mut w = shared.world();
    let keys: Vec<(String, String)> = w.runs.keys().cloned().collect();
    for (ns, name) in keys {
        let Some(entry) = w.runs.get(&(ns.clone(), name.clone())) else {
            continue;
        };
        if entry
            .cr
            .pointer("/status/completionTime")
            .and_then(Value::as_str)
            .is_some()
        {
            continue;
        }
        let Some(pipeline) = entry
            .cr
            .pointer("/spec/pipelineRef/name")
            .and_then(Value::as_str)
            .map(str::to_string)
        else {
            if label(&entry.cr, annotations::PIPELINERUN_ORPHAN_LABEL).is_none() {
                w.modify_run(&ns, &name, |e| {
                    e.cr["metadata"]["labels"][annotations::PIPELINERUN_ORPHAN_LABEL] =
                        json!("true");
                });
            }
            continue;
        };
        match w.build_key_of_run(entry) {
            None => {
                if now - entry.created_ms < RUN_TRIGGER_DELAY_MS {
                    continue;
                }
                let branch = run_branch(&entry.cr);
                let params: Vec<(String, String)> = entry
                    .cr
                    .pointer("/spec/parameters")
                    .and_then(Value::as_array)
                    .map(|ps| {
                        ps.iter()
                            .filter_map(|p| {
                                Some((
                                    p.get("name")?.as_str()?.to_string(),
                                    p.get("value")?.as_str().unwrap_or("").to_string(),
                                ))
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                let creator =
                    annotation(&entry.cr, annotations::PIPELINERUN_CREATOR).map(str::to_string);
                let cause = format!("Started by user {}", creator.as_deref().unwrap_or("admin"));
                let path = JobPath {
                    namespace: ns.clone(),
                    pipeline,
                    branch,
                };
                // A failed trigger (job not synced yet, unknown branch) is retried next tick.
                if let Ok(id) =
                    executor::trigger(shared, &mut w, &path, &params, creator.as_deref(), cause)
                {
                    let now_s = Timestamp::kubernetes_from_epoch_millis(now);
                    w.modify_run(&ns, &name, |e| {
                        set_annotation(&mut e.cr, annotations::PIPELINERUN_ID, &id.to_string());
                        e.cr["status"]["startTime"] = json!(now_s);
                        e.cr["status"]["updateTime"] = json!(now_s);
                    });
                }
            }
            Some(key) => {
                if entry.status_json.is_some() && now - entry.last_sync_ms < sync_period {
                    continue;
                }
                let Some(snapshot) = w.build(&key).map(|b| Snapshot::of(b, now)) else {
                    continue;
                };
                w.modify_run(&ns, &name, |e| apply_status(e, snapshot, now));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phases_follow_the_controller_table() {
        assert_eq!(phase_of(&"PAUSED".into(), &"UNKNOWN".into()).0, "Pending");
        assert_eq!(phase_of(&"QUEUED".into(), &"UNKNOWN".into()).0, "Running");
        assert_eq!(
            phase_of(&"FINISHED".into(), &"ABORTED".into()),
            ("Failed", "Succeeded", "False")
        );
        assert_eq!(phase_of(&"FINISHED".into(), &"UNSTABLE".into()).0, "Failed");
        assert_eq!(
            phase_of(&"FINISHED".into(), &"SUCCESS".into()),
            ("Succeeded", "Succeeded", "True")
        );
        assert_eq!(
            phase_of(&"FINISHED".into(), &"NOT_BUILT".into()).0,
            "Unknown"
        );
    }
}
