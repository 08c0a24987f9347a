//! The simulator's state: what kube-apiserver would store (DevOps projects, Pipelines,
//! credentials, PipelineRuns) next to what Jenkins would hold (jobs and builds), behind one
//! mutex shared by the HTTP handlers and the background controllers.

use crate::ids;
use crate::jenkins::{Job, JobPath};
use crate::scenario::{Scenario, ScenarioBranch};
use base64::Engine;
use ksdevops::api::GROUP;
use ksdevops::model::annotations::{self, sync_status};
use ksdevops::model::Timestamp;
use ksdevops::model::{CredentialKind, PipelineType};
use ksdevops::Secret;
use serde_json::{json, Map, Value};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use tokio::sync::{broadcast, oneshot, watch};

/// Simulator-only: a Pipeline carrying this annotation fails to sync, with its value as the
/// message (see `ScenarioPipeline::sync_error`).
pub const ANNO_SIM_SYNC_ERROR: &str = "ksdevops-sim/sync-error";

const MULTI_BRANCH: PipelineType = PipelineType::MultiBranchPipeline;

/// What went wrong in the store, in kube-apiserver's terms; each route family maps it to
/// its own status codes and bodies.
#[derive(Debug, Clone, PartialEq)]
pub enum StoreError {
    /// `pipelines.devops.kubesphere.io "x" not found`.
    NotFound {
        resource: String,
        name: String,
    },
    AlreadyExists {
        resource: String,
        name: String,
    },
    /// `Pipeline.devops.kubesphere.io "x" is invalid: spec.type: Required value`.
    Invalid {
        kind: String,
        name: String,
        field: String,
        reason: String,
    },
    /// A plain message (the handler's own checks).
    BadRequest(String),
    Internal(String),
}

impl StoreError {
    pub fn not_found(resource: &str, name: &str) -> Self {
        StoreError::NotFound {
            resource: resource.to_string(),
            name: name.to_string(),
        }
    }

    pub fn invalid(kind: &str, name: &str, field: &str, reason: impl Into<String>) -> Self {
        StoreError::Invalid {
            kind: kind.to_string(),
            name: name.to_string(),
            field: field.to_string(),
            reason: reason.into(),
        }
    }

    pub fn message(&self) -> String {
        match self {
            StoreError::NotFound { resource, name } => format!("{resource} \"{name}\" not found"),
            StoreError::AlreadyExists { resource, name } => {
                format!("{resource} \"{name}\" already exists")
            }
            StoreError::Invalid {
                kind,
                name,
                field,
                reason,
            } => format!("{kind} \"{name}\" is invalid: {field}: {reason}"),
            StoreError::BadRequest(m) | StoreError::Internal(m) => m.clone(),
        }
    }

    pub fn reason(&self) -> &'static str {
        match self {
            StoreError::NotFound { .. } => "NotFound",
            StoreError::AlreadyExists { .. } => "AlreadyExists",
            StoreError::Invalid { .. } => "Invalid",
            StoreError::BadRequest(_) => "BadRequest",
            StoreError::Internal(_) => "InternalError",
        }
    }

    /// The code kube-apiserver would answer with.
    pub fn k8s_code(&self) -> u16 {
        match self {
            StoreError::NotFound { .. } => 404,
            StoreError::AlreadyExists { .. } => 409,
            StoreError::Invalid { .. } => 422,
            StoreError::BadRequest(_) => 400,
            StoreError::Internal(_) => 500,
        }
    }
}

pub type StoreResult<T> = Result<T, StoreError>;

#[derive(Debug, Clone)]
pub struct User {
    pub name: String,
    pub password: Secret,
    pub admin: bool,
    pub projects: BTreeSet<String>,
}

#[derive(Debug, Clone)]
pub struct Token {
    pub user: String,
    pub expires_ms: i64,
}

#[derive(Debug, Clone)]
pub struct PipelineEntry {
    pub cr: Value,
    pub job: Option<Job>,
    pub created_ms: i64,
    /// Branches from the scenario for non-`file://` multi-branch sources.
    pub scenario_branches: Vec<ScenarioBranch>,
    /// Why the pipeline controller cannot create the Jenkins job (scenario `sync_error`).
    pub sync_error: Option<String>,
}

#[derive(Debug, Clone)]
pub struct RunEntry {
    pub cr: Value,
    /// What the controller last copied from Jenkins (the ConfigMap data store).
    pub status_json: Option<Value>,
    pub stages_json: Option<Value>,
    pub created_ms: i64,
    pub last_sync_ms: i64,
}

