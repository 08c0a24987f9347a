//! The run executor: starts Jenkins builds and walks their plan with simulated time, writing
//! a Jenkins-like console log, flow node and step states, artifacts and the final result.

use crate::agents::{self, Shell};
use crate::ids::{content_hash, NAME_SUFFIX_ALPHABET};
use crate::jenkins::*;
use crate::params::ParamDef;
use crate::plan::{Agent, Condition, InputSpec, Plan, Stage, StageBody, Step, Text};
use crate::shared::Shared;
use crate::store::{BuildKey, InputDecision, World};
use crate::workspace::{ShellContext, Workspace};
use futures_util::future::{join_all, BoxFuture};
use serde_json::Value;
use std::sync::{Arc, Mutex};
use tokio::sync::{oneshot, watch};

/// A Jenkinsfile ready to run: its plan and the job parameters it declares.
#[derive(Debug, Clone, Default)]
pub struct Loaded {
    pub plan: Plan,
    pub params: Vec<ParamDef>,
}

/// Simulated durations, in milliseconds.
const QUEUE_MS: u64 = 500;
const ECHO_MS: u64 = 20;
const SH_LINE_MS: u64 = 800;
const ARCHIVE_MS: u64 = 300;
const OTHER_STEP_MS: u64 = 200;
const STAGE_MS: u64 = 100;
/// How long a pod agent takes to come up.
const PROVISION_MS: u64 = 2_000;
/// How often a blocked build re-checks for an executor.
const BLOCKED_POLL_MS: u64 = 1_000;

/// Declarative's error for a `sh` outside any agent (`agent none` and no stage agent).
const NO_NODE: &str = "Attempted to execute a step that requires a node context while ‘agent none’ was specified. Be sure to specify your own ‘node { ... }’ blocks when using ‘agent none’.";

const MASK: &str = "****";

/// Why a build could not be started; the text is what Jenkins would answer.
#[derive(Debug, Clone, PartialEq)]
pub struct TriggerError(pub String);

/// Queues a build of `job` with the given parameter values and starts its executor.
/// Returns the build number.
pub fn trigger(
    shared: &Arc<Shared>,
    world: &mut World,
    job: &JobPath,
    given: &[(String, String)],
    user: Option<&str>,
    cause: String,
) -> Result<u32, TriggerError> {
    let now = shared.now_ms();
    let source = JobSource::look_up(world, job, now)?;
    let loaded = crate::load::load(&source.jenkinsfile);
    let defs = job_parameters(source.cr_params.clone(), &loaded);
    let parameters = parameter_values(&defs, given);
    let secrets = secret_values(&defs, &parameters);
    let plan = loaded.as_ref().map(|l| l.plan.clone()).unwrap_or_default();
    let build = queued_build(job, &source, plan, parameters.clone(), user, &cause, now);
    let id = enqueue(world, job, build);
    let key: BuildKey = (job.clone(), id);
    let (abort_tx, abort_rx) = watch::channel(None);
    world.aborts.insert(key.clone(), abort_tx);
    let exec = Exec {
        shared: shared.clone(),
        key,
        params: parameters,
        secrets,
        abort: abort_rx,
        workspace: Mutex::default(),
    };
    let loaded = loaded.map_err(|e| e.to_string());
    let disable_concurrent = source.disable_concurrent;
    tokio::spawn(async move { exec.run(loaded, defs, disable_concurrent).await });
    Ok(id)
}

/// What a build of a job starts from: its Jenkinsfile and commit, the job's configured
/// parameters and concurrency, and the last build's duration as the estimate.
struct JobSource {
    jenkinsfile: String,
    commit: Option<String>,
    cr_params: Vec<ParamDef>,
    disable_concurrent: bool,
    estimated_ms: i64,
}

impl JobSource {
    fn look_up(world: &World, job: &JobPath, now: i64) -> Result<Self, TriggerError> {
        let not_found = |what: String| TriggerError(format!("Pipeline {what} not found"));
        let pipeline = format!("{}/{}", job.namespace, job.pipeline);
        let entry = world
            .pipelines
            .get(&(job.namespace.clone(), job.pipeline.clone()))
            .ok_or_else(|| not_found(pipeline.clone()))?;
        let cr = &entry.cr;
        let j = entry
            .job
            .as_ref()
            .ok_or_else(|| not_found(pipeline.clone()))?;
        let (jenkinsfile, commit) = match &job.branch {
            None => (
                cr.pointer("/spec/pipeline/jenkinsfile")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string(),
                None,
            ),
            Some(b) => {
                let bj = j
                    .branches
                    .get(b)
                    .ok_or_else(|| not_found(format!("{pipeline}/{b}")))?;
                (
                    bj.jenkinsfile.clone().unwrap_or_default(),
                    bj.commit.clone(),
                )
            }
        };
        let builds = j
            .builds(job.branch.as_deref())
            .ok_or_else(|| not_found(pipeline))?;
        Ok(JobSource {
            jenkinsfile,
            commit,
            cr_params: cr
                .pointer("/spec/pipeline/parameters")
                .map(crate::params::from_cr_parameters)
                .unwrap_or_default(),
            disable_concurrent: cr
                .pointer("/spec/pipeline/disable_concurrent")
                .and_then(Value::as_bool)
                .unwrap_or(false),
            estimated_ms: builds
                .last()
                .map(|b| b.duration_ms(now))
                .filter(|d| *d > 0)
                .unwrap_or(-1),
        })
    }
}

/// The job's parameters: the CR's, overridden by the Jenkinsfile's declaration.
fn job_parameters(
    mut defs: Vec<ParamDef>,
    loaded: &Result<Loaded, impl std::fmt::Display>,
) -> Vec<ParamDef> {
    if let Ok(l) = loaded {
        for p in &l.params {
            defs.retain(|d| d.name != p.name);
            defs.push(p.clone());
        }
    }
    defs
}

/// Every parameter's value for the build: the given one, else the default.
fn parameter_values(defs: &[ParamDef], given: &[(String, String)]) -> Vec<(String, String)> {
    defs.iter()
        .map(|d| {
            let value = given
                .iter()
                .find(|(n, _)| n == &d.name)
                .map(|(_, v)| v.clone())
                .unwrap_or_else(|| d.default_value());
            (d.name.clone(), value)
        })
        .collect()
}

