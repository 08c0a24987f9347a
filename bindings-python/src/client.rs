//! `Client` (blocking) and `AsyncClient` (asyncio): one Python class each over one shared
//! core client. Every operation is written once below; the macro makes it a blocking method
//! (run on the shared runtime, GIL released, Ctrl-C honoured) of `Client` and an awaitable
//! method of `AsyncClient`.

use crate::args::{self, CredentialFields};
use crate::convert::Json;
use crate::errors::to_py_err;
use crate::jenkins::{self, AsyncJenkins, Jenkins};
use crate::models::{
    Artifact, Credential, Definitions, DevOpsProject, Diagnosis, PendingInput, Pipeline,
    PipelineRun, Scan, Stage,
};
use crate::runtime::{awaitable, wait_for, Nothing};
pub use crate::settings::Core;
use crate::settings::Settings;
use crate::stream::{text_chunks, Item, ItemStream};
use futures_util::StreamExt;
use pyo3::prelude::*;
use pyo3::types::PyType;
use std::sync::Arc;

/// The core's result as Python's.
fn ok<T>(result: ksdevops::error::Result<T>) -> PyResult<T> {
    result.map_err(to_py_err)
}

/// A KubeSphere DevOps client for one DevOps project; every call blocks until done (with
/// the GIL released; Ctrl-C interrupts it). Safe to share between threads.
#[pyclass(frozen, module = "ksdevops._ksdevops")]
pub struct Client {
    core: Arc<Core>,
    /// The DevOps project this client works in. A field rather than a getter method: a
    /// getter `project` would take the generated name of the method `get_project`.
    #[pyo3(get)]
    project: String,
}

/// The asyncio twin of `Client`: the same methods, awaitable; streams are async iterators.
#[pyclass(frozen, module = "ksdevops._ksdevops")]
pub struct AsyncClient {
    core: Arc<Core>,
    /// The DevOps project this client works in (see `Client::project`).
    #[pyo3(get)]
    project: String,
}

macro_rules! over_core {
    ($($class:ident),*) => {$(
        impl $class {
            fn over(core: Core) -> Self {
                let project = core.devops().to_owned();
                $class { core: Arc::new(core), project }
            }
        }
    )*};
}

over_core!(Client, AsyncClient);

fn describe(kind: &str, core: &Core) -> String {
    let config = core.config();
    let auth = match &config.auth {
        ksdevops::client::Auth::Anonymous => "anonymous".to_owned(),
        ksdevops::client::Auth::Token(_) => "token".to_owned(),
        ksdevops::client::Auth::Password { username, .. } => format!("user {username:?}"),
    };
    format!(
        "<{kind} project={:?} layout={} auth={auth}>",
        config.devops,
        config.layout.map_or("auto", |l| l.as_str())
    )
}