/// What a new PipelineRun is made from.
#[derive(Debug, Clone)]
pub struct NewRun {
    pub pipeline: String,
    pub parameters: Vec<(String, String)>,
    /// `{refName, refType}` for multi-branch pipelines.
    pub scm: Option<Value>,
    pub creator: String,
    /// Set from the start when Jenkins made the build (the Jenkins event webhook).
    pub run_id: Option<u32>,
}

/// A change to a PipelineRun, as the Kubernetes watch API streams it.
#[derive(Debug, Clone)]
pub struct WatchEvent {
    pub kind: &'static str,
    pub namespace: String,
    pub object: Value,
}

/// An answer to a paused `input` step.
#[derive(Debug)]
pub enum InputDecision {
    Proceed {
        user: String,
        parameters: Vec<(String, String)>,
    },
    Abort {
        user: String,
    },
}

pub type BuildKey = (JobPath, u32);

pub struct World {
    pub users: BTreeMap<String, User>,
    pub oauth_clients: BTreeMap<String, Secret>,
    pub token_ttl_ms: i64,
    pub tokens: HashMap<String, Token>,
    pub refresh_tokens: HashMap<String, String>,
    pub workspaces: BTreeSet<String>,
    pub projects: BTreeMap<String, Value>,
    pub pipelines: BTreeMap<(String, String), PipelineEntry>,
    pub credentials: BTreeMap<(String, String), Value>,
    /// GitRepository resources by (namespace, name).
    pub git_repositories: BTreeMap<(String, String), Value>,
    pub runs: BTreeMap<(String, String), RunEntry>,
    pub resource_version: u64,
    pub rng: fastrand::Rng,
    pub events: broadcast::Sender<WatchEvent>,
    /// Paused input steps waiting for an answer, by (build, step id).
    pub inputs: HashMap<(BuildKey, String), oneshot::Sender<InputDecision>>,
    /// Abort switches of running builds.
    pub aborts: HashMap<BuildKey, watch::Sender<Option<String>>>,
    /// Jenkins' "prepare for shutdown" (`quietDown`): no build leaves the queue.
    pub quieting_down: bool,
}

pub fn meta<'a>(obj: &'a Value, key: &str) -> Option<&'a str> {
    obj.get("metadata")?.get(key)?.as_str()
}

pub fn annotation<'a>(obj: &'a Value, key: &str) -> Option<&'a str> {
    obj.get("metadata")?.get("annotations")?.get(key)?.as_str()
}

pub fn set_annotation(obj: &mut Value, key: &str, value: &str) {
    let md = obj
        .as_object_mut()
        .expect("objects are JSON objects")
        .entry("metadata")
        .or_insert_with(|| json!({}));
    let annos = md
        .as_object_mut()
        .expect("metadata is an object")
        .entry("annotations")
        .or_insert_with(|| json!({}));
    if !annos.is_object() {
        *annos = json!({});
    }
    annos[key] = json!(value);
}

pub fn remove_annotation(obj: &mut Value, key: &str) {
    if let Some(a) = obj
        .get_mut("metadata")
        .and_then(|m| m.get_mut("annotations"))
        .and_then(Value::as_object_mut)
    {
        a.remove(key);
    }
}

/// Whether a Pipeline object is a multi-branch one.
pub fn is_multi_branch(pipeline: &Value) -> bool {
    pipeline.pointer("/spec/type").and_then(Value::as_str) == Some(MULTI_BRANCH.as_str())
}

/// The branch a PipelineRun of a multi-branch pipeline runs (`spec.scm.refName`); `None`
/// for a run of a regular pipeline.
pub fn run_branch(run: &Value) -> Option<String> {
    if run
        .pointer("/spec/pipelineSpec/type")
        .and_then(Value::as_str)
        != Some(MULTI_BRANCH.as_str())
    {
        return None;
    }
    run.pointer("/spec/scm/refName")
        .and_then(Value::as_str)
        .map(str::to_string)
}

pub fn label<'a>(obj: &'a Value, key: &str) -> Option<&'a str> {
    obj.get("metadata")?.get("labels")?.get(key)?.as_str()
}