/// The non-empty values of password parameters, which the console log masks.
fn secret_values(defs: &[ParamDef], parameters: &[(String, String)]) -> Vec<String> {
    defs.iter()
        .filter(|d| d.is_password())
        .filter_map(|d| parameters.iter().find(|(n, _)| n == &d.name))
        .map(|(_, v)| v.clone())
        .filter(|v| !v.is_empty())
        .collect()
}

/// A build waiting in the queue (its number is set when it is queued), with its flow nodes
/// laid out and the cause as the first log line.
fn queued_build(
    job: &JobPath,
    source: &JobSource,
    plan: Plan,
    parameters: Vec<(String, String)>,
    user: Option<&str>,
    cause: &str,
    now: i64,
) -> Build {
    let mut build = Build {
        id: 0,
        queue_id: 0,
        job: job.clone(),
        state: RunState::Queued,
        result: RunResult::Unknown,
        enqueue_ms: now,
        start_ms: None,
        end_ms: None,
        causes: vec![(cause.to_string(), user.map(str::to_string))],
        parameters,
        log: format!("{cause}\n"),
        nodes: Vec::new(),
        artifacts: Vec::new(),
        plan: Plan::default(),
        jenkinsfile: source.jenkinsfile.clone(),
        commit_id: source.commit.clone(),
        estimated_ms: source.estimated_ms,
        next_flow_id: 3,
        cause_of_blockage: None,
    };
    lay_out_nodes(&mut build, &plan);
    build.plan = plan;
    build
}

/// Gives `build` the job's next build and queue numbers and stores it; returns its number.
fn enqueue(world: &mut World, job: &JobPath, mut build: Build) -> u32 {
    let builds = world
        .job_mut(job)
        .and_then(|j| j.builds_mut(job.branch.as_deref()))
        .expect("the job was looked up under the same lock");
    build.id = builds.next_build;
    builds.next_build += 1;
    build.queue_id = builds.next_queue_id;
    builds.next_queue_id += 1;
    let id = build.id;
    builds.runs.insert(id, build);
    id
}

/// Pre-creates the flow nodes BlueOcean lists for a declarative pipeline: every stage and
/// parallel branch, not yet run (state and result null).
fn lay_out_nodes(build: &mut Build, plan: &Plan) {
    fn add(
        build: &mut Build,
        stages: &[Stage],
        parent: Option<String>,
        kind: &'static str,
    ) -> Vec<(String, Vec<String>)> {
        // Returns (node id, exit node ids) per stage.
        let mut out = Vec::new();
        for stage in stages {
            let id = build.next_flow_id.to_string();
            build.next_flow_id += 1;
            build.nodes.push(NodeRecord {
                id: id.clone(),
                name: stage.name.clone(),
                kind,
                state: None,
                result: None,
                start_ms: None,
                duration_ms: None,
                edges: Vec::new(),
                first_parent: parent.clone(),
                steps: Vec::new(),
                cause_of_blockage: None,
            });
            let exits = match &stage.body {
                StageBody::Steps(_) => vec![id.clone()],
                StageBody::Parallel(branches) => {
                    let kids = add(build, branches, Some(id.clone()), "PARALLEL");
                    let kid_ids: Vec<String> = kids.iter().map(|(k, _)| k.clone()).collect();
                    build.node_mut(&id).expect("just added").edges = kid_ids.clone();
                    kids.into_iter().flat_map(|(_, e)| e).collect()
                }
                StageBody::Stages(inner) => {
                    let kids = add(build, inner, Some(id.clone()), "STAGE");
                    if let Some((first, _)) = kids.first() {
                        build.node_mut(&id).expect("just added").edges = vec![first.clone()];
                    }
                    link_sequence(build, &kids);
                    kids.last()
                        .map(|(_, e)| e.clone())
                        .unwrap_or_else(|| vec![id.clone()])
                }
            };
            out.push((id, exits));
        }
        out
    }
    fn link_sequence(build: &mut Build, seq: &[(String, Vec<String>)]) {
        for pair in seq.windows(2) {
            let next = pair[1].0.clone();
            for exit in &pair[0].1 {
                if let Some(n) = build.node_mut(exit) {
                    n.edges.push(next.clone());
                }
            }
            if let Some(n) = build.node_mut(&next) {
                n.first_parent = Some(pair[0].0.clone());
            }
        }
    }
    let mut top = add(build, &plan.stages, None, "STAGE");
    if !plan.post.is_empty() {
        let id = build.next_flow_id.to_string();
        build.next_flow_id += 1;
        build.nodes.push(NodeRecord {
            id: id.clone(),
            name: "Declarative: Post Actions".into(),
            kind: "STAGE",
            state: None,
            result: None,
            start_ms: None,
            duration_ms: None,
            edges: Vec::new(),
            first_parent: None,
            steps: Vec::new(),
            cause_of_blockage: None,
        });
        top.push((id.clone(), vec![id]));
    }
    link_sequence(build, &top);
}

/// Where steps run: the agent's shell (none under `agent none`) and the directory inside the
/// job's workspace (`dir('sub')`), `""` at its root.
#[derive(Debug, Clone, Default)]
struct Place {
    shell: Option<Shell>,
    cwd: String,
}

#[derive(Debug, Clone, PartialEq)]
enum Outcome {
    Ok,
    Fail(String),
    Abort(String),
}

impl Outcome {
    fn result(&self) -> RunResult {
        match self {
            Outcome::Ok => RunResult::Success,
            Outcome::Fail(_) => RunResult::Failure,
            Outcome::Abort(_) => RunResult::Aborted,
        }
    }

    fn worst(self, other: Outcome) -> Outcome {
        match (&self, &other) {
            (Outcome::Abort(_), _) => self,
            (_, Outcome::Abort(_)) => other,
            (Outcome::Fail(_), _) => self,
            (_, Outcome::Fail(_)) => other,
            _ => Outcome::Ok,
        }
    }
}

struct Exec {
    shared: Arc<Shared>,
    key: BuildKey,
    params: Vec<(String, String)>,
    secrets: Vec<String>,
    abort: watch::Receiver<Option<String>>,
    workspace: Mutex<Workspace>,
}

impl Exec {
    fn with_build<R>(&self, f: impl FnOnce(&mut Build) -> R) -> Option<R> {
        let mut w = self.shared.world();
        w.build_mut(&self.key).map(f)
    }

