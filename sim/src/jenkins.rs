//! The Jenkins side of the simulation: jobs, builds, their flow nodes, steps, logs and
//! artifacts, and their BlueOcean JSON renderings (what v1alpha2 proxies and v1alpha3 derives).

use crate::params::ParamDef;
use crate::plan::Plan;
use ksdevops::model::Timestamp;
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

pub use ksdevops::model::{RunResult, RunState};

/// Jenkins encodes branch job names (`feature/login` ⇒ `feature%2Flogin`).
pub fn encode_branch_name(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for c in raw.chars() {
        match c {
            '/' | '%' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|' => {
                let mut buf = [0u8; 4];
                for b in c.encode_utf8(&mut buf).bytes() {
                    out.push_str(&format!("%{b:02X}"));
                }
            }
            _ => out.push(c),
        }
    }
    out
}

/// Where a build lives: a regular pipeline job or one branch job of a multi-branch pipeline.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct JobPath {
    pub namespace: String,
    pub pipeline: String,
    /// The branch job's (encoded) name for multi-branch pipelines.
    pub branch: Option<String>,
}

impl JobPath {
    pub fn blue_href(&self) -> String {
        let mut href = format!(
            "/blue/rest/organizations/jenkins/pipelines/{}/pipelines/{}/",
            self.namespace, self.pipeline
        );
        if let Some(b) = &self.branch {
            href.push_str(&format!("branches/{}/", encode_url_segment(b)));
        }
        href
    }

    pub fn classic_url(&self) -> String {
        let mut url = format!("/job/{}/job/{}/", self.namespace, self.pipeline);
        if let Some(b) = &self.branch {
            url.push_str(&format!("job/{}/", encode_url_segment(b)));
        }
        url
    }

    /// The `pipeline` field of a run: the job's own name.
    pub fn job_name(&self) -> &str {
        self.branch.as_deref().unwrap_or(&self.pipeline)
    }
}

fn encode_url_segment(s: &str) -> String {
    s.replace('%', "%25")
}

#[derive(Debug, Clone, Default)]
pub struct Builds {
    pub next_build: u32,
    pub runs: BTreeMap<u32, Build>,
    /// Parameter definitions Jenkins knows for the job: none until a build has run the
    /// Jenkinsfile (or the job was configured with them).
    pub parameters: Option<Vec<ParamDef>>,
    pub next_queue_id: u32,
}

impl Builds {
    pub fn new() -> Self {
        Builds {
            next_build: 1,
            runs: BTreeMap::new(),
            parameters: None,
            next_queue_id: 1,
        }
    }