impl World {
    pub fn new(seed: u64) -> Self {
        let (events, _) = broadcast::channel(1024);
        World {
            users: BTreeMap::new(),
            oauth_clients: BTreeMap::new(),
            token_ttl_ms: 7_200_000,
            tokens: HashMap::new(),
            refresh_tokens: HashMap::new(),
            workspaces: BTreeSet::new(),
            projects: BTreeMap::new(),
            pipelines: BTreeMap::new(),
            credentials: BTreeMap::new(),
            git_repositories: BTreeMap::new(),
            runs: BTreeMap::new(),
            resource_version: 1000,
            rng: fastrand::Rng::with_seed(seed),
            events,
            inputs: HashMap::new(),
            aborts: HashMap::new(),
            quieting_down: false,
        }
    }

    /// Loads a scenario: every object goes through the same checks as an API request.
    pub fn load(&mut self, scenario: &Scenario, now_ms: i64) -> Result<(), String> {
        self.token_ttl_ms = scenario.token_ttl_seconds as i64 * 1000;
        for ws in &scenario.workspaces {
            self.workspaces.insert(ws.clone());
        }
        for u in &scenario.users {
            self.users.insert(
                u.name.clone(),
                User {
                    name: u.name.clone(),
                    password: u.password.clone(),
                    admin: u.admin,
                    projects: u.projects.iter().cloned().collect(),
                },
            );
        }
        for c in &scenario.oauth_clients {
            self.oauth_clients.insert(c.id.clone(), c.secret.clone());
        }
        for p in &scenario.projects {
            self.workspaces.insert(p.workspace.clone());
            let body = json!({"metadata": {"name": p.name, "annotations": p.creator.as_ref().map(|c| json!({annotations::CREATOR: c})).unwrap_or(json!({}))}});
            self.create_project(&p.workspace, body, now_ms)
                .map_err(|e| format!("scenario project {}: {}", p.name, e.message()))?;
        }
        for c in &scenario.credentials {
            let ns = meta(c, "namespace")
                .ok_or("scenario credential: metadata.namespace is required")?
                .to_string();
            self.create_credential(&ns, c.clone(), now_ms)
                .map_err(|e| format!("scenario credential: {}", e.message()))?;
        }
        for p in &scenario.pipelines {
            let ns = meta(&p.resource, "namespace")
                .ok_or("scenario pipeline: metadata.namespace is required")?
                .to_string();
            let created = self
                .create_pipeline(&ns, p.resource.clone(), now_ms)
                .map_err(|e| format!("scenario pipeline: {}", e.message()))?;
            let name = meta(&created, "name").unwrap_or_default().to_string();
            if let Some(entry) = self.pipelines.get_mut(&(ns, name)) {
                entry.scenario_branches = p.branches.clone();
                entry.sync_error = p.sync_error.clone();
            }
        }
        Ok(())
    }

    pub fn next_rv(&mut self) -> String {
        self.resource_version += 1;
        self.resource_version.to_string()
    }

    /// Fills the server-side metadata of a new object: name (from `generateName`), namespace,
    /// uid, resourceVersion, generation and creationTimestamp.
    fn admit_metadata(
        &mut self,
        obj: &mut Value,
        kind: &str,
        namespace: Option<&str>,
        now_ms: i64,
    ) -> StoreResult<String> {
        if !obj.is_object() {
            return Err(StoreError::BadRequest(format!(
                "the body of a {kind} must be a JSON object"
            )));
        }
        let md = obj
            .as_object_mut()
            .expect("checked above")
            .entry("metadata")
            .or_insert_with(|| json!({}));
        if !md.is_object() {
            return Err(StoreError::invalid(
                kind,
                "",
                "metadata",
                "must be an object",
            ));
        }
        let name = match md
            .get("name")
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
        {
            Some(n) => n.to_string(),
            None => match md.get("generateName").and_then(Value::as_str) {
                Some(prefix) if !prefix.is_empty() => {
                    format!("{prefix}{}", ids::name_suffix(&mut self.rng))
                }
                _ => {
                    return Err(StoreError::invalid(
                        kind,
                        "",
                        "metadata.name",
                        "Required value: name or generateName is required",
                    ))
                }
            },
        };
        if !ksdevops::api::is_dns_subdomain(&name) {
            return Err(StoreError::invalid(
                kind,
                &name,
                "metadata.name",
                format!("Invalid value: \"{name}\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character"),
            ));
        }
        let rv = self.next_rv();
        let uid = ids::uid(&mut self.rng);
        let md = obj["metadata"].as_object_mut().expect("checked above");
        md.insert("name".into(), json!(name));
        if let Some(ns) = namespace {
            md.insert("namespace".into(), json!(ns));
        }
        md.insert("uid".into(), json!(uid));
        md.insert("resourceVersion".into(), json!(rv));
        md.insert("generation".into(), json!(1));
        md.insert(
            "creationTimestamp".into(),
            json!(Timestamp::kubernetes_from_epoch_millis(now_ms)),
        );
        md.remove("deletionTimestamp");
        Ok(name)
    }