    fn mask(&self, text: &str) -> String {
        let mut out = text.to_string();
        for s in &self.secrets {
            out = out.replace(s.as_str(), MASK);
        }
        out
    }

    fn log(&self, step: Option<(&str, &str)>, line: &str) {
        let line = self.mask(line);
        self.with_build(|b| {
            b.log.push_str(&line);
            b.log.push('\n');
            if let Some((node, step)) = step {
                if let Some(s) = b.step_mut(node, step) {
                    s.log.push_str(&line);
                    s.log.push('\n');
                }
            }
        });
    }

    /// Waits `ms` simulated milliseconds unless the build is stopped first.
    async fn wait(&self, ms: u64) -> Result<(), Outcome> {
        let mut abort = self.abort.clone();
        if let Some(who) = abort.borrow().clone() {
            return Err(Outcome::Abort(who));
        }
        tokio::select! {
            _ = self.shared.clock.sleep(ms) => Ok(()),
            _ = self.shared.shutdown_signal() => Err(Outcome::Abort(String::new())),
            _ = abort.changed() => {
                let who = abort.borrow().clone().unwrap_or_else(|| "Aborted".into());
                Err(Outcome::Abort(who))
            }
        }
    }

    fn now(&self) -> i64 {
        self.shared.now_ms()
    }

    async fn run(
        self,
        loaded: Result<Loaded, String>,
        defs: Vec<ParamDef>,
        disable_concurrent: bool,
    ) {
        if disable_concurrent {
            self.wait_for_previous_builds().await;
        }
        let _ = self.wait(QUEUE_MS).await;
        self.wait_while_quieting_down().await;
        // Jenkins learns the job's parameters when a build evaluates the Jenkinsfile.
        if loaded.is_ok() {
            let mut w = self.shared.world();
            let branch = self.key.0.branch.clone();
            if let Some(builds) = w
                .job_mut(&self.key.0)
                .and_then(|j| j.builds_mut(branch.as_deref()))
            {
                builds.parameters = Some(defs.clone());
            }
        }
        let outcome = match loaded {
            Err(message) => {
                self.mark_started();
                self.log(None, "org.codehaus.groovy.control.MultipleCompilationErrorsException: startup failed:");
                self.log(None, &format!("WorkflowScript: {message}"));
                self.log(None, "");
                self.log(None, "1 error");
                Outcome::Fail(String::new())
            }
            Ok(loaded) => {
                self.log(None, "[Pipeline] Start of Pipeline");
                let agent = loaded.plan.agent.clone().unwrap_or(Agent::Any);
                let first = self
                    .with_build(|b| b.nodes.first().map(|n| n.id.clone()))
                    .flatten();
                // A pipeline-level agent nobody offers keeps the whole build queued.
                let acquired = self.acquire(&agent, first.as_deref()).await;
                self.mark_started();
                match acquired {
                    Err(o) => {
                        self.log(None, "[Pipeline] // node");
                        self.log(None, "[Pipeline] End of Pipeline");
                        o
                    }
                    Ok(shell) => {
                        let shell = Place {
                            shell,
                            cwd: String::new(),
                        };
                        if shell.shell.is_some() {
                            self.log(None, "[Pipeline] {");
                        }
                        let mut outcome = Outcome::Ok;
                        let mut unstable = false;
                        for stage in &loaded.plan.stages {
                            let o = self.run_stage(stage, &outcome, &mut unstable, &shell).await;
                            outcome = outcome.worst(o);
                        }
                        if !loaded.plan.post.is_empty() {
                            outcome = self.run_post(&loaded.plan, outcome, unstable, &shell).await;
                        }
                        if shell.shell.is_some() {
                            self.log(None, "[Pipeline] }");
                            self.log(None, "[Pipeline] // node");
                        }
                        self.log(None, "[Pipeline] End of Pipeline");
                        if unstable && outcome == Outcome::Ok {
                            self.finish(RunResult::Unstable);
                            return;
                        }
                        outcome
                    }
                }
            }
        };
        match &outcome {
            Outcome::Fail(msg) if !msg.is_empty() => self.log(None, &format!("ERROR: {msg}")),
            Outcome::Abort(who) if !who.is_empty() => {}
            _ => {}
        }
        self.finish(outcome.result());
    }

    fn mark_started(&self) {
        let now = self.now();
        self.with_build(|b| {
            b.state = RunState::Running;
            b.start_ms.get_or_insert(now);
        });
    }

    /// The job's workspace directory on the agent behind `shell`.
    fn workspace_dir(&self, shell: &Shell) -> String {
        format!(
            "{}/{}_{}",
            shell.workspace_root(),
            self.key.0.namespace,
            self.key.0.job_name()
        )
    }

    /// Gets an executor for `agent`, logging as Jenkins' `node` step does. A label no agent
    /// offers blocks until the build is stopped, with BlueOcean's `causeOfBlockage` on the
    /// build and on `node`; an offered one waits while its pod is provisioned.
    /// `Ok(None)` for `agent none`.
    async fn acquire(&self, agent: &Agent, node: Option<&str>) -> Result<Option<Shell>, Outcome> {
        let label = match agent {
            Agent::None => return Ok(None),
            Agent::Any => {
                self.log(None, "[Pipeline] node");
                let dir = self.workspace_dir(&Shell::BuiltIn);
                self.log(None, &format!("Running on Jenkins in {dir}"));
                return Ok(Some(Shell::BuiltIn));
            }
            Agent::Custom(kind) => {
                self.log(None, "[Pipeline] node");
                let dir = self.workspace_dir(&Shell::Custom);
                let name = pod_name(kind, &self.key);
                self.log(None, &format!("Running on {name} in {dir}"));
                return Ok(Some(Shell::Custom));
            }
            Agent::Label(label) => label,
        };
        self.log(None, "[Pipeline] node");
        if !agents::offers(label) {
            let cause = format!("There are no nodes with the label ‘{label}’");
            self.block(node, Some(&cause));
            self.log(None, "Still waiting to schedule task");
            self.log(None, &cause);
            loop {
                if let Err(o) = self.wait(BLOCKED_POLL_MS).await {
                    self.block(node, None);
                    return Err(o);
                }
            }
        }
        self.block(
            node,
            Some(&format!("Waiting for next available executor on ‘{label}’")),
        );
        let provisioned = self.wait(PROVISION_MS).await;
        self.block(node, None);
        provisioned?;
        let pod = pod_name(label, &self.key);
        let shell = Shell::Pod {
            label: label.clone(),
            container: "jnlp".into(),
        };
        self.log(
            None,
            &format!("Agent {pod} is provisioned from template {label}"),
        );
        self.log(
            None,
            &format!("Running on {pod} in {}", self.workspace_dir(&shell)),
        );
        Ok(Some(shell))
    }