twins! {
    classes(Client, AsyncClient)
    shared {
        #[new]
        #[pyo3(signature = (
            url, project = None, *, token = None, username = None, password = None,
            cluster = None, layout = "auto", ca_file = None, insecure = false, timeout = None,
            jenkins_url = None
        ))]
        #[allow(clippy::too_many_arguments)]
        fn new(
            url: String,
            project: Option<String>,
            token: Option<String>,
            username: Option<String>,
            password: Option<String>,
            cluster: Option<String>,
            layout: &str,
            ca_file: Option<std::path::PathBuf>,
            insecure: bool,
            timeout: Option<f64>,
            jenkins_url: Option<String>,
        ) -> PyResult<Self> {
            let settings = Settings {
                url,
                project,
                token: token.map(ksdevops::Secret::new),
                saved_token: None,
                token_file: None,
                username,
                password: password.map(ksdevops::Secret::new),
                cluster,
                layout: layout.to_owned(),
                ca_file,
                insecure,
                timeout,
                jenkins_url,
            };
            Ok(Self::over(settings.build()?))
        }

        /// A client from the command-line tool's variables: KUBESPHERE_API,
        /// KUBESPHERE_TOKEN or KUBESPHERE_TOKEN_FILE, KUBESPHERE_USERNAME and
        /// KUBESPHERE_PASSWORD, KUBESPHERE_CLUSTER, KUBESPHERE_LAYOUT, KUBESPHERE_CA_FILE,
        /// DEVOPS_PROJECT, KSDEVOPS_JENKINS_URL.
        #[classmethod]
        fn from_env(_cls: &Bound<'_, PyType>) -> PyResult<Self> {
            Ok(Self::over(Settings::from_env()?.build()?))
        }

        fn __repr__(&self) -> String {
            describe(std::any::type_name::<Self>().rsplit("::").next().unwrap_or("Client"), &self.core)
        }

        /// Why `wait` stopped following the run watch stream and polls instead (the
        /// server's refusal, e.g. a 403 for a user who may read runs but not watch them);
        /// None while the watch is in use or was never tried.
        #[getter]
        fn watch_refusal(&self) -> Option<String> {
            self.core.watch_refusal()
        }

        /// The pipelines of the project (lazy: a page is read when needed).
        fn pipelines(&self) -> ItemStream {
            ItemStream::new(self.core.clone(), |core| {
                core.pipelines().map(|p| p.map(Item::Pipeline)).boxed()
            })
        }

        /// The credentials of the project (lazy).
        fn credentials(&self) -> ItemStream {
            ItemStream::new(self.core.clone(), |core| {
                core.credentials()
                    .map(|c| {
                        c.and_then(|value| {
                            serde_json::from_value(value).map(Item::Credential).map_err(|e| {
                                ksdevops::Error::new(
                                    ksdevops::ErrorKind::Decode,
                                    format!("a listed credential does not decode: {e}"),
                                )
                            })
                        })
                    })
                    .boxed()
            })
        }

        /// The runs of `pipeline` (of one branch, when given), newest first (lazy).
        #[pyo3(signature = (pipeline, branch = None))]
        fn runs(&self, pipeline: String, branch: Option<String>) -> ItemStream {
            ItemStream::new(self.core.clone(), move |core| {
                core.runs(&pipeline, branch.as_deref()).map(|r| r.map(Item::Run)).boxed()
            })
        }

        /// The branches of multi-branch `pipeline` (lazy).
        fn branches(&self, pipeline: String) -> ItemStream {
            ItemStream::new(self.core.clone(), move |core| {
                core.branches(&pipeline, None).map(|b| b.map(Item::Branch)).boxed()
            })
        }

        /// The run's log as text chunks, every byte once, until the run has ended and its
        /// log is complete.
        fn follow_log(&self, run: &Bound<'_, PyAny>) -> PyResult<ItemStream> {
            let run = args::run_name(run)?;
            Ok(ItemStream::new(self.core.clone(), move |core| {
                text_chunks(core.follow_log(&run))
            }))
        }

        /// The DevOps projects of `workspace` the user may see (lazy).
        fn projects(&self, workspace: String) -> ItemStream {
            ItemStream::new(self.core.clone(), move |core| {
                core.projects(&workspace).map(|p| p.map(Item::Project)).boxed()
            })
        }

        /// The log of one step (`node`: the stage id, `step`: the step id, as `nodes()` gives
        /// them) as text chunks, every byte once, until the run has ended.
        fn follow_step_log(&self, run: &Bound<'_, PyAny>, node: String, step: String) -> PyResult<ItemStream> {
            let run = args::run_name(run)?;
            Ok(ItemStream::new(self.core.clone(), move |core| {
                text_chunks(core.follow_step_log(&run, &node, &step))
            }))
        }

        /// The changes of the project's runs (of one pipeline's) as they happen: `RunEvent`s.
        /// It does not end by itself: break out of the loop, or `close()` it.
        #[pyo3(signature = (pipeline = None))]
        fn watch_runs(&self, pipeline: Option<String>) -> ItemStream {
            ItemStream::new(self.core.clone(), move |core| {
                core.watch_runs(pipeline.as_deref()).map(|e| e.map(Item::Event)).boxed()
            })
        }
    }

    blocking {
        fn __enter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
            slf
        }

        /// Jenkins itself through ks-devops' proxy of the project, with this client's
        /// credentials.
        fn jenkins(&self) -> Jenkins {
            Jenkins { core: jenkins::proxy(&self.core) }
        }

        /// Jenkins at its own URL (`jenkins_url`) as an administrator: reads the admin token
        /// from the devops-jenkins Secret now (administrators only), never shown.
        fn jenkins_admin(&self, py: Python<'_>) -> PyResult<Jenkins> {
            let core = self.core.clone();
            wait_for(py, async move { Ok(Jenkins { core: jenkins::admin(core).await? }) })
        }

        #[pyo3(signature = (*_exc))]
        fn __exit__(&self, _exc: &Bound<'_, pyo3::types::PyTuple>) -> bool {
            false
        }
    }

    asyncio {
        fn __aenter__<'py>(slf: Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
            let this = slf.clone().unbind();
            awaitable(slf.py(), async move { Ok(this) })
        }

        /// Jenkins itself through ks-devops' proxy of the project (see `Client.jenkins`).
        fn jenkins(&self) -> AsyncJenkins {
            AsyncJenkins { core: jenkins::proxy(&self.core) }
        }

        /// Jenkins at its own URL as an administrator (see `Client.jenkins_admin`).
        fn jenkins_admin<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
            let core = self.core.clone();
            awaitable(py, async move { Ok(AsyncJenkins { core: jenkins::admin(core).await? }) })
        }

        #[pyo3(signature = (*_exc))]
        fn __aexit__<'py>(
            &self,
            py: Python<'py>,
            _exc: &Bound<'py, pyo3::types::PyTuple>,
        ) -> PyResult<Bound<'py, PyAny>> {
            awaitable(py, async move { Ok(false) })
        }
    }

    ops {
        /// The API generation the server speaks, `"v4"` or `"v3"` (detected once when the
        /// client was made with `layout="auto"`).
        fn layout() -> String {}
        async |core| { Ok(ok(core.layout().await)?.as_str().to_owned()) }

        fn get_pipeline(name: String) -> Pipeline {}
        async |core| { Ok(ok(core.get_pipeline(&name).await)?.into()) }

        /// Creates `pipeline` (a `Pipeline`, or its JSON data); with `wait_synced`, returns
        /// once Jenkins has it (at most `timeout` seconds).
        #[pyo3(signature = (pipeline, wait_synced = true, timeout = None))]
        fn create_pipeline(pipeline: &Bound<'_, PyAny>, wait_synced: bool, timeout: Option<f64>) -> Pipeline {
            let pipeline = args::pipeline(pipeline)?;
            let timeout = args::seconds(timeout, "timeout")?;
        }
        async |core| { Ok(ok(core.create_pipeline(&pipeline, wait_synced, timeout).await)?.into()) }

        /// Replaces a pipeline with `pipeline` (read it with `get_pipeline` first).
        #[pyo3(signature = (pipeline, wait_synced = false, timeout = None))]
        fn update_pipeline(pipeline: &Bound<'_, PyAny>, wait_synced: bool, timeout: Option<f64>) -> Pipeline {
            let pipeline = args::pipeline(pipeline)?;
            let timeout = args::seconds(timeout, "timeout")?;
        }
        async |core| { Ok(ok(core.update_pipeline(&pipeline, wait_synced, timeout).await)?.into()) }

        fn delete_pipeline(name: String) -> Nothing {}
        async |core| { ok(core.delete_pipeline(&name).await).map(|_| Nothing) }

        /// Waits until Jenkins has `pipeline` (sync status `successful`).
        #[pyo3(signature = (pipeline, timeout = None))]
        fn wait_synced(pipeline: String, timeout: Option<f64>) -> Pipeline {
            let timeout = args::seconds(timeout, "timeout")?;
        }
        async |core| { Ok(ok(core.wait_synced(&pipeline, None, timeout).await)?.into()) }

        /// Creates a credential of `kind` ("basic-auth": username, password; "ssh-auth":
        /// username, private_key, passphrase; "secret-text": secret; "kubeconfig": content).
        #[pyo3(signature = (
            name, kind, *, username = None, password = None, private_key = None,
            passphrase = None, secret = None, content = None, description = None
        ))]
        #[allow(clippy::too_many_arguments)]
        fn create_credential(
            name: String,
            kind: String,
            username: Option<String>,
            password: Option<String>,
            private_key: Option<String>,
            passphrase: Option<String>,
            secret: Option<String>,
            content: Option<String>,
            description: Option<String>,
        ) -> Credential {
            let fields = CredentialFields { username, password, private_key, passphrase, secret, content };
            let credential = args::credential(&name, &kind, fields, description)?;
        }
        async |core| { Ok(ok(core.create_credential(&credential).await)?.into()) }

        fn get_credential(name: String) -> Credential {}
        async |core| { Ok(ok(core.get_credential(&name).await)?.into()) }

        fn delete_credential(name: String) -> Nothing {}
        async |core| { ok(core.delete_credential(&name).await).map(|_| Nothing) }

        /// The parameters a run of `pipeline` takes (a multi-branch pipeline needs `branch`).
        #[pyo3(signature = (pipeline, branch = None))]
        fn parameters(pipeline: String, branch: Option<String>) -> Definitions {}
        async |core| { Ok(Definitions(ok(core.parameters(&pipeline, branch.as_deref()).await)?.definitions)) }

        /// Checks `values` against the pipeline's parameters (InvalidInput names the one at
        /// fault, before anything is sent), fills the defaults, and starts one run of the
        /// pipeline (of `branch`, or of `tag` of a multi-branch pipeline that discovers tags).
        /// The run is created under `run_name` (a fresh name when None): a retry after a lost
        /// answer, here or with the same `run_name` later, never starts a second run.
        #[pyo3(signature = (pipeline, values = None, branch = None, *, tag = None, run_name = None))]
        fn trigger(
            pipeline: String,
            values: Option<&Bound<'_, PyAny>>,
            branch: Option<String>,
            tag: Option<String>,
            run_name: Option<String>,
        ) -> PipelineRun {
            let values = args::values(values)?;
            let target = args::branch_or_tag(branch, tag)?;
        }
        async |core| {
            let run_name = run_name.as_deref();
            let run = match target {
                args::Ref::Tag(tag) => core.trigger_tag(&pipeline, &values, &tag, run_name).await,
                args::Ref::Branch(branch) => {
                    core.trigger_resource(&pipeline, &values, branch.as_deref(), run_name).await
                }
            };
            Ok(ok(run)?.into())
        }

        /// Waits until Jenkins has started the run and returns its build number (at most
        /// `timeout` seconds).
        #[pyo3(signature = (run, timeout = None))]
        fn build_id(run: &Bound<'_, PyAny>, timeout: Option<f64>) -> String {
            let run = args::run_name(run)?;
            let timeout = args::seconds(timeout, "timeout")?;
        }
        async |core| { ok(core.build_id(&run, timeout).await) }

        /// Deletes a finished run; with `keep_jenkins_record`, Jenkins keeps its build.
        #[pyo3(signature = (run, keep_jenkins_record = false))]
        fn delete_run(run: &Bound<'_, PyAny>, keep_jenkins_record: bool) -> Nothing {
            let run = args::run_name(run)?;
        }
        async |core| { ok(core.delete_run(&run, keep_jenkins_record).await).map(|_| Nothing) }

        fn get_run(run: &Bound<'_, PyAny>) -> PipelineRun {
            let run = args::run_name(run)?;
        }
        async |core| { Ok(ok(core.get_run(&run).await)?.into()) }

        /// Waits until the run finishes (`until="finished"`) or also pauses at an input
        /// (`until="paused"`), at most `timeout` seconds (then raises Timeout).
        #[pyo3(
            signature = (run, until = "finished", timeout = Some(600.0)),
            text_signature = "(self, /, run, until='finished', timeout=600.0)"
        )]
        fn wait(run: &Bound<'_, PyAny>, until: &str, timeout: Option<f64>) -> PipelineRun {
            let run = args::run_name(run)?;
            let until = args::wait_until(until)?;
            let timeout = args::seconds(timeout, "timeout")?;
        }
        async |core| { Ok(ok(core.wait(&run, timeout, until).await)?.run.into()) }

        fn pending_inputs(run: &Bound<'_, PyAny>) -> Vec<PendingInput> {
            let run = args::run_name(run)?;
        }
        async |core| {
            Ok(ok(core.pending_inputs(&run).await)?.into_iter().map(PendingInput::from).collect())
        }

        /// Proceeds past the input the run waits at (`input`: its id, when several wait),
        /// with `values` checked against the input's parameters.
        #[pyo3(signature = (run, values = None, input = None))]
        fn approve(run: &Bound<'_, PyAny>, values: Option<&Bound<'_, PyAny>>, input: Option<String>) -> Nothing {
            let run = args::run_name(run)?;
            let values = args::values(values)?;
        }
        async |core| { ok(core.approve(&run, input.as_deref(), &values).await).map(|_| Nothing) }

        /// Aborts the run at the input it waits at.
        #[pyo3(signature = (run, input = None))]
        fn abort(run: &Bound<'_, PyAny>, input: Option<String>) -> Nothing {
            let run = args::run_name(run)?;
        }
        async |core| { ok(core.abort(&run, input.as_deref()).await).map(|_| Nothing) }

        /// The run's whole log as it is now.
        fn log(run: &Bound<'_, PyAny>) -> String {
            let run = args::run_name(run)?;
        }
        async |core| { ok(core.log(&run).await) }

        /// The run's stages with their steps, as Jenkins reports them now.
        fn nodes(run: &Bound<'_, PyAny>) -> Vec<Stage> {
            let run = args::run_name(run)?;
        }
        async |core| { Ok(ok(core.nodes(&run).await)?.into_iter().map(Stage::from).collect()) }

        fn artifacts(run: &Bound<'_, PyAny>) -> Vec<Artifact> {
            let run = args::run_name(run)?;
        }
        async |core| { Ok(ok(core.artifacts(&run).await)?.into_iter().map(Artifact::from).collect()) }

        /// Downloads `artifact` (a path or an `Artifact`) of the run to `dest`: a file path,
        /// a directory (the file keeps its name), or a binary file object. Returns
        /// `(path, size)`; `path` is None for a file object. A download is checked against
        /// the listed size and never left half-written at a path.
        fn download(run: &Bound<'_, PyAny>, artifact: &Bound<'_, PyAny>, dest: &Bound<'_, PyAny>) -> (Option<String>, u64) {
            let run = args::run_name(run)?;
            let artifact = args::artifact_path(artifact)?;
            let dest = args::destination(dest)?;
        }
        async |core| { crate::download::download(&core, &run, &artifact, dest).await }

        /// Asks Jenkins to stop the run; returns the run as it is then.
        fn stop(run: &Bound<'_, PyAny>) -> PipelineRun {
            let run = args::run_name(run)?;
        }
        async |core| {
            ok(core.stop(&run).await)?;
            Ok(ok(core.get_run(&run).await)?.into())
        }

        /// Runs the build again with the same parameters; returns the new Jenkins build id.
        fn replay(run: &Bound<'_, PyAny>) -> Option<String> {
            let run = args::run_name(run)?;
        }
        async |core| { Ok(ok(core.replay(&run).await)?.id) }

        /// Scans the repository of multi-branch `pipeline`; with `wait`, until the scan
        /// has finished (at most `timeout` seconds).
        #[pyo3(signature = (pipeline, wait = true, timeout = None))]
        fn scan(pipeline: String, wait: bool, timeout: Option<f64>) -> Scan {
            let timeout = args::seconds(timeout, "timeout")?;
        }
        async |core| { Ok(Scan { inner: ok(core.scan(&pipeline, wait, timeout).await)? }) }

        /// The log of the last repository scan of multi-branch `pipeline`.
        fn scan_log(pipeline: String) -> String {}
        async |core| { ok(core.scan_log(&pipeline).await) }

        /// Why the run failed or is stuck.
        fn diagnose(run: &Bound<'_, PyAny>) -> Diagnosis {
            let run = args::run_name(run)?;
        }
        async |core| { Ok(ok(core.diagnose(&run).await)?.into()) }

        /// The whole log of one step of the run (`node`, `step`: ids as `nodes()` gives them).
        fn step_log(run: &Bound<'_, PyAny>, node: String, step: String) -> String {
            let run = args::run_name(run)?;
        }
        async |core| {
            let bytes = ok(core.step_log(&run, &node, &step).await)?;
            Ok(String::from_utf8_lossy(&bytes).into_owned())
        }

        /// The labels of the Jenkins agents (what `agent { label ... }` can name).
        fn list_agent_labels() -> Vec<String> {}
        async |core| { ok(core.list_agent_labels().await) }

        fn get_project(workspace: String, name: String) -> DevOpsProject {}
        async |core| { Ok(ok(core.get_project(&workspace, &name).await)?.into()) }

        /// Creates DevOps project `name` in `workspace` (sent once: a lost answer raises;
        /// read the project to find out).
        fn create_project(workspace: String, name: String) -> DevOpsProject {}
        async |core| { Ok(ok(core.create_project(&workspace, &name).await)?.into()) }

        /// Replaces a project with `project` (read it with `get_project` first).
        fn update_project(workspace: String, project: &Bound<'_, PyAny>) -> DevOpsProject {
            let project = args::project(project)?;
        }
        async |core| { Ok(ok(core.update_project(&workspace, &project).await)?.into()) }

        /// Deletes DevOps project `name` with its pipelines and credentials.
        fn delete_project(workspace: String, name: String) -> Nothing {}
        async |core| { ok(core.delete_project(&workspace, &name).await).map(|_| Nothing) }

        /// The GitRepository resources of the project, as dicts.
        fn git_repositories() -> Json {}
        async |core| { Json::of(&ok(core.git_repositories().await)?) }

        fn get_git_repository(name: String) -> Json {}
        async |core| { Json::of(&ok(core.get_git_repository(&name).await)?) }

        /// Creates GitRepository `name` for the repository at `url` (https://, http://,
        /// ssh://, git:// or user@host:path), read with the project's `credential` when given.
        /// Sent once.
        #[pyo3(signature = (name, url, provider = "git", credential = None))]
        fn create_git_repository(name: String, url: String, provider: &str, credential: Option<String>) -> Json {
            let provider = provider.to_owned();
        }
        async |core| {
            let input = ksdevops::api::GitRepositoryInput {
                name: &name,
                provider: &provider,
                url: &url,
                secret: credential.as_deref(),
            };
            Json::of(&ok(core.create_git_repository(&input).await)?)
        }

        /// Replaces a GitRepository with `repository` (a dict: read it with
        /// `get_git_repository`, change it, pass it back).
        fn update_git_repository(repository: &Bound<'_, PyAny>) -> Json {
            let repository = args::git_repository(repository)?;
        }
        async |core| { Json::of(&ok(core.update_git_repository(&repository).await)?) }

        fn delete_git_repository(name: String) -> Nothing {}
        async |core| { ok(core.delete_git_repository(&name).await).map(|_| Nothing) }

        /// Logs in now (user name and password) instead of at the first request, so that
        /// wrong credentials show at once. Does nothing for a token or anonymous client.
        fn login() -> Nothing {}
        async |core| { ok(core.login().await).map(|_| Nothing) }
    }
}