    // ----- DevOps projects -----

    pub fn create_project(
        &mut self,
        workspace: &str,
        mut body: Value,
        now_ms: i64,
    ) -> StoreResult<Value> {
        if let Some(name) = meta(&body, "name") {
            if self.projects.contains_key(name) {
                return Err(StoreError::AlreadyExists {
                    resource: format!("devopsprojects.{GROUP}"),
                    name: name.into(),
                });
            }
        }
        let name = self.admit_metadata(&mut body, "DevOpsProject", None, now_ms)?;
        if self.projects.contains_key(&name) {
            return Err(StoreError::AlreadyExists {
                resource: format!("devopsprojects.{GROUP}"),
                name,
            });
        }
        self.workspaces.insert(workspace.to_string());
        let md = body["metadata"].as_object_mut().expect("admitted");
        let labels = md.entry("labels").or_insert_with(|| json!({}));
        labels[annotations::WORKSPACE_LABEL] = json!(workspace);
        md.insert(
            "finalizers".into(),
            json!([annotations::DEVOPSPROJECT_FINALIZER]),
        );
        body["apiVersion"] = json!(ksdevops::model::API_VERSION);
        body["kind"] = json!("DevOpsProject");
        if body.get("spec").is_none() {
            body["spec"] = json!({});
        }
        body["status"] = json!({"adminNamespace": name});
        self.projects.insert(name, body.clone());
        Ok(body)
    }

    pub fn project_workspace(&self, name: &str) -> Option<&str> {
        self.projects
            .get(name)
            .and_then(|p| label(p, annotations::WORKSPACE_LABEL))
    }

    pub fn delete_project(&mut self, name: &str) -> StoreResult<()> {
        if self.projects.remove(name).is_none() {
            return Err(StoreError::not_found(
                &format!("devopsprojects.{GROUP}"),
                name,
            ));
        }
        self.pipelines.retain(|(ns, _), _| ns != name);
        self.credentials.retain(|(ns, _), _| ns != name);
        let gone: Vec<_> = self
            .runs
            .keys()
            .filter(|(ns, _)| ns == name)
            .cloned()
            .collect();
        for key in gone {
            self.remove_run(&key.0, &key.1);
        }
        Ok(())
    }

    fn require_namespace(&self, ns: &str) -> StoreResult<()> {
        if self.projects.contains_key(ns) {
            Ok(())
        } else {
            Err(StoreError::not_found("namespaces", ns))
        }
    }

    // ----- Pipelines -----

    pub fn create_pipeline(
        &mut self,
        ns: &str,
        mut body: Value,
        now_ms: i64,
    ) -> StoreResult<Value> {
        self.require_namespace(ns)?;
        let name_hint = meta(&body, "name").unwrap_or_default().to_string();
        validate_pipeline_spec(&body, &name_hint)?;
        if !name_hint.is_empty()
            && self
                .pipelines
                .contains_key(&(ns.to_string(), name_hint.clone()))
        {
            return Err(StoreError::AlreadyExists {
                resource: format!("pipelines.{GROUP}"),
                name: name_hint,
            });
        }
        let name = self.admit_metadata(&mut body, "Pipeline", Some(ns), now_ms)?;
        if let Some(obj) = body.as_object_mut() {
            // Read back through a clientset that clears the GVK (reference §2.7).
            obj.remove("apiVersion");
            obj.remove("kind");
            obj.insert("status".into(), json!({}));
        }
        self.pipelines.insert(
            (ns.to_string(), name),
            PipelineEntry {
                cr: body.clone(),
                job: None,
                created_ms: now_ms,
                scenario_branches: Vec::new(),
                sync_error: None,
            },
        );
        Ok(body)
    }

    pub fn pipeline(&self, ns: &str, name: &str) -> StoreResult<&PipelineEntry> {
        self.pipelines
            .get(&(ns.to_string(), name.to_string()))
            .ok_or_else(|| StoreError::not_found(&format!("pipelines.{GROUP}"), name))
    }