    /// Sets (or clears) why the build and its stage `node` wait for an executor; the build
    /// shows QUEUED meanwhile.
    fn block(&self, node: Option<&str>, cause: Option<&str>) {
        self.with_build(|b| {
            b.cause_of_blockage = cause.map(str::to_string);
            if cause.is_some() {
                b.state = RunState::Queued;
            } else if b.start_ms.is_some() && b.state == RunState::Queued {
                b.state = RunState::Running;
            }
            if let Some(n) = node.and_then(|id| b.node_mut(id)) {
                n.cause_of_blockage = cause.map(str::to_string);
                n.state = cause.map(|_| RunState::Queued);
            }
        });
    }

    /// A stage's own agent: the shell its steps run in and whether a `node` was opened.
    async fn enter(
        &self,
        agent: Option<&Agent>,
        node: &str,
        outer: &Place,
    ) -> Result<(Place, bool), Outcome> {
        let Some(agent) = agent else {
            return Ok((outer.clone(), false));
        };
        let shell = self.acquire(agent, Some(node)).await?;
        let opened = shell.is_some();
        if opened {
            self.log(None, "[Pipeline] {");
        }
        Ok((
            Place {
                shell,
                cwd: String::new(),
            },
            opened,
        ))
    }

    fn leave(&self, opened: bool) {
        if opened {
            self.log(None, "[Pipeline] }");
            self.log(None, "[Pipeline] // node");
        }
    }

    /// Keeps the build in the queue, showing `cause`'s answer as Jenkins' cause of blockage,
    /// while it has one (or until the build is aborted).
    async fn stay_queued_while(&self, cause: impl Fn(&Self) -> Option<String>) {
        while let Some(why) = cause(self) {
            self.block(None, Some(&why));
            if self.wait(200).await.is_err() {
                break;
            }
        }
        self.block(None, None);
    }

    /// Jenkins' `quietDown`: the build stays in the queue until the shutdown is cancelled.
    async fn wait_while_quieting_down(&self) {
        self.stay_queued_while(|exec| {
            let quiet = exec.shared.world().quieting_down;
            quiet.then(|| "Jenkins is about to shut down".to_owned())
        })
        .await;
    }

    /// `disableConcurrentBuilds`: waits while an earlier build runs.
    async fn wait_for_previous_builds(&self) {
        self.stay_queued_while(|exec| {
            let w = exec.shared.world();
            let running = w
                .job(&exec.key.0)
                .and_then(|j| j.builds(exec.key.0.branch.as_deref()))
                .and_then(|b| {
                    b.runs
                        .values()
                        .filter(|r| r.id < exec.key.1 && !r.is_finished())
                        .map(|r| r.id)
                        .min()
                });
            running.map(|id| format!("Build #{id} is already in progress"))
        })
        .await;
    }

    fn finish(&self, result: RunResult) {
        let now = self.now();
        self.log(None, &format!("Finished: {result}"));
        let mut w = self.shared.world();
        if let Some(b) = w.build_mut(&self.key) {
            b.state = RunState::Finished;
            b.result = result.clone();
            b.cause_of_blockage = None;
            b.end_ms = Some(now.max(b.start_ms.unwrap_or(now)));
            if b.start_ms.is_none() {
                b.start_ms = Some(now);
            }
            // Anything still open ends with the build's result.
            for n in &mut b.nodes {
                for s in &mut n.steps {
                    if s.state != Some(RunState::Finished) {
                        s.state = Some(RunState::Finished);
                        s.result = Some(result.clone());
                        s.duration_ms = now - s.start_ms.unwrap_or(now);
                    }
                }
                n.cause_of_blockage = None;
                if matches!(
                    n.state,
                    Some(RunState::Running) | Some(RunState::Paused) | Some(RunState::Queued)
                ) {
                    n.state = Some(RunState::Finished);
                    n.result = Some(result.clone());
                    n.duration_ms = Some(now - n.start_ms.unwrap_or(now));
                }
            }
        }
        w.aborts.remove(&self.key);
        let key = self.key.clone();
        w.inputs.retain(|(k, _), _| k != &key);
    }

    fn node_id_for(&self, stage_name: &str, kind_hint: Option<&str>) -> Option<String> {
        let w = self.shared.world();
        let b = w.build(&self.key)?;
        b.nodes
            .iter()
            .find(|n| {
                n.name == stage_name && n.state.is_none() && kind_hint.is_none_or(|k| k == n.kind)
            })
            .map(|n| n.id.clone())
    }

    fn set_node(&self, id: &str, state: RunState, result: Option<RunResult>) {
        let now = self.now();
        self.with_build(|b| {
            if let Some(n) = b.node_mut(id) {
                if n.start_ms.is_none() && state != RunState::Skipped {
                    n.start_ms = Some(now);
                }
                let ended = matches!(state, RunState::Finished | RunState::Skipped);
                n.state = Some(state);
                n.result = result;
                if ended {
                    n.duration_ms = Some(n.start_ms.map(|s| now - s).unwrap_or(0));
                    if n.start_ms.is_none() {
                        n.start_ms = Some(now);
                    }
                }
            }
        });
    }

