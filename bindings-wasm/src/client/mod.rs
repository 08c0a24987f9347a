//! The core's `Client` over fetch, for JavaScript: `connectClient` (wrapped as `connect` by
//! the package) and Promise-returning camelCase methods. Every workflow is the core's; this
//! module only reads JS arguments and turns results into plain objects.

mod anchored;
mod args;
mod jenkins;
mod options;
mod resources;
mod streams;

use crate::errors::to_js_error;
use crate::{from_js, to_js};
use anchored::Anchored;
use args::{object_name, opt_bool, opt_millis, opt_string, options as read_options};
use futures_util::stream::{StreamExt, TryStreamExt};
use js_sys::{Array, Promise, Uint8Array};
use ksdevops::client::WaitUntil;
use ksdevops::model::Pipeline;
use ksdevops::transport::gloo::GlooTransport;
use serde::Serialize;
use std::future::Future;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

pub use jenkins::Jenkins;
pub use streams::{ArtifactStream, LogStream, RunEventStream};

type Core = ksdevops::client::Client<GlooTransport>;

/// A result as a plain JS value, or the error it is.
fn output<T: Serialize>(result: ksdevops::error::Result<T>) -> Result<JsValue, JsValue> {
    to_js(&result.map_err(to_js_error)?)
}

fn done(result: ksdevops::error::Result<()>) -> Result<JsValue, JsValue> {
    result.map(|()| JsValue::UNDEFINED).map_err(to_js_error)
}

fn promise(future: impl Future<Output = Result<JsValue, JsValue>> + 'static) -> Promise {
    future_to_promise(future)
}

fn name(value: &JsValue, field: &str) -> Result<String, JsValue> {
    value
        .as_string()
        .ok_or_else(|| to_js_error(ksdevops::Error::invalid(field, "must be a string")))
}

/// An artifact given by its path or name, or as a listed artifact object.
fn artifact_name(value: &JsValue) -> Result<String, JsValue> {
    if let Some(name) = value.as_string() {
        return Ok(name);
    }
    ["path", "name"]
        .iter()
        .find_map(|key| {
            js_sys::Reflect::get(value, &(*key).into())
                .ok()?
                .as_string()
        })
        .ok_or_else(|| {
            to_js_error(ksdevops::Error::invalid(
                "artifact",
                "must be a path, a name, or an artifact object with a path",
            ))
        })
}

/// Connects as `options` say: logs in (password) and detects the API layout (unless given),
/// so that a wrong URL, project or credential fails here.
#[wasm_bindgen(js_name = connectClient, unchecked_return_type = "Promise<Client>")]
pub fn connect_client(
    #[wasm_bindgen(unchecked_param_type = "ConnectOptions")] options: JsValue,
) -> Promise {
    promise(async move {
        let (transport, config) = options::read(&options)?;
        // wasm32 has no OS entropy: without a seed from JS every page would generate the same
        // run names, and a second page's trigger would be taken for the first one's.
        let seed = (js_sys::Math::random() * (1u64 << 53) as f64) as u64
            ^ (js_sys::Date::now() as u64).rotate_left(32);
        let core = Core::new(transport, config)
            .map_err(to_js_error)?
            .with_seed(seed);
        core.login().await.map_err(to_js_error)?;
        core.layout().await.map_err(to_js_error)?;
        Ok(Client {
            core: Rc::new(core),
        }
        .into())
    })
}

/// A KubeSphere DevOps client for one DevOps project. Get one with `connect(options)`.
#[wasm_bindgen]
pub struct Client {
    core: Rc<Core>,
}

impl Client {
    /// Runs `work` with a share of the core client; its result settles the Promise.
    fn call<F, Fut>(&self, work: F) -> Promise
    where
        F: FnOnce(Rc<Core>) -> Fut,
        Fut: Future<Output = Result<JsValue, JsValue>> + 'static,
    {
        promise(work(Rc::clone(&self.core)))
    }
}

#[wasm_bindgen]
impl Client {
    /// The DevOps project this client works in.
    #[wasm_bindgen(getter)]
    pub fn project(&self) -> String {
        self.core.devops().to_owned()
    }

    /// The API generation in use: "v4" or "v3".
    #[wasm_bindgen(getter, unchecked_return_type = "Layout")]
    pub fn layout(&self) -> Option<String> {
        self.core
            .config()
            .layout
            .or_else(|| futures_util::FutureExt::now_or_never(self.core.layout())?.ok())
            .map(|l| l.as_str().to_owned())
    }