    pub fn pipeline_mut(&mut self, ns: &str, name: &str) -> StoreResult<&mut PipelineEntry> {
        self.pipelines
            .get_mut(&(ns.to_string(), name.to_string()))
            .ok_or_else(|| StoreError::not_found(&format!("pipelines.{GROUP}"), name))
    }

    /// PUT: stores the body, except that the Jenkinsfile and resourceVersion are the
    /// server's (reference #4).
    pub fn update_pipeline(&mut self, ns: &str, name: &str, mut body: Value) -> StoreResult<Value> {
        validate_pipeline_spec(&body, name)?;
        let rv = self.next_rv();
        let entry = self.pipeline_mut(ns, name)?;
        let stored_jf = entry.cr.pointer("/spec/pipeline/jenkinsfile").cloned();
        if !body.is_object() {
            return Err(StoreError::BadRequest(
                "the body must be a JSON object".into(),
            ));
        }
        let old_md = entry.cr["metadata"].clone();
        let md = body
            .as_object_mut()
            .expect("checked")
            .entry("metadata")
            .or_insert_with(|| json!({}));
        for key in [
            "name",
            "namespace",
            "uid",
            "creationTimestamp",
            "generation",
        ] {
            if let Some(v) = old_md.get(key) {
                md[key] = v.clone();
            }
        }
        md["resourceVersion"] = json!(rv);
        if let Some(pipeline) = body.pointer_mut("/spec/pipeline") {
            match stored_jf {
                Some(jf) => pipeline["jenkinsfile"] = jf,
                None => {
                    if let Some(o) = pipeline.as_object_mut() {
                        o.remove("jenkinsfile");
                    }
                }
            }
        }
        if let Some(obj) = body.as_object_mut() {
            obj.remove("apiVersion");
            obj.remove("kind");
            obj.entry("status").or_insert_with(|| json!({}));
        }
        entry.cr = body.clone();
        Ok(body)
    }

    pub fn delete_pipeline(&mut self, ns: &str, name: &str) -> StoreResult<()> {
        self.pipeline(ns, name)?;
        self.pipelines.remove(&(ns.to_string(), name.to_string()));
        // Owner references: the garbage collector removes the pipeline's runs.
        let owned: Vec<_> = self
            .runs
            .iter()
            .filter(|((rns, _), r)| {
                rns == ns && label(&r.cr, annotations::PIPELINE_NAME_LABEL) == Some(name)
            })
            .map(|(k, _)| k.clone())
            .collect();
        for (rns, rname) in owned {
            self.remove_run(&rns, &rname);
        }
        Ok(())
    }

    // ----- Credentials -----

    pub fn create_credential(
        &mut self,
        ns: &str,
        mut body: Value,
        now_ms: i64,
    ) -> StoreResult<Value> {
        self.require_namespace(ns)?;
        if let Some(name) = meta(&body, "name") {
            if self
                .credentials
                .contains_key(&(ns.to_string(), name.to_string()))
            {
                return Err(StoreError::AlreadyExists {
                    resource: "secrets".into(),
                    name: name.into(),
                });
            }
        }
        normalize_secret_data(&mut body)?;
        let name = self.admit_metadata(&mut body, "Secret", Some(ns), now_ms)?;
        set_annotation(&mut body, annotations::CREDENTIAL_AUTOSYNC, "true");
        set_annotation(
            &mut body,
            annotations::CREDENTIAL_SYNC_STATUS,
            sync_status::PENDING,
        );
        set_annotation(
            &mut body,
            annotations::CREDENTIAL_SYNC_TIME,
            Timestamp::kubernetes_from_epoch_millis(now_ms).as_str(),
        );
        if let Some(obj) = body.as_object_mut() {
            obj.remove("apiVersion");
            obj.remove("kind");
        }
        self.credentials
            .insert((ns.to_string(), name), body.clone());
        Ok(mask_secret(&body))
    }

    pub fn update_credential(
        &mut self,
        ns: &str,
        name: &str,
        mut body: Value,
    ) -> StoreResult<Value> {
        normalize_secret_data(&mut body)?;
        let rv = self.next_rv();
        let stored = self
            .credentials
            .get_mut(&(ns.to_string(), name.to_string()))
            .ok_or_else(|| StoreError::not_found("secrets", name))?;
        let old_md = stored["metadata"].clone();
        let md = body
            .as_object_mut()
            .expect("normalized")
            .entry("metadata")
            .or_insert_with(|| json!({}));
        for key in ["name", "namespace", "uid", "creationTimestamp"] {
            if let Some(v) = old_md.get(key) {
                md[key] = v.clone();
            }
        }
        md["resourceVersion"] = json!(rv);
        if let Some(obj) = body.as_object_mut() {
            obj.remove("apiVersion");
            obj.remove("kind");
        }
        *stored = body.clone();
        Ok(mask_secret(&body))
    }