    fn run_stage<'a>(
        &'a self,
        stage: &'a Stage,
        before: &'a Outcome,
        unstable: &'a mut bool,
        shell: &'a Place,
    ) -> BoxFuture<'a, Outcome> {
        Box::pin(async move {
            let kind = None;
            let Some(node) = self.node_id_for(&stage.name, kind) else {
                return Outcome::Ok;
            };
            self.log(None, "[Pipeline] stage");
            self.log(None, &format!("[Pipeline] {{ ({})", stage.name));
            let outcome = if *before != Outcome::Ok {
                self.log(
                    None,
                    &format!("Stage \"{}\" skipped due to earlier failure(s)", stage.name),
                );
                self.skip_tree(&node, stage);
                Outcome::Ok
            } else if stage.when.as_ref().is_some_and(|c| !self.holds(c)) {
                self.log(
                    None,
                    &format!("Stage \"{}\" skipped due to when conditional", stage.name),
                );
                self.skip_tree(&node, stage);
                Outcome::Ok
            } else {
                let (here, opened) = match self.enter(stage.agent.as_ref(), &node, shell).await {
                    Ok(entered) => entered,
                    Err(o) => {
                        self.set_node(&node, RunState::Finished, Some(o.result()));
                        return o;
                    }
                };
                self.set_node(&node, RunState::Running, None);
                if self.wait(STAGE_MS).await.is_err() {
                    let o = Outcome::Abort(String::new());
                    self.set_node(&node, RunState::Finished, Some(RunResult::Aborted));
                    return o;
                }
                let o = match &stage.body {
                    StageBody::Steps(steps) => self.run_steps(steps, &node, unstable, &here).await,
                    StageBody::Parallel(branches) => {
                        self.run_parallel(branches, unstable, &here).await
                    }
                    StageBody::Stages(inner) => {
                        let mut acc = Outcome::Ok;
                        for s in inner {
                            let o = self.run_stage(s, &acc, unstable, &here).await;
                            acc = acc.worst(o);
                        }
                        acc
                    }
                };
                self.leave(opened);
                self.set_node(&node, RunState::Finished, Some(o.result()));
                o
            };
            self.log(None, "[Pipeline] }");
            self.log(None, "[Pipeline] // stage");
            outcome
        })
    }

    fn skip_tree(&self, node: &str, stage: &Stage) {
        self.set_node(node, RunState::Skipped, Some(RunResult::NotBuilt));
        let kids: Vec<&Stage> = match &stage.body {
            StageBody::Steps(_) => Vec::new(),
            StageBody::Parallel(k) | StageBody::Stages(k) => k.iter().collect(),
        };
        for k in kids {
            if let Some(id) = self.node_id_for(&k.name, None) {
                self.skip_tree(&id, k);
            }
        }
    }

    async fn run_parallel(
        &self,
        branches: &[Stage],
        unstable: &mut bool,
        shell: &Place,
    ) -> Outcome {
        self.log(None, "[Pipeline] parallel");
        let mut ids = Vec::new();
        for b in branches {
            self.log(None, &format!("[Pipeline] {{ (Branch: {})", b.name));
            ids.push(self.node_id_for(&b.name, Some("PARALLEL")));
        }
        let futures = branches.iter().zip(ids).map(|(b, id)| async move {
            let mut local_unstable = false;
            let Some(id) = id else {
                return (Outcome::Ok, false);
            };
            let (here, opened) = match self.enter(b.agent.as_ref(), &id, shell).await {
                Ok(entered) => entered,
                Err(o) => {
                    self.set_node(&id, RunState::Finished, Some(o.result()));
                    self.log(None, "[Pipeline] }");
                    return (o, false);
                }
            };
            self.set_node(&id, RunState::Running, None);
            let o = match &b.body {
                StageBody::Steps(steps) => {
                    self.run_steps(steps, &id, &mut local_unstable, &here).await
                }
                StageBody::Parallel(inner) => {
                    self.run_parallel(inner, &mut local_unstable, &here).await
                }
                StageBody::Stages(inner) => {
                    let mut acc = Outcome::Ok;
                    for s in inner {
                        let o = self.run_stage(s, &acc, &mut local_unstable, &here).await;
                        acc = acc.worst(o);
                    }
                    acc
                }
            };
            self.leave(opened);
            self.set_node(&id, RunState::Finished, Some(o.result()));
            self.log(None, "[Pipeline] }");
            (o, local_unstable)
        });
        let results: Vec<(Outcome, bool)> = Box::pin(join_all(futures)).await;
        self.log(None, "[Pipeline] // parallel");
        let mut acc = Outcome::Ok;
        for (o, u) in results {
            *unstable |= u;
            acc = acc.worst(o);
        }
        acc
    }

    async fn run_post(
        &self,
        plan: &Plan,
        outcome: Outcome,
        unstable: bool,
        shell: &Place,
    ) -> Outcome {
        let Some(node) = self.node_id_for("Declarative: Post Actions", None) else {
            return outcome;
        };
        self.log(None, "[Pipeline] stage");
        self.log(None, "[Pipeline] { (Declarative: Post Actions)");
        self.set_node(&node, RunState::Running, None);
        let result = if unstable && outcome == Outcome::Ok {
            RunResult::Unstable
        } else {
            outcome.result()
        };
        let mut acc = outcome.clone();
        let mut ignored = false;
        for block in &plan.post {
            let applies = match block.condition.as_str() {
                "always" | "cleanup" => true,
                "success" => result == RunResult::Success,
                "failure" => result == RunResult::Failure,
                "aborted" => result == RunResult::Aborted,
                "unstable" => result == RunResult::Unstable,
                "changed" | "fixed" | "regression" => false,
                "unsuccessful" => result != RunResult::Success,
                _ => false,
            };
            if applies {
                let o = self
                    .run_steps(&block.steps, &node, &mut ignored, shell)
                    .await;
                acc = acc.worst(o);
            }
        }
        self.set_node(&node, RunState::Finished, Some(acc.result()));
        self.log(None, "[Pipeline] }");
        self.log(None, "[Pipeline] // stage");
        acc
    }

    fn run_steps<'a>(
        &'a self,
        steps: &'a [Step],
        node: &'a str,
        unstable: &'a mut bool,
        shell: &'a Place,
    ) -> BoxFuture<'a, Outcome> {
        Box::pin(async move {
            for step in steps {
                let o = self.run_step(step, node, unstable, shell).await;
                if o != Outcome::Ok {
                    return o;
                }
            }
            Outcome::Ok
        })
    }

    /// Starts a step; `description` is its argument as Jenkins shows it (none when Jenkins
    /// did not keep the argument).
    fn begin_step(&self, node: &str, step: &Step, description: Option<String>) -> String {
        let now = self.now();
        let description = description
            .filter(|d| kept_as_argument(d))
            .map(|d| self.mask(&d));
        self.with_build(|b| {
            let id = b.next_flow_id.to_string();
            b.next_flow_id += 1;
            if let Some(n) = b.node_mut(node) {
                n.steps.push(StepRecord {
                    id: id.clone(),
                    display_name: step.display_name(),
                    description,
                    state: Some(RunState::Running),
                    result: Some(RunResult::Unknown),
                    start_ms: Some(now),
                    duration_ms: 0,
                    input: None,
                    log: String::new(),
                });
            }
            id
        })
        .unwrap_or_default()
    }

    fn end_step(&self, node: &str, step: &str, outcome: &Outcome) {
        let now = self.now();
        self.with_build(|b| {
            if let Some(s) = b.step_mut(node, step) {
                s.state = Some(RunState::Finished);
                s.result = Some(outcome.result());
                s.duration_ms = now - s.start_ms.unwrap_or(now);
            }
        });
    }

    fn interpolate(&self, text: &Text) -> String {
        if text.interpolate {
            self.expand(&text.value)
        } else {
            text.value.clone()
        }
    }

    fn lookup(&self, name: &str) -> Option<String> {
        let name = name
            .strip_prefix("params.")
            .or_else(|| name.strip_prefix("env."))
            .unwrap_or(name);
        if let Some((_, v)) = self.params.iter().find(|(n, _)| n == name) {
            return Some(v.clone());
        }
        let job = &self.key.0;
        match name {
            "BUILD_NUMBER" | "BUILD_ID" => Some(self.key.1.to_string()),
            "JOB_NAME" => Some(format!("{}/{}", job.namespace, job.pipeline)),
            "BRANCH_NAME" => job.branch.as_ref().map(|b| decode_branch(b)),
            _ => None,
        }
    }

    /// Expands `${params.X}`, `${env.X}`, `${X}` and `$X` the way a GString or a shell would.
    fn expand(&self, s: &str) -> String {
        let mut out = String::with_capacity(s.len());
        let mut rest = s;
        while let Some(pos) = rest.find('$') {
            // `\$` is a literal dollar.
            if rest[..pos].ends_with('\\') {
                out.push_str(&rest[..pos - 1]);
                out.push('$');
                rest = &rest[pos + 1..];
                continue;
            }
            out.push_str(&rest[..pos]);
            let after = &rest[pos + 1..];
            if let Some(inner) = after.strip_prefix('{') {
                if let Some(end) = inner.find('}') {
                    let expr = inner[..end].trim();
                    match self.lookup(expr) {
                        Some(v) => out.push_str(&v),
                        None => out.push_str(&rest[pos..pos + 2 + end + 1]),
                    }
                    rest = &inner[end + 1..];
                    continue;
                }
            }
            let ident_len = after
                .char_indices()
                .find(|(_, c)| !(c.is_ascii_alphanumeric() || *c == '_' || *c == '.'))
                .map(|(i, _)| i)
                .unwrap_or(after.len());
            let ident = after[..ident_len].trim_end_matches('.');
            match (ident.is_empty(), self.lookup(ident)) {
                (false, Some(v)) => {
                    out.push_str(&v);
                    rest = &after[ident.len()..];
                }
                _ => {
                    out.push('$');
                    rest = after;
                }
            }
        }
        out.push_str(rest);
        out
    }

    fn holds(&self, c: &Condition) -> bool {
        match c {
            Condition::ParamEquals { name, value } => self.lookup(name).as_deref() == Some(value),
            Condition::ParamTrue { name } => self.lookup(name).as_deref() == Some("true"),
            Condition::Branch { pattern } => {
                let Some(branch) = self.lookup("BRANCH_NAME") else {
                    return false;
                };
                match pattern.split_once('*') {
                    Some((pre, post)) => branch.starts_with(pre) && branch.ends_with(post),
                    None => &branch == pattern,
                }
            }
            Condition::Not(inner) => !self.holds(inner),
        }
    }

    fn run_step<'a>(
        &'a self,
        step: &'a Step,
        node: &'a str,
        unstable: &'a mut bool,
        shell: &'a Place,
    ) -> BoxFuture<'a, Outcome> {
        Box::pin(async move {
            if let Step::Block { name, body, .. } = step {
                if name == "script" {
                    return self.run_steps(body, node, unstable, shell).await;
                }
            }
            if let Step::If {
                condition,
                then,
                otherwise,
            } = step
            {
                let take_then = condition.as_ref().is_none_or(|c| self.holds(c));
                let branch = if take_then { then } else { otherwise };
                return self.run_steps(branch, node, unstable, shell).await;
            }
            self.log(None, &format!("[Pipeline] {}", step.function_name()));
            let description = match step {
                Step::Echo { message } => Some(self.interpolate(message)),
                Step::Sh { script } => Some(self.expand(&script.value)),
                Step::Error { message } => Some(self.interpolate(message)),
                Step::Sleep { millis } => Some(format!("{}", millis / 1000)),
                Step::ArchiveArtifacts { patterns, .. } => Some(patterns.join(",")),
                Step::Other { description, .. } if !description.is_empty() => {
                    Some(description.clone())
                }
                _ => None,
            };
            let id = self.begin_step(node, step, description);
            let at = Some((node, id.as_str()));
            let outcome = match step {
                Step::Echo { message } => {
                    self.log(at, &self.interpolate(message));
                    self.wait(ECHO_MS).await.err().unwrap_or(Outcome::Ok)
                }
                Step::Sh { script } => self.run_sh(&self.expand(&script.value), at, shell).await,
                Step::Sleep { millis } => {
                    self.log(at, &format!("Sleeping for {} sec", millis / 1000));
                    self.wait(*millis).await.err().unwrap_or(Outcome::Ok)
                }
                Step::Error { message } => Outcome::Fail(self.interpolate(message)),
                Step::ArchiveArtifacts {
                    patterns,
                    allow_empty,
                } => {
                    self.log(at, "Archiving artifacts");
                    match self.archive(patterns, *allow_empty, at, &shell.cwd) {
                        Ok(()) => self.wait(ARCHIVE_MS).await.err().unwrap_or(Outcome::Ok),
                        Err(o) => o,
                    }
                }
                Step::Input(spec) => self.run_input(spec, node, &id).await,
                Step::Timeout { millis, body } => {
                    self.log(
                        None,
                        &format!("Timeout set to expire in {}", human_duration(*millis)),
                    );
                    self.log(None, "[Pipeline] {");
                    let run = self.run_steps(body, node, unstable, shell);
                    let o = match tokio::time::timeout(self.shared.clock.real(*millis), run).await {
                        Ok(o) => o,
                        Err(_) => {
                            self.log(None, "Cancelling nested steps due to timeout");
                            self.log(None, "Timeout has been exceeded");
                            Outcome::Abort("Timeout has been exceeded".into())
                        }
                    };
                    self.log(None, "[Pipeline] }");
                    self.log(None, "[Pipeline] // timeout");
                    o
                }
                Step::Retry { count, body } => {
                    let mut o = Outcome::Ok;
                    for attempt in 1..=(*count).max(1) {
                        self.log(None, "[Pipeline] {");
                        o = self.run_steps(body, node, unstable, shell).await;
                        self.log(None, "[Pipeline] }");
                        match &o {
                            Outcome::Fail(msg) if attempt < *count => {
                                self.log(None, &format!("ERROR: {msg}"));
                                self.log(None, "Retrying");
                            }
                            _ => break,
                        }
                    }
                    self.log(None, "[Pipeline] // retry");
                    o
                }
                Step::Block { name, arg, body } => {
                    let inner = match self.container(name, arg.as_deref(), shell) {
                        Ok(inner) => inner,
                        Err(o) => {
                            self.end_step(node, &id, &o);
                            return o;
                        }
                    };
                    let shell = inner.as_ref().unwrap_or(shell);
                    self.log(None, "[Pipeline] {");
                    let o = self.run_steps(body, node, unstable, shell).await;
                    self.log(None, "[Pipeline] }");
                    self.log(None, &format!("[Pipeline] // {name}"));
                    o
                }
                Step::If { .. } => Outcome::Ok,
                Step::Other { name, description } => {
                    if name == "writeFile" {
                        if let Some(sh) = &shell.shell {
                            let dir = self.workspace_dir(sh);
                            self.lock_workspace()
                                .add_file(description, &dir, &shell.cwd);
                        }
                    }
                    if name == "unstable" {
                        *unstable = true;
                        self.log(at, "WARNING: unstable");
                    }
                    self.wait(OTHER_STEP_MS).await.err().unwrap_or(Outcome::Ok)
                }
            };
            self.end_step(node, &id, &outcome);
            outcome
        })
    }

    fn lock_workspace(&self) -> std::sync::MutexGuard<'_, Workspace> {
        self.workspace.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Blocks that change where steps run: `container('x')` on a pod agent (the Kubernetes
    /// plugin's error when the pod has no such container) and `dir('sub')`. `None` keeps it.
    fn container(
        &self,
        block: &str,
        arg: Option<&str>,
        here: &Place,
    ) -> Result<Option<Place>, Outcome> {
        match (block, arg, &here.shell) {
            ("dir", Some(sub), _) => Ok(Some(Place {
                shell: here.shell.clone(),
                cwd: if sub.starts_with('/') || here.cwd.is_empty() {
                    sub.trim_end_matches('/').to_string()
                } else {
                    format!("{}/{}", here.cwd, sub.trim_end_matches('/'))
                },
            })),
            ("container", Some(name), Some(Shell::Pod { label, .. })) => {
                if !Shell::containers(label).contains(&name) {
                    return Err(Outcome::Fail(format!(
                        "container [{name}] does not exist in pod [{}]",
                        pod_name(label, &self.key)
                    )));
                }
                Ok(Some(Place {
                    shell: Some(Shell::Pod {
                        label: label.clone(),
                        container: name.to_string(),
                    }),
                    cwd: here.cwd.clone(),
                }))
            }
            _ => Ok(None),
        }
    }

    async fn run_sh(&self, script: &str, at: Option<(&str, &str)>, here: &Place) -> Outcome {
        let Some(shell) = &here.shell else {
            return Outcome::Fail(NO_NODE.into());
        };
        let dir = self.workspace_dir(shell);
        let script_path = format!(
            "{dir}@tmp/durable-{:08x}/script.sh",
            content_hash(format!("{}#{}#{script}", self.key.0.job_name(), self.key.1).as_bytes())
                as u32
        );
        let cx = ShellContext {
            shell,
            dir: &dir,
            cwd: &here.cwd,
            script_path: &script_path,
            job_name: &self.key.0.pipeline,
        };
        for (number, raw) in script.lines().enumerate() {
            let line = raw.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            self.log(at, &format!("+ {line}"));
            let ran = self.lock_workspace().run_line(line, number + 1, &cx);
            if let Err(failure) = ran {
                for out in &failure.output {
                    self.log(at, out);
                }
                return Outcome::Fail(format!("script returned exit code {}", failure.code));
            }
            let mut words = line.split_whitespace();
            let cmd = words.next().unwrap_or("");
            match cmd {
                "exit" => {
                    let code: i32 = words.next().and_then(|c| c.parse().ok()).unwrap_or(0);
                    if code != 0 {
                        return Outcome::Fail(format!("script returned exit code {code}"));
                    }
                    return Outcome::Ok;
                }
                "false" => return Outcome::Fail("script returned exit code 1".into()),
                "echo" if !line.contains('>') => {
                    let text = line[4..].trim();
                    let text = text.trim_matches(|c| c == '"' || c == '\'');
                    self.log(at, text);
                }
                "sleep" => {
                    let secs: f64 = words.next().and_then(|c| c.parse().ok()).unwrap_or(1.0);
                    if let Err(o) = self.wait((secs * 1000.0) as u64).await {
                        return o;
                    }
                    continue;
                }
                _ => {}
            }
            if let Err(o) = self.wait(SH_LINE_MS).await {
                return o;
            }
        }
        Outcome::Ok
    }

    /// Archives the workspace files the patterns match; none is Jenkins' configuration error
    /// unless `allowEmptyArchive`.
    fn archive(
        &self,
        patterns: &[String],
        allow_empty: bool,
        at: Option<(&str, &str)>,
        cwd: &str,
    ) -> Result<(), Outcome> {
        let job = self.key.0.clone();
        let id = self.key.1;
        let pattern = patterns.join(",");
        let files = self.lock_workspace().matching(&pattern, cwd);
        if files.is_empty() {
            let message =
                format!("No artifacts found that match the file pattern \"{pattern}\". Configuration error?");
            if allow_empty {
                self.log(at, &message);
                return Ok(());
            }
            // The build log gets the ERROR line when the build ends; the step shows it now.
            if let Some((node, step)) = at {
                let line = format!("ERROR: {message}");
                self.with_build(|b| {
                    if let Some(s) = b.step_mut(node, step) {
                        s.log.push_str(&line);
                        s.log.push('\n');
                    }
                });
            }
            return Err(Outcome::Fail(message));
        }
        self.with_build(|b| {
            for path in files {
                if b.artifacts.iter().any(|a| a.path == path) {
                    continue;
                }
                let content = artifact_content(&job, id, &path);
                b.artifacts.push(Artifact { path, content });
            }
        });
        Ok(())
    }

    async fn run_input(&self, spec: &InputSpec, node: &str, step: &str) -> Outcome {
        let at = Some((node, step));
        let input_id = spec
            .id
            .clone()
            .unwrap_or_else(|| default_input_id(&spec.message));
        let ok = spec.ok.clone().unwrap_or_else(|| "Proceed".into());
        self.log(at, &spec.message);
        self.log(at, &format!("{ok} or Abort"));
        let (tx, rx) = oneshot::channel();
        {
            let mut w = self.shared.world();
            w.inputs.insert((self.key.clone(), step.to_string()), tx);
            if let Some(b) = w.build_mut(&self.key) {
                b.state = RunState::Paused;
                if let Some(n) = b.node_mut(node) {
                    n.state = Some(RunState::Paused);
                }
                if let Some(s) = b.step_mut(node, step) {
                    s.state = Some(RunState::Paused);
                    s.input = Some(InputRecord {
                        id: input_id,
                        message: spec.message.clone(),
                        ok,
                        submitter: spec.submitter.clone(),
                        parameters: spec.parameters.clone(),
                    });
                }
            }
        }
        let mut abort = self.abort.clone();
        let decision = tokio::select! {
            d = rx => d.ok(),
            _ = abort.changed() => None,
            _ = self.shared.shutdown_signal() => None,
        };
        let outcome = match decision {
            Some(InputDecision::Proceed { user, .. }) => {
                self.log(at, &format!("Approved by {user}"));
                Outcome::Ok
            }
            Some(InputDecision::Abort { user }) => {
                self.log(at, &format!("Rejected by {user}"));
                Outcome::Abort(String::new())
            }
            None => {
                let who = abort.borrow().clone().unwrap_or_default();
                Outcome::Abort(who)
            }
        };
        let mut w = self.shared.world();
        w.inputs.remove(&(self.key.clone(), step.to_string()));
        if let Some(b) = w.build_mut(&self.key) {
            if b.state == RunState::Paused {
                let still_paused = b
                    .nodes
                    .iter()
                    .flat_map(|n| &n.steps)
                    .any(|s| s.id != step && s.state == Some(RunState::Paused));
                if !still_paused {
                    b.state = RunState::Running;
                }
            }
            if let Some(n) = b.node_mut(node) {
                n.state = Some(RunState::Running);
            }
        }
        outcome
    }
}