    /// Why `wait` stopped following the run watch stream and polls instead (the server's
    /// refusal, e.g. a 403 for a user who may read runs but not watch them); undefined while
    /// the watch is in use or was never tried.
    #[wasm_bindgen(getter, js_name = watchRefusal)]
    pub fn watch_refusal(&self) -> Option<String> {
        self.core.watch_refusal()
    }

    /// Every pipeline of the project.
    #[wasm_bindgen(unchecked_return_type = "Promise<Pipeline[]>")]
    pub fn pipelines(&self) -> Promise {
        self.call(|core| async move { output(core.pipelines().try_collect::<Vec<_>>().await) })
    }

    #[wasm_bindgen(js_name = getPipeline, unchecked_return_type = "Promise<Pipeline>")]
    pub fn get_pipeline(&self, pipeline: JsValue) -> Promise {
        self.call(|core| async move {
            let pipeline = name(&pipeline, "pipeline")?;
            output(core.get_pipeline(&pipeline).await)
        })
    }

    /// Creates a pipeline and (unless `waitSynced: false`) waits until Jenkins has it.
    #[wasm_bindgen(js_name = createPipeline, unchecked_return_type = "Promise<Pipeline>")]
    pub fn create_pipeline(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Pipeline")] pipeline: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "SyncOptions")] options: JsValue,
    ) -> Promise {
        self.call(|core| async move {
            let pipeline: Pipeline = from_js(pipeline, "pipeline")?;
            let options = read_options(options, &["waitSynced", "timeoutMs"])?;
            let wait = opt_bool(&options, "waitSynced")?.unwrap_or(true);
            let timeout = opt_millis(&options, "timeoutMs")?;
            output(core.create_pipeline(&pipeline, wait, timeout).await)
        })
    }

    /// Replaces a pipeline (pass what `getPipeline` gave, changed) and (unless
    /// `waitSynced: false`) waits until Jenkins has the change.
    #[wasm_bindgen(js_name = updatePipeline, unchecked_return_type = "Promise<Pipeline>")]
    pub fn update_pipeline(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Pipeline")] pipeline: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "SyncOptions")] options: JsValue,
    ) -> Promise {
        self.call(|core| async move {
            let pipeline: Pipeline = from_js(pipeline, "pipeline")?;
            let options = read_options(options, &["waitSynced", "timeoutMs"])?;
            let wait = opt_bool(&options, "waitSynced")?.unwrap_or(true);
            let timeout = opt_millis(&options, "timeoutMs")?;
            output(core.update_pipeline(&pipeline, wait, timeout).await)
        })
    }

    #[wasm_bindgen(js_name = deletePipeline, unchecked_return_type = "Promise<void>")]
    pub fn delete_pipeline(&self, pipeline: JsValue) -> Promise {
        self.call(|core| async move {
            let pipeline = name(&pipeline, "pipeline")?;
            done(core.delete_pipeline(&pipeline).await)
        })
    }