    // ----- PipelineRuns -----

    /// Creates a PipelineRun the way `CreateBarePipelineRun` does (reference §5.1).
    pub fn create_bare_run(&mut self, ns: &str, run: NewRun, now_ms: i64) -> StoreResult<Value> {
        let NewRun {
            pipeline,
            parameters,
            scm,
            creator,
            run_id,
        } = run;
        let pipeline = pipeline.as_str();
        let p = self.pipeline(ns, pipeline)?;
        let spec = p.cr.get("spec").cloned().unwrap_or(json!({}));
        let owner_uid = meta(&p.cr, "uid").unwrap_or_default().to_string();
        let mut spec_out = json!({
            "pipelineRef": {"kind": "Pipeline", "name": pipeline, "namespace": ns},
            "pipelineSpec": spec,
        });
        if !parameters.is_empty() {
            spec_out["parameters"] = Value::Array(
                parameters
                    .iter()
                    .map(|(n, v)| json!({"name": n, "value": v}))
                    .collect(),
            );
        }
        if let Some(scm) = scm {
            spec_out["scm"] = scm;
        }
        let mut annotations = Map::new();
        annotations.insert(annotations::PIPELINERUN_CREATOR.into(), json!(creator));
        if let Some(id) = run_id {
            annotations.insert(annotations::PIPELINERUN_ID.into(), json!(id.to_string()));
        }
        let body = json!({
            "apiVersion": ksdevops::model::API_VERSION,
            "kind": "PipelineRun",
            "metadata": {
                "generateName": format!("{pipeline}-"),
                "labels": {annotations::PIPELINE_NAME_LABEL: pipeline},
                "annotations": annotations,
                "ownerReferences": [{
                    "apiVersion": ksdevops::model::API_VERSION,
                    "kind": "Pipeline",
                    "name": pipeline,
                    "uid": owner_uid,
                    "controller": true,
                    "blockOwnerDeletion": true,
                }],
            },
            "spec": spec_out,
        });
        self.insert_run(ns, body, now_ms)
    }

    /// Stores a PipelineRun object (API-made or hand-written) and tells watchers.
    pub fn insert_run(&mut self, ns: &str, mut body: Value, now_ms: i64) -> StoreResult<Value> {
        self.require_namespace(ns)?;
        if let Some(name) = meta(&body, "name") {
            if self.runs.contains_key(&(ns.to_string(), name.to_string())) {
                return Err(StoreError::AlreadyExists {
                    resource: format!("pipelineruns.{GROUP}"),
                    name: name.into(),
                });
            }
        }
        if body.pointer("/spec/pipelineRef").is_none() {
            return Err(StoreError::invalid(
                "PipelineRun",
                meta(&body, "name").unwrap_or_default(),
                "spec.pipelineRef",
                "Required value",
            ));
        }
        let name = self.admit_metadata(&mut body, "PipelineRun", Some(ns), now_ms)?;
        body["apiVersion"] = json!(ksdevops::model::API_VERSION);
        body["kind"] = json!("PipelineRun");
        if let Some(p) = body
            .pointer("/spec/pipelineRef/name")
            .and_then(Value::as_str)
        {
            let p = p.to_string();
            let md = body["metadata"].as_object_mut().expect("admitted");
            let labels = md.entry("labels").or_insert_with(|| json!({}));
            if labels.get(annotations::PIPELINE_NAME_LABEL).is_none() {
                labels[annotations::PIPELINE_NAME_LABEL] = json!(p);
            }
        }
        body.as_object_mut()
            .expect("admitted")
            .entry("status")
            .or_insert_with(|| json!({}));
        self.runs.insert(
            (ns.to_string(), name),
            RunEntry {
                cr: body.clone(),
                status_json: None,
                stages_json: None,
                created_ms: now_ms,
                last_sync_ms: 0,
            },
        );
        self.emit("ADDED", ns, body.clone());
        Ok(body)
    }