/// A job's branch segment is the branch name percent-encoded (`feature%2Flogin`).
fn decode_branch(name: &str) -> String {
    percent_encoding::percent_decode_str(name)
        .decode_utf8_lossy()
        .into_owned()
}

/// Jenkins' default input id is derived from the message; this keeps its form (a capital
/// letter then 31 hex digits) with a deterministic hash.
pub fn default_input_id(message: &str) -> String {
    let a = content_hash(message.as_bytes());
    let b = content_hash(format!("{message}\u{0}").as_bytes());
    let hex = format!("{a:016x}{b:016x}");
    let mut chars = hex.chars();
    let first = chars.next().unwrap_or('0').to_ascii_uppercase();
    format!("{first}{}", chars.as_str())
}

/// Deterministic artifact bytes: a readable header, then filler derived from the names.
pub fn artifact_content(job: &JobPath, build: u32, path: &str) -> Vec<u8> {
    let header = format!(
        "ksdevops-sim artifact\npath: {path}\njob: {}/{}{}\nbuild: {build}\n",
        job.namespace,
        job.pipeline,
        job.branch
            .as_ref()
            .map(|b| format!("/{b}"))
            .unwrap_or_default()
    );
    let seed = content_hash(header.as_bytes());
    let mut rng = fastrand::Rng::with_seed(seed);
    let size = 1024 + rng.usize(..3072);
    let mut out = header.into_bytes();
    while out.len() < size {
        out.extend_from_slice(&rng.u64(..).to_le_bytes());
    }
    out.truncate(size);
    out
}