    /// Waits until the pipeline's sync to Jenkins succeeded (one newer than `syncedBefore`,
    /// a sync time, when given); fails with the sync error.
    #[wasm_bindgen(js_name = waitSynced, unchecked_return_type = "Promise<Pipeline>")]
    pub fn wait_synced(
        &self,
        pipeline: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "WaitSyncedOptions")] options: JsValue,
    ) -> Promise {
        self.call(|core| async move {
            let pipeline = name(&pipeline, "pipeline")?;
            let options = read_options(options, &["syncedBefore", "timeoutMs"])?;
            let before = opt_string(&options, "syncedBefore")?;
            let timeout = opt_millis(&options, "timeoutMs")?;
            output(
                core.wait_synced(&pipeline, before.as_deref(), timeout)
                    .await,
            )
        })
    }

    /// The project's credentials (the server blanks their secret data).
    #[wasm_bindgen(unchecked_return_type = "Promise<CredentialSecret[]>")]
    pub fn credentials(&self) -> Promise {
        self.call(|core| async move { output(core.credentials().try_collect::<Vec<_>>().await) })
    }

    /// Creates a credential, sent once. Gives the stored object with its secrets blanked.
    #[wasm_bindgen(js_name = createCredential, unchecked_return_type = "Promise<CredentialSecret>")]
    pub fn create_credential(
        &self,
        #[wasm_bindgen(unchecked_param_type = "CredentialInput")] credential: JsValue,
    ) -> Promise {
        self.call(|core| async move {
            let args: serde_json::Value = from_js(credential, "credential")?;
            let credential = ksdevops::api::credential_from_args(&args).map_err(to_js_error)?;
            output(core.create_credential(&credential).await)
        })
    }

    #[wasm_bindgen(js_name = getCredential, unchecked_return_type = "Promise<CredentialSecret>")]
    pub fn get_credential(&self, credential: JsValue) -> Promise {
        self.call(|core| async move {
            let credential = name(&credential, "credential")?;
            output(core.get_credential(&credential).await)
        })
    }

    #[wasm_bindgen(js_name = deleteCredential, unchecked_return_type = "Promise<void>")]
    pub fn delete_credential(&self, credential: JsValue) -> Promise {
        self.call(|core| async move {
            let credential = name(&credential, "credential")?;
            done(core.delete_credential(&credential).await)
        })
    }

    /// The parameters a run of `pipeline` takes (a multi-branch pipeline needs `branch`).
    #[wasm_bindgen(unchecked_return_type = "Promise<ParameterDefinition[]>")]
    pub fn parameters(
        &self,
        pipeline: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "BranchOptions")] options: JsValue,
    ) -> Promise {
        self.call(|core| async move {
            let pipeline = object_name(&pipeline, "pipeline")?;
            let options = read_options(options, &["branch"])?;
            let branch = opt_string(&options, "branch")?;
            output(
                core.parameters(&pipeline, branch.as_deref())
                    .await
                    .map(|p| p.definitions),
            )
        })
    }

    /// Starts a run (of a branch or a tag, for a multi-branch pipeline) with `values`
    /// checked against the pipeline's parameters first. Safe
    /// under lost answers: the run gets a client-chosen name (or `runName`) and is created
    /// at most once.
    #[wasm_bindgen(unchecked_return_type = "Promise<PipelineRun>")]
    pub fn trigger(
        &self,
        pipeline: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "ParameterValues")] values: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "TriggerOptions")] options: JsValue,
    ) -> Promise {
        self.call(|core| async move {
            let pipeline = object_name(&pipeline, "pipeline")?;
            let values = crate::args::parameter_values(values, "values")?;
            let options = read_options(options, &["branch", "tag", "runName"])?;
            let branch = opt_string(&options, "branch")?;
            let run_name = opt_string(&options, "runName")?;
            let tag = opt_string(&options, "tag")?;
            let scm = (branch.as_deref(), tag.as_deref());
            let run = core
                .trigger_object(&pipeline, &values, scm, run_name.as_deref())
                .await;
            output(run)
        })
    }

    #[wasm_bindgen(js_name = getRun, unchecked_return_type = "Promise<PipelineRun>")]
    pub fn get_run(
        &self,
        #[wasm_bindgen(unchecked_param_type = "RunRef")] run: JsValue,
    ) -> Promise {
        self.call(|core| async move {
            let run = object_name(&run, "run")?;
            output(core.get_run(&run).await)
        })
    }

    /// The runs of `pipeline` (of one branch, when given), newest first.
    #[wasm_bindgen(unchecked_return_type = "Promise<PipelineRun[]>")]
    pub fn runs(
        &self,
        pipeline: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "BranchOptions")] options: JsValue,
    ) -> Promise {
        self.call(|core| async move {
            let pipeline = object_name(&pipeline, "pipeline")?;
            let options = read_options(options, &["branch"])?;
            let branch = opt_string(&options, "branch")?;
            output(
                core.runs(&pipeline, branch.as_deref())
                    .try_collect::<Vec<_>>()
                    .await,
            )
        })
    }

    /// Waits until the run finishes, or with `until: "paused"` also until it waits for
    /// input; gives the run as it is then. Fails with kind "timeout" after `timeoutMs`.
    #[wasm_bindgen(unchecked_return_type = "Promise<PipelineRun>")]
    pub fn wait(
        &self,
        #[wasm_bindgen(unchecked_param_type = "RunRef")] run: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "WaitOptions")] options: JsValue,
    ) -> Promise {
        self.call(|core| async move {
            let run = object_name(&run, "run")?;
            let options = read_options(options, &["until", "timeoutMs"])?;
            let until = match opt_string(&options, "until")?.as_deref() {
                None | Some("finished") => WaitUntil::Finished,
                Some("paused") => WaitUntil::Paused,
                Some(other) => {
                    return Err(to_js_error(ksdevops::Error::invalid(
                        "until",
                        format!("{other:?} is neither \"paused\" nor \"finished\""),
                    )))
                }
            };
            let timeout = opt_millis(&options, "timeoutMs")?;
            output(
                core.wait(&run, timeout, until)
                    .await
                    .map(|status| status.run),
            )
        })
    }

    /// The run's steps that wait for input.
    #[wasm_bindgen(js_name = pendingInputs, unchecked_return_type = "Promise<PendingInput[]>")]
    pub fn pending_inputs(
        &self,
        #[wasm_bindgen(unchecked_param_type = "RunRef")] run: JsValue,
    ) -> Promise {
        self.call(|core| async move {
            let run = object_name(&run, "run")?;
            output(core.pending_inputs(&run).await)
        })
    }

    /// Proceeds past the waiting input (`input`: its id, needed when several wait) with
    /// `values` checked against its parameters and the others' defaults filled. Sent once.
    #[wasm_bindgen(unchecked_return_type = "Promise<void>")]
    pub fn approve(
        &self,
        #[wasm_bindgen(unchecked_param_type = "RunRef")] run: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "ParameterValues")] values: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "InputOptions")] options: JsValue,
    ) -> Promise {
        self.call(|core| async move {
            let run = object_name(&run, "run")?;
            let values = crate::args::parameter_values(values, "values")?;
            let options = read_options(options, &["input"])?;
            let input = opt_string(&options, "input")?;
            done(core.approve(&run, input.as_deref(), &values).await)
        })
    }

    /// Aborts the run at the waiting input (`input`: its id, needed when several wait).
    #[wasm_bindgen(unchecked_return_type = "Promise<void>")]
    pub fn abort(
        &self,
        #[wasm_bindgen(unchecked_param_type = "RunRef")] run: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "InputOptions")] options: JsValue,
    ) -> Promise {
        self.call(|core| async move {
            let run = object_name(&run, "run")?;
            let options = read_options(options, &["input"])?;
            let input = opt_string(&options, "input")?;
            done(core.abort(&run, input.as_deref()).await)
        })
    }

    /// The run's log as it grows, every byte once, until the run has ended:
    /// `for await (const text of client.followLog(run))`.
    #[wasm_bindgen(js_name = followLog, unchecked_return_type = "LogStream")]
    pub fn follow_log(
        &self,
        #[wasm_bindgen(unchecked_param_type = "RunRef")] run: JsValue,
    ) -> Result<LogStream, JsValue> {
        let run = object_name(&run, "run")?;
        let stream = Anchored::new(&self.core, |core| core.follow_log(&run));
        Ok(LogStream::new(stream.boxed_local()))
    }

    /// The run's whole log as it is now (`followLog` follows it until the run ends).
    #[wasm_bindgen(unchecked_return_type = "Promise<string>")]
    pub fn log(&self, #[wasm_bindgen(unchecked_param_type = "RunRef")] run: JsValue) -> Promise {
        self.call(|core| async move {
            let run = object_name(&run, "run")?;
            output(core.log(&run).await)
        })
    }

    /// The run's stages with their steps.
    #[wasm_bindgen(unchecked_return_type = "Promise<NodeDetail[]>")]
    pub fn nodes(&self, #[wasm_bindgen(unchecked_param_type = "RunRef")] run: JsValue) -> Promise {
        self.call(|core| async move {
            let run = object_name(&run, "run")?;
            output(core.nodes(&run).await)
        })
    }

    #[wasm_bindgen(unchecked_return_type = "Promise<Artifact[]>")]
    pub fn artifacts(
        &self,
        #[wasm_bindgen(unchecked_param_type = "RunRef")] run: JsValue,
    ) -> Promise {
        self.call(|core| async move {
            let run = object_name(&run, "run")?;
            output(core.artifacts(&run).await)
        })
    }

    /// An artifact's bytes as a Blob, checked against the listed size; a download cut off
    /// is started again.
    #[wasm_bindgen(unchecked_return_type = "Promise<Blob>")]
    pub fn download(
        &self,
        #[wasm_bindgen(unchecked_param_type = "RunRef")] run: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string | Artifact")] artifact: JsValue,
    ) -> Promise {
        self.call(|core| async move {
            let run = object_name(&run, "run")?;
            let artifact = artifact_name(&artifact)?;
            let bytes = core
                .artifact_bytes(&run, &artifact)
                .await
                .map_err(to_js_error)?;
            let parts = Array::of1(&Uint8Array::from(bytes.as_slice()));
            let options = web_sys::BlobPropertyBag::new();
            options.set_type("application/octet-stream");
            Ok(web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options)?.into())
        })
    }

    /// An artifact's bytes as they arrive (`for await (const chunk of stream)`), with its
    /// `path` and listed `size`; the stream fails if the bytes differ from the listed size.
    #[wasm_bindgen(js_name = downloadStream, unchecked_return_type = "Promise<ArtifactStream>")]
    pub fn download_stream(
        &self,
        #[wasm_bindgen(unchecked_param_type = "RunRef")] run: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string | Artifact")] artifact: JsValue,
    ) -> Promise {
        self.call(|core| async move {
            let run = object_name(&run, "run")?;
            let artifact = artifact_name(&artifact)?;
            let body = core
                .open_artifact(&run, &artifact)
                .await
                .map_err(to_js_error)?;
            Ok(ArtifactStream::new(body).into())
        })
    }

    /// Asks Jenkins to stop the run; gives the Jenkins run.
    #[wasm_bindgen(unchecked_return_type = "Promise<JenkinsRun>")]
    pub fn stop(&self, #[wasm_bindgen(unchecked_param_type = "RunRef")] run: JsValue) -> Promise {
        self.call(|core| async move {
            let run = object_name(&run, "run")?;
            output(core.stop(&run).await)
        })
    }

    /// Runs the build again with the same parameters; gives the new (queued) Jenkins run.
    #[wasm_bindgen(unchecked_return_type = "Promise<JenkinsRun>")]
    pub fn replay(&self, #[wasm_bindgen(unchecked_param_type = "RunRef")] run: JsValue) -> Promise {
        self.call(|core| async move {
            let run = object_name(&run, "run")?;
            output(core.replay(&run).await)
        })
    }

    /// Scans the repository of a multi-branch pipeline; with `wait: true` until the scan
    /// log ends (at most `timeoutMs`).
    #[wasm_bindgen(unchecked_return_type = "Promise<Scan>")]
    pub fn scan(
        &self,
        pipeline: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "ScanOptions")] options: JsValue,
    ) -> Promise {
        self.call(|core| async move {
            let pipeline = object_name(&pipeline, "pipeline")?;
            let options = read_options(options, &["wait", "timeoutMs"])?;
            let wait = opt_bool(&options, "wait")?.unwrap_or(false);
            let timeout = opt_millis(&options, "timeoutMs")?;
            output(core.scan(&pipeline, wait, timeout).await)
        })
    }

    /// The log of the last repository scan of a multi-branch pipeline.
    #[wasm_bindgen(js_name = scanLog, unchecked_return_type = "Promise<string>")]
    pub fn scan_log(&self, pipeline: JsValue) -> Promise {
        self.call(|core| async move {
            let pipeline = object_name(&pipeline, "pipeline")?;
            output(core.scan_log(&pipeline).await)
        })
    }

    /// Why a run failed or is stuck: stage, step, log tail, a known cause and a hint.
    #[wasm_bindgen(unchecked_return_type = "Promise<Diagnosis>")]
    pub fn diagnose(
        &self,
        #[wasm_bindgen(unchecked_param_type = "RunRef")] run: JsValue,
    ) -> Promise {
        self.call(|core| async move {
            let run = object_name(&run, "run")?;
            output(core.diagnose(&run).await)
        })
    }

    /// The changes of the project's runs (of one pipeline's, with `pipeline`) as they
    /// happen, from now on: `for await (const { change, run } of client.watchRuns())`.
    /// It does not end by itself: `break` stops watching.
    #[wasm_bindgen(js_name = watchRuns, unchecked_return_type = "RunEventStream")]
    pub fn watch_runs(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "WatchOptions")] options: JsValue,
    ) -> Result<RunEventStream, JsValue> {
        let options = read_options(options, &["pipeline"])?;
        let pipeline = opt_string(&options, "pipeline")?;
        let stream = Anchored::new(&self.core, |core| core.watch_runs(pipeline.as_deref()));
        Ok(RunEventStream::new(stream.boxed_local()))
    }
}