    pub fn run(&self, ns: &str, name: &str) -> StoreResult<&RunEntry> {
        self.runs
            .get(&(ns.to_string(), name.to_string()))
            .ok_or_else(|| StoreError::not_found(&format!("pipelineruns.{GROUP}"), name))
    }

    /// Applies `change` to a PipelineRun, bumps its resourceVersion and tells watchers.
    pub fn modify_run(&mut self, ns: &str, name: &str, change: impl FnOnce(&mut RunEntry)) {
        let rv = self.next_rv();
        let Some(entry) = self.runs.get_mut(&(ns.to_string(), name.to_string())) else {
            return;
        };
        change(entry);
        entry.cr["metadata"]["resourceVersion"] = json!(rv);
        let obj = entry.cr.clone();
        self.emit("MODIFIED", ns, obj);
    }

    pub fn remove_run(&mut self, ns: &str, name: &str) -> Option<RunEntry> {
        let entry = self.runs.remove(&(ns.to_string(), name.to_string()))?;
        let rv = self.next_rv();
        let mut obj = entry.cr.clone();
        obj["metadata"]["resourceVersion"] = json!(rv);
        self.emit("DELETED", ns, obj);
        Some(entry)
    }

    pub fn emit(&self, kind: &'static str, ns: &str, object: Value) {
        // No receivers is fine: nobody is watching.
        let _ = self.events.send(WatchEvent {
            kind,
            namespace: ns.to_string(),
            object,
        });
    }

    /// The Jenkins build a PipelineRun points at, once the controller has triggered it.
    pub fn build_key_of_run(&self, entry: &RunEntry) -> Option<BuildKey> {
        let id: u32 = annotation(&entry.cr, annotations::PIPELINERUN_ID)?
            .parse()
            .ok()?;
        let ns = meta(&entry.cr, "namespace")?.to_string();
        let pipeline = label(&entry.cr, annotations::PIPELINE_NAME_LABEL)?.to_string();
        Some((
            JobPath {
                namespace: ns,
                pipeline,
                branch: run_branch(&entry.cr),
            },
            id,
        ))
    }

    pub fn build(&self, key: &BuildKey) -> Option<&crate::jenkins::Build> {
        self.job(&key.0)?
            .builds(key.0.branch.as_deref())?
            .runs
            .get(&key.1)
    }

    pub fn build_mut(&mut self, key: &BuildKey) -> Option<&mut crate::jenkins::Build> {
        self.job_mut(&key.0)?
            .builds_mut(key.0.branch.as_deref())?
            .runs
            .get_mut(&key.1)
    }

    pub fn job(&self, path: &JobPath) -> Option<&Job> {
        self.pipelines
            .get(&(path.namespace.clone(), path.pipeline.clone()))?
            .job
            .as_ref()
    }

    pub fn job_mut(&mut self, path: &JobPath) -> Option<&mut Job> {
        self.pipelines
            .get_mut(&(path.namespace.clone(), path.pipeline.clone()))?
            .job
            .as_mut()
    }

    // ----- Users and tokens -----

    pub fn user_for_token(&self, token: &str, now_ms: i64) -> Option<&User> {
        let t = self.tokens.get(token)?;
        if t.expires_ms <= now_ms {
            return None;
        }
        self.users.get(&t.user)
    }

    pub fn can_access_project(&self, user: &User, ns: &str) -> bool {
        user.admin || user.projects.contains(ns)
    }

    pub fn can_access_workspace(&self, user: &User, ws: &str) -> bool {
        user.admin
            || user
                .projects
                .iter()
                .any(|p| self.project_workspace(p) == Some(ws))
    }
}

fn validate_pipeline_spec(body: &Value, name: &str) -> StoreResult<()> {
    let Some(spec) = body.get("spec") else {
        return Err(StoreError::invalid(
            "Pipeline",
            name,
            "spec",
            "Required value",
        ));
    };
    match spec.get("type").and_then(Value::as_str) {
        None => Err(StoreError::invalid("Pipeline", name, "spec.type", "Required value")),
        Some("pipeline") => {
            if let Some(p) = spec.get("pipeline") {
                if p.get("name").and_then(Value::as_str).is_none() {
                    return Err(StoreError::invalid(
                        "Pipeline",
                        name,
                        "spec.pipeline.name",
                        "Required value",
                    ));
                }
            }
            Ok(())
        }
        Some(t) if t == MULTI_BRANCH.as_str() => {
            let Some(mb) = spec.get("multi_branch_pipeline") else {
                return Ok(());
            };
            for field in ["name", "source_type"] {
                if mb.get(field).and_then(Value::as_str).is_none() {
                    return Err(StoreError::invalid(
                        "Pipeline",
                        name,
                        &format!("spec.multi_branch_pipeline.{field}"),
                        "Required value",
                    ));
                }
            }
            Ok(())
        }
        Some(other) => Err(StoreError::invalid(
            "Pipeline",
            name,
            "spec.type",
            format!("Unsupported value: \"{other}\": supported values: \"pipeline\", \"multi-branch-pipeline\""),
        )),
    }
}