/// A Kubernetes-style agent pod name (`go-x7k2q`), stable for a build.
fn pod_name(template: &str, key: &BuildKey) -> String {
    let mut n =
        content_hash(format!("{}/{}#{}", key.0.namespace, key.0.job_name(), key.1).as_bytes());
    let suffix: String = (0..5)
        .map(|_| {
            let radix = NAME_SUFFIX_ALPHABET.len() as u64;
            let c = char::from(NAME_SUFFIX_ALPHABET[(n % radix) as usize]);
            n /= radix;
            c
        })
        .collect();
    format!("{template}-{suffix}")
}

fn human_duration(ms: u64) -> String {
    let secs = ms / 1000;
    if secs >= 60 && secs % 60 == 0 {
        format!("{} min", secs / 60)
    } else {
        format!("{secs} sec")
    }
}

/// Jenkins keeps a step's string argument only up to this many UTF-16 units
/// (`ArgumentsActionImpl`); a longer one is not stored, and the step has no description.
const MAX_KEPT_ARGUMENT: usize = 1024;

fn kept_as_argument(text: &str) -> bool {
    text.encode_utf16().nth(MAX_KEPT_ARGUMENT).is_none()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn input_ids_look_like_jenkins_ids() {
        let id = default_input_id("Deploy to production?");
        assert_eq!(id.len(), 32);
        assert!(
            id.chars().next().unwrap().is_ascii_uppercase()
                || id.chars().next().unwrap().is_ascii_digit()
        );
        assert_eq!(id, default_input_id("Deploy to production?"));
        assert_ne!(id, default_input_id("Deploy?"));
    }

    #[test]
    fn artifact_content_is_deterministic() {
        let job = JobPath {
            namespace: "ns".into(),
            pipeline: "p".into(),
            branch: None,
        };
        let a = artifact_content(&job, 1, "service");
        assert_eq!(a, artifact_content(&job, 1, "service"));
        assert_ne!(a, artifact_content(&job, 2, "service"));
        assert!(a.starts_with(b"ksdevops-sim artifact\npath: service\n"));
    }

    #[test]
    fn branch_names_decode() {
        assert_eq!(decode_branch("feature%2Flogin"), "feature/login");
        assert_eq!(decode_branch("main"), "main");
    }
}