    pub fn last(&self) -> Option<&Build> {
        self.runs.values().next_back()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BranchKind {
    Branch,
    Tag,
    PullRequest,
}

#[derive(Debug, Clone)]
pub struct BranchJob {
    /// Encoded job name (`feature%2Flogin`).
    pub name: String,
    /// Display name (`feature/login`).
    pub raw_name: String,
    pub kind: BranchKind,
    pub url: Option<String>,
    pub is_primary: bool,
    pub jenkinsfile: Option<String>,
    pub commit: Option<String>,
    pub pull_request: Option<Value>,
    pub builds: Builds,
}

#[derive(Debug, Clone)]
pub struct Job {
    pub builds: Builds,
    pub multi_branch: bool,
    pub branches: BTreeMap<String, BranchJob>,
    pub indexing_log: String,
    pub indexing_count: u32,
    pub disabled: bool,
}

impl Job {
    pub fn new(multi_branch: bool) -> Self {
        Job {
            builds: Builds::new(),
            multi_branch,
            branches: BTreeMap::new(),
            indexing_log: String::new(),
            indexing_count: 0,
            disabled: false,
        }
    }

    pub fn builds(&self, branch: Option<&str>) -> Option<&Builds> {
        match (self.multi_branch, branch) {
            (false, None) => Some(&self.builds),
            (true, Some(b)) => self.branches.get(b).map(|bj| &bj.builds),
            _ => None,
        }
    }

    pub fn builds_mut(&mut self, branch: Option<&str>) -> Option<&mut Builds> {
        match (self.multi_branch, branch) {
            (false, None) => Some(&mut self.builds),
            (true, Some(b)) => self.branches.get_mut(b).map(|bj| &mut bj.builds),
            _ => None,
        }
    }
}

#[derive(Debug, Clone)]
pub struct InputRecord {
    pub id: String,
    pub message: String,
    pub ok: String,
    pub submitter: Option<String>,
    pub parameters: Vec<Value>,
}

#[derive(Debug, Clone)]
pub struct StepRecord {
    pub id: String,
    pub display_name: String,
    pub description: Option<String>,
    pub state: Option<RunState>,
    pub result: Option<RunResult>,
    pub start_ms: Option<i64>,
    pub duration_ms: i64,
    pub input: Option<InputRecord>,
    pub log: String,
}

#[derive(Debug, Clone)]
pub struct NodeRecord {
    pub id: String,
    pub name: String,
    /// `STAGE` or `PARALLEL`.
    pub kind: &'static str,
    pub state: Option<RunState>,
    pub result: Option<RunResult>,
    pub start_ms: Option<i64>,
    pub duration_ms: Option<i64>,
    pub edges: Vec<String>,
    pub first_parent: Option<String>,
    pub steps: Vec<StepRecord>,
    /// Why the stage waits for an executor (BlueOcean's `causeOfBlockage`).
    pub cause_of_blockage: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Artifact {
    pub path: String,
    pub content: Vec<u8>,
}

#[derive(Debug, Clone)]
pub struct Build {
    pub id: u32,
    pub queue_id: u32,
    pub job: JobPath,
    pub state: RunState,
    pub result: RunResult,
    pub enqueue_ms: i64,
    pub start_ms: Option<i64>,
    pub end_ms: Option<i64>,
    pub causes: Vec<(String, Option<String>)>,
    pub parameters: Vec<(String, String)>,
    pub log: String,
    pub nodes: Vec<NodeRecord>,
    pub artifacts: Vec<Artifact>,
    pub plan: Plan,
    pub jenkinsfile: String,
    pub commit_id: Option<String>,
    pub estimated_ms: i64,
    /// The next flow node id to hand out (stages first, then steps as they start).
    pub next_flow_id: u32,
    /// Why the build waits for an executor (BlueOcean's `causeOfBlockage`).
    pub cause_of_blockage: Option<String>,
}

impl Build {
    pub fn is_finished(&self) -> bool {
        self.state == RunState::Finished
    }

    pub fn duration_ms(&self, now_ms: i64) -> i64 {
        match (self.start_ms, self.end_ms) {
            (Some(s), Some(e)) => e - s,
            (Some(s), None) => now_ms - s,
            _ => 0,
        }
    }

    pub fn node(&self, id: &str) -> Option<&NodeRecord> {
        self.nodes.iter().find(|n| n.id == id)
    }

    pub fn node_mut(&mut self, id: &str) -> Option<&mut NodeRecord> {
        self.nodes.iter_mut().find(|n| n.id == id)
    }

    pub fn step(&self, node: &str, step: &str) -> Option<&StepRecord> {
        self.node(node)?.steps.iter().find(|s| s.id == step)
    }

    pub fn step_mut(&mut self, node: &str, step: &str) -> Option<&mut StepRecord> {
        self.node_mut(node)?.steps.iter_mut().find(|s| s.id == step)
    }

    fn href(&self) -> String {
        format!("{}runs/{}/", self.job.blue_href(), self.id)
    }

    /// BlueOcean `PipelineRunImpl` JSON (v1alpha2 `PipelineRun`, and the
    /// `jenkins-pipelinerun-status` annotation of v1alpha3).
    pub fn to_blue_json(&self, now_ms: i64) -> Value {
        let href = self.href();
        let links = json!({
            "self": link(&href),
            "nodes": link(&format!("{href}nodes/")),
            "log": link(&format!("{href}log/")),
            "artifacts": link(&format!("{href}artifacts/")),
            "steps": link(&format!("{href}steps/")),
            "parent": link(&self.job.blue_href()),
        });
        let causes: Vec<Value> = self
            .causes
            .iter()
            .map(|(text, user)| {
                let mut cause = json!({
                    "_class": "io.jenkins.blueocean.service.embedded.rest.AbstractRunImpl$BlueCauseImpl",
                    "shortDescription": text,
                });
                if let Some(u) = user {
                    cause["userId"] = json!(u);
                    cause["userName"] = json!(u);
                }
                cause
            })
            .collect();
        json!({
            "_class": "io.jenkins.blueocean.rest.impl.pipeline.PipelineRunImpl",
            "_links": links,
            "actions": [],
            "artifactsZipFile": if self.artifacts.is_empty() { Value::Null } else { json!(format!("{}{}/artifact/*zip*/archive.zip", self.job.classic_url(), self.id)) },
            "causeOfBlockage": match (&self.cause_of_blockage, self.state == RunState::Queued) {
                (Some(cause), _) => json!(cause),
                (None, true) => json!("Waiting for next available executor"),
                (None, false) => Value::Null,
            },
            "causes": causes,
            "changeSet": [],
            "description": null,
            "durationInMillis": self.duration_ms(now_ms),
            "enQueueTime": Timestamp::jenkins_from_epoch_millis(self.enqueue_ms),
            "endTime": self.end_ms.map(Timestamp::jenkins_from_epoch_millis),
            "estimatedDurationInMillis": self.estimated_ms,
            "id": self.id.to_string(),
            "name": null,
            "organization": "jenkins",
            "pipeline": self.job.job_name(),
            "replayable": true,
            "result": self.result,
            "runSummary": run_summary(&self.result),
            "startTime": self.start_ms.map(Timestamp::jenkins_from_epoch_millis),
            "state": self.state,
            "type": "WorkflowRun",
            "branch": self.job.branch.as_ref().map(|_| json!({"isPrimary": false, "issues": [], "url": null})),
            "commitId": self.commit_id,
            "commitUrl": null,
            "pullRequest": null,
        })
    }

    /// BlueOcean `QueueItemImpl`-like answer to a trigger or replay (v1alpha2 `RunPipeline`).
    pub fn to_queued_json(&self, now_ms: i64) -> Value {
        let mut v = self.to_blue_json(now_ms);
        v["queueId"] = json!(self.queue_id.to_string());
        if let Some(obj) = v.as_object_mut() {
            obj.remove("branch");
            obj.remove("commitId");
            obj.remove("commitUrl");
            obj.remove("pullRequest");
        }
        v
    }

    /// BlueOcean artifact list (v1alpha2 `Artifacts`).
    pub fn artifacts_json(&self) -> Value {
        Value::Array(
            self.artifacts
                .iter()
                .map(|a| {
                    let name = a.path.rsplit('/').next().unwrap_or(&a.path);
                    json!({
                        "_class": "io.jenkins.blueocean.service.embedded.rest.ArtifactImpl",
                        "_links": {"self": link(&format!("{}artifacts/io.jenkins.blueocean.service.embedded.rest.ArtifactImpl%253A{}/", self.href(), a.path))},
                        "downloadable": true,
                        "id": format!("io.jenkins.blueocean.service.embedded.rest.ArtifactImpl:{}", a.path),
                        "name": name,
                        "path": a.path,
                        "size": a.content.len(),
                        "url": format!("{}{}/artifact/{}", self.job.classic_url(), self.id, a.path),
                    })
                })
                .collect(),
        )
    }

    /// BlueOcean nodes (`PipelineNodeImpl`), optionally with their steps as v1alpha2
    /// `nodesdetail` shows them. `aprovable` decides the typo'd field per step.
    pub fn blue_nodes_json(
        &self,
        with_steps: bool,
        aprovable: &dyn Fn(&StepRecord) -> bool,
    ) -> Value {
        Value::Array(
            self.nodes
                .iter()
                .map(|n| {
                    let mut v = self.blue_node_json(n);
                    if with_steps {
                        v["steps"] = Value::Array(
                            n.steps
                                .iter()
                                .map(|s| {
                                    let mut sv = self.blue_step_json(n, s);
                                    sv["aprovable"] = json!(aprovable(s));
                                    sv
                                })
                                .collect(),
                        );
                    }
                    v
                })
                .collect(),
        )
    }

    pub fn blue_node_json(&self, n: &NodeRecord) -> Value {
        let href = format!("{}nodes/{}/", self.href(), n.id);
        json!({
            "_class": "io.jenkins.blueocean.rest.impl.pipeline.PipelineNodeImpl",
            "_links": {"self": link(&href), "steps": link(&format!("{href}steps/")), "actions": link(&format!("{href}actions/"))},
            "actions": [],
            "causeOfBlockage": n.cause_of_blockage,
            "displayDescription": null,
            "displayName": n.name,
            "durationInMillis": n.duration_ms,
            "edges": n.edges.iter().map(|e| json!({"_class": "io.jenkins.blueocean.rest.impl.pipeline.PipelineNodeImpl$EdgeImpl", "id": e, "type": self.node(e).map(|x| x.kind).unwrap_or("STAGE")})).collect::<Vec<_>>(),
            "firstParent": n.first_parent,
            "id": n.id,
            "input": null,
            "restartable": n.state == Some(RunState::Finished),
            "result": n.result,
            "startTime": n.start_ms.map(Timestamp::jenkins_from_epoch_millis),
            "state": n.state,
            "type": n.kind,
        })
    }

    pub fn blue_step_json(&self, n: &NodeRecord, s: &StepRecord) -> Value {
        let href = format!("{}nodes/{}/steps/{}/", self.href(), n.id, s.id);
        json!({
            "_class": "io.jenkins.blueocean.rest.impl.pipeline.PipelineStepImpl",
            "_links": {"self": link(&href), "actions": link(&format!("{href}actions/"))},
            "actions": [{
                "_class": "org.jenkinsci.plugins.workflow.support.actions.LogStorageAction",
                "_links": {"self": link(&format!("{href}log/"))},
                "urlName": "log",
            }],
            "displayDescription": s.description,
            "displayName": s.display_name,
            "durationInMillis": s.duration_ms,
            "id": s.id,
            "input": s.input.as_ref().map(|i| input_blue_json(i, &href)),
            "result": s.result,
            "startTime": s.start_ms.map(Timestamp::jenkins_from_epoch_millis),
            "state": s.state,
            "type": "STEP",
        })
    }

    /// v1alpha3 `NodeDetail` list (`nodedetails` and the stages-status annotation):
    /// jenkins-client structs, RFC 3339 times, `approvable` forced to true on every step.
    pub fn node_details_json(&self) -> Value {
        Value::Array(
            self.nodes
                .iter()
                .map(|n| {
                    let mut v = Map::new();
                    v.insert("displayName".into(), json!(n.name));
                    if let Some(d) = n.duration_ms {
                        v.insert("durationInMillis".into(), json!(d));
                    }
                    v.insert("id".into(), json!(n.id));
                    if let Some(r) = &n.result {
                        v.insert("result".into(), json!(r));
                    }
                    v.insert("startTime".into(), json!(n.start_ms.map(Timestamp::kubernetes_from_epoch_millis)));
                    if let Some(s) = &n.state {
                        v.insert("state".into(), json!(s));
                    }
                    v.insert("type".into(), json!(n.kind));
                    if let Some(cause) = &n.cause_of_blockage {
                        v.insert("causeOfBlockage".into(), json!(cause));
                    }
                    v.insert(
                        "edges".into(),
                        Value::Array(
                            n.edges
                                .iter()
                                .map(|e| json!({"id": e, "type": self.node(e).map(|x| x.kind).unwrap_or("STAGE")}))
                                .collect(),
                        ),
                    );
                    if let Some(p) = &n.first_parent {
                        v.insert("firstParent".into(), json!(p));
                    }
                    v.insert("restartable".into(), json!(n.state == Some(RunState::Finished)));
                    let steps: Vec<Value> = n
                        .steps
                        .iter()
                        .map(|s| {
                            let mut sv = Map::new();
                            sv.insert("id".into(), json!(s.id));
                            sv.insert("displayName".into(), json!(s.display_name));
                            if let Some(d) = &s.description {
                                sv.insert("displayDescription".into(), json!(d));
                            }
                            sv.insert("type".into(), json!("STEP"));
                            if let Some(r) = &s.result {
                                sv.insert("result".into(), json!(r));
                            }
                            if let Some(st) = &s.state {
                                sv.insert("state".into(), json!(st));
                            }
                            sv.insert("startTime".into(), json!(s.start_ms.map(Timestamp::kubernetes_from_epoch_millis)));
                            sv.insert("durationInMillis".into(), json!(s.duration_ms));
                            if let Some(i) = &s.input {
                                sv.insert("input".into(), input_v1alpha3_json(i));
                            }
                            sv.insert("approvable".into(), json!(true));
                            Value::Object(sv)
                        })
                        .collect();
                    v.insert("steps".into(), Value::Array(steps));
                    Value::Object(v)
                })
                .collect(),
        )
    }
}

fn run_summary(result: &RunResult) -> Value {
    match result {
        RunResult::Success => json!("stable"),
        RunResult::Failure => json!("broken"),
        RunResult::Unstable => json!("unstable"),
        RunResult::Aborted => json!("aborted"),
        _ => Value::Null,
    }
}

pub fn link(href: &str) -> Value {
    json!({"_class": "io.jenkins.blueocean.rest.hal.Link", "href": href})
}

fn input_blue_json(i: &InputRecord, step_href: &str) -> Value {
    json!({
        "_class": "io.jenkins.blueocean.rest.impl.pipeline.InputStepImpl",
        "_links": {"self": link(&format!("{step_href}input/"))},
        "id": i.id,
        "message": i.message,
        "ok": i.ok,
        "parameters": i.parameters,
        "submitter": i.submitter,
    })
}

fn input_v1alpha3_json(i: &InputRecord) -> Value {
    let mut v = json!({
        "id": i.id,
        "message": i.message,
        "ok": i.ok,
        "parameters": i.parameters.iter().map(crate::params::jenkins_to_client_param).collect::<Vec<_>>(),
    });
    if let Some(s) = &i.submitter {
        v["submitter"] = json!(s);
    }
    v
}

/// BlueOcean's weather score: the share of the last five finished builds that succeeded,
/// in steps of 20 (100 when nothing has run).
pub fn weather_score(builds: &Builds) -> i64 {
    let finished: Vec<&Build> = builds
        .runs
        .values()
        .rev()
        .filter(|b| b.is_finished())
        .take(5)
        .collect();
    if finished.is_empty() {
        return 100;
    }
    let ok = finished
        .iter()
        .filter(|b| b.result == RunResult::Success)
        .count() as i64;
    (ok * 100 / finished.len() as i64) / 20 * 20
}

fn permissions() -> Value {
    json!({"create": true, "configure": true, "read": true, "start": true, "stop": true})
}

fn latest_run_json(builds: &Builds, now_ms: i64) -> Value {
    builds
        .last()
        .map(|b| b.to_blue_json(now_ms))
        .unwrap_or(Value::Null)
}

fn estimated(builds: &Builds, now_ms: i64) -> i64 {
    builds
        .runs
        .values()
        .rev()
        .find(|b| b.is_finished() && b.result == RunResult::Success)
        .map(|b| b.duration_ms(now_ms))
        .unwrap_or(-1)
}

impl BranchJob {
    /// BlueOcean `BranchImpl` (v1alpha2 branches).
    pub fn blue_json(&self, ns: &str, pipeline: &str, now_ms: i64) -> Value {
        let path = JobPath {
            namespace: ns.into(),
            pipeline: pipeline.into(),
            branch: Some(self.name.clone()),
        };
        json!({
            "_class": "io.jenkins.blueocean.rest.impl.pipeline.BranchImpl",
            "_links": {"self": link(&path.blue_href()), "runs": link(&format!("{}runs/", path.blue_href()))},
            "actions": [],
            "disabled": false,
            "displayName": self.raw_name,
            "estimatedDurationInMillis": estimated(&self.builds, now_ms),
            "fullDisplayName": format!("{ns}/{pipeline}/{}", self.raw_name),
            "fullName": format!("{ns}/{pipeline}/{}", self.name),
            "latestRun": latest_run_json(&self.builds, now_ms),
            "name": self.name,
            "organization": "jenkins",
            "parameters": self.builds.parameters.as_ref().map(|ps| ps.iter().map(ParamDef::to_jenkins_json).collect::<Vec<_>>()),
            "permissions": permissions(),
            "weatherScore": weather_score(&self.builds),
            "branch": {"isPrimary": self.is_primary, "issues": [], "url": self.url},
            "pullRequest": self.pull_request,
        })
    }

    /// ks-devops `pipeline.Branch` (the jenkins-branches annotation, v1alpha3 branches).
    pub fn v1alpha3_json(&self, now_ms: i64) -> Value {
        let mut v = Map::new();
        v.insert("name".into(), json!(self.name));
        v.insert("rawName".into(), json!(self.raw_name));
        v.insert("weatherScore".into(), json!(weather_score(&self.builds)));
        if let Some(b) = self.builds.last() {
            let mut lr = Map::new();
            lr.insert(
                "causes".into(),
                Value::Array(
                    b.causes
                        .iter()
                        .map(|(t, _)| json!({"shortDescription": t}))
                        .collect(),
                ),
            );
            lr.insert(
                "endTime".into(),
                json!(b.end_ms.map(Timestamp::kubernetes_from_epoch_millis)),
            );
            lr.insert("durationInMillis".into(), json!(b.duration_ms(now_ms)));
            lr.insert(
                "startTime".into(),
                json!(b.start_ms.map(Timestamp::kubernetes_from_epoch_millis)),
            );
            lr.insert("id".into(), json!(b.id.to_string()));
            lr.insert("pipeline".into(), json!(self.name));
            lr.insert("result".into(), json!(b.result));
            lr.insert("state".into(), json!(b.state));
            v.insert("latestRun".into(), Value::Object(lr));
        }
        let mut branch = Map::new();
        if let Some(u) = &self.url {
            branch.insert("url".into(), json!(u));
        }
        if self.is_primary {
            branch.insert("isPrimary".into(), json!(true));
        }
        v.insert("branch".into(), Value::Object(branch));
        if let Some(pr) = &self.pull_request {
            v.insert("pullRequest".into(), pr.clone());
        }
        if let Some(ps) = &self.builds.parameters {
            v.insert(
                "parameters".into(),
                Value::Array(
                    ps.iter()
                        .map(|p| crate::params::jenkins_to_client_param(&p.to_jenkins_json()))
                        .collect(),
                ),
            );
        }
        Value::Object(v)
    }
}

impl Job {
    /// BlueOcean `PipelineImpl` / `MultiBranchPipelineImpl` (v1alpha2 #46), the source of
    /// the `jenkins-metadata` annotation.
    pub fn blue_json(&self, ns: &str, name: &str, script_path: Option<&str>, now_ms: i64) -> Value {
        let path = JobPath {
            namespace: ns.into(),
            pipeline: name.into(),
            branch: None,
        };
        let mut v = json!({
            "_links": {"self": link(&path.blue_href())},
            "actions": [],
            "annotations": null,
            "disabled": self.disabled,
            "displayName": name,
            "fullDisplayName": format!("{ns}/{name}"),
            "fullName": format!("{ns}/{name}"),
            "name": name,
            "organization": "jenkins",
            "permissions": permissions(),
        });
        if self.multi_branch {
            let branches: Vec<&BranchJob> = self
                .branches
                .values()
                .filter(|b| b.kind != BranchKind::PullRequest)
                .collect();
            let prs: Vec<&BranchJob> = self
                .branches
                .values()
                .filter(|b| b.kind == BranchKind::PullRequest)
                .collect();
            let failing = |list: &[&BranchJob]| {
                list.iter()
                    .filter(|b| {
                        b.builds
                            .last()
                            .is_some_and(|r| r.is_finished() && r.result != RunResult::Success)
                    })
                    .count()
            };
            let succeeding = |list: &[&BranchJob]| {
                list.iter()
                    .filter(|b| {
                        b.builds
                            .last()
                            .is_some_and(|r| r.result == RunResult::Success)
                    })
                    .count()
            };
            let score = if self.branches.is_empty() {
                100
            } else {
                self.branches
                    .values()
                    .map(|b| weather_score(&b.builds))
                    .sum::<i64>()
                    / self.branches.len() as i64
            };
            v["_class"] = json!("io.jenkins.blueocean.rest.impl.pipeline.MultiBranchPipelineImpl");
            v["branchNames"] = json!(self.branches.keys().collect::<Vec<_>>());
            v["estimatedDurationInMillis"] = json!(-1);
            v["numberOfFailingBranches"] = json!(failing(&branches));
            v["numberOfFailingPullRequests"] = json!(failing(&prs));
            v["numberOfSuccessfulBranches"] = json!(succeeding(&branches));
            v["numberOfSuccessfulPullRequests"] = json!(succeeding(&prs));
            v["numberOfFolders"] = json!(0);
            v["numberOfPipelines"] = json!(self.branches.len());
            v["pipelineFolderNames"] = json!([]);
            v["totalNumberOfBranches"] = json!(branches.len());
            v["totalNumberOfPullRequests"] = json!(prs.len());
            v["scmSource"] = json!({"id": "git", "apiUrl": null});
            if let Some(sp) = script_path {
                v["scriptPath"] = json!(sp);
            }
            v["weatherScore"] = json!(score);
            v["parameters"] = Value::Null;
        } else {
            // ks-devops re-marshals through its Go struct: absent fields come back zeroed.
            for key in [
                "numberOfFailingBranches",
                "numberOfFailingPullRequests",
                "numberOfFolders",
                "numberOfPipelines",
                "numberOfSuccessfulBranches",
                "numberOfSuccessfulPullRequests",
                "totalNumberOfBranches",
                "totalNumberOfPullRequests",
            ] {
                v[key] = json!(0);
            }
            v["branchNames"] = Value::Null;
            v["pipelineFolderNames"] = Value::Null;
            v["scmSource"] = Value::Null;
            v["_class"] = json!("io.jenkins.blueocean.rest.impl.pipeline.PipelineImpl");
            v["estimatedDurationInMillis"] = json!(estimated(&self.builds, now_ms));
            v["latestRun"] = latest_run_json(&self.builds, now_ms);
            v["parameters"] = match &self.builds.parameters {
                Some(ps) if !ps.is_empty() => {
                    Value::Array(ps.iter().map(ParamDef::to_jenkins_json).collect())
                }
                _ => Value::Null,
            };
            v["weatherScore"] = json!(weather_score(&self.builds));
        }
        v
    }

    /// The `pipeline.devops.kubesphere.io/jenkins-metadata` annotation (reference §3.5):
    /// parameters with simplified types, present once Jenkins knows them.
    pub fn metadata_json(
        &self,
        ns: &str,
        name: &str,
        script_path: Option<&str>,
        now_ms: i64,
    ) -> Value {
        let blue = self.blue_json(ns, name, script_path, now_ms);
        let mut out = Map::new();
        for key in [
            "weatherScore",
            "estimatedDurationInMillis",
            "name",
            "disabled",
            "numberOfPipelines",
            "numberOfFolders",
            "pipelineFolderNames",
            "totalNumberOfBranches",
            "numberOfFailingBranches",
            "numberOfSuccessfulBranches",
            "totalNumberOfPullRequests",
            "numberOfFailingPullRequests",
            "numberOfSuccessfulPullRequests",
            "branchNames",
            "scmSource",
            "scriptPath",
        ] {
            if let Some(v) = blue.get(key).filter(|v| !v.is_null()) {
                out.insert(key.into(), v.clone());
            }
        }
        if !self.multi_branch {
            if let Some(ps) = self.builds.parameters.as_ref().filter(|p| !p.is_empty()) {
                out.insert(
                    "parameters".into(),
                    Value::Array(ps.iter().map(ParamDef::to_metadata_json).collect()),
                );
            }
        }
        Value::Object(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn branch_names_are_encoded_like_jenkins() {
        assert_eq!(encode_branch_name("feature/login"), "feature%2Flogin");
        assert_eq!(encode_branch_name("main"), "main");
        assert_eq!(encode_branch_name("a%b"), "a%25b");
    }
}