/// Merges `stringData` into base64 `data` and checks `data` is base64, as kube-apiserver does.
fn normalize_secret_data(body: &mut Value) -> StoreResult<()> {
    let name = meta(body, "name").unwrap_or_default().to_string();
    let Some(obj) = body.as_object_mut() else {
        return Err(StoreError::BadRequest(
            "the body of a Secret must be a JSON object".into(),
        ));
    };
    let engine = base64::engine::general_purpose::STANDARD;
    let mut data = match obj.remove("data") {
        Some(Value::Object(m)) => m,
        Some(Value::Null) | None => Map::new(),
        Some(_) => {
            return Err(StoreError::invalid(
                "Secret",
                &name,
                "data",
                "must be an object",
            ))
        }
    };
    for (k, v) in data.iter() {
        let s = v.as_str().unwrap_or("");
        if engine.decode(s).is_err() {
            // Name the key, never the value.
            return Err(StoreError::invalid(
                "Secret",
                &name,
                &format!("data[{k}]"),
                "illegal base64 data",
            ));
        }
    }
    if let Some(Value::Object(sd)) = obj.remove("stringData") {
        for (k, v) in sd {
            data.insert(k, json!(engine.encode(v.as_str().unwrap_or(""))));
        }
    }
    obj.insert("data".into(), Value::Object(data));
    Ok(())
}

/// Empties the secret fields of a DevOps credential (reference §7).
pub fn mask_secret(secret: &Value) -> Value {
    let mut out = secret.clone();
    let masked = secret
        .get("type")
        .and_then(Value::as_str)
        .and_then(CredentialKind::from_secret_type)
        .map_or(&[][..], CredentialKind::masked_keys);
    if let Some(data) = out.get_mut("data").and_then(Value::as_object_mut) {
        for key in masked {
            if data.contains_key(*key) {
                data.insert((*key).to_string(), json!(""));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn world_with_project(name: &str) -> World {
        let mut w = World::new(1);
        w.create_project("demo", json!({"metadata": {"name": name}}), 0)
            .unwrap();
        w
    }

    #[test]
    fn object_names_are_dns_subdomains() {
        let mut w = world_with_project("p");
        for bad in ["Demo", "-x", "a..b", "a.-b", "x/y"] {
            let body = json!({"metadata": {"name": bad}, "type": "credential.devops.kubesphere.io/secret-text"});
            let err = w.create_credential("p", body, 0).unwrap_err();
            assert!(err.message().contains(bad), "{bad}: {}", err.message());
        }
        for good in ["demo-project", "a.b", "v1.2-x"] {
            let body = json!({"metadata": {"name": good}, "type": "credential.devops.kubesphere.io/secret-text"});
            w.create_credential("p", body, 0).unwrap();
        }
    }

    #[test]
    fn secret_string_data_is_encoded_and_masked() {
        let mut w = world_with_project("p");
        let out = w
            .create_credential(
                "p",
                json!({"metadata": {"name": "c"}, "type": "credential.devops.kubesphere.io/basic-auth",
                       "stringData": {"username": "u", "password": "pw"}}),
                0,
            )
            .unwrap();
        assert_eq!(out["data"]["username"], "dQ==");
        assert_eq!(out["data"]["password"], "");
        let stored = &w.credentials[&("p".to_string(), "c".to_string())];
        assert_eq!(stored["data"]["password"], "cHc=");
    }

    #[test]
    fn bad_base64_names_the_key_not_the_value() {
        let mut w = world_with_project("p");
        let err = w
            .create_credential(
                "p",
                json!({"metadata": {"name": "c"}, "type": "credential.devops.kubesphere.io/secret-text",
                       "data": {"secret": "not base64 hunter2!"}}),
                0,
            )
            .unwrap_err();
        let msg = err.message();
        assert!(msg.contains("data[secret]"), "{msg}");
        assert!(!msg.contains("hunter2"), "{msg}");
    }
}
