//! Jenkins itself (`client.jenkins()`, `client.jenkinsAdmin()`) and the project's
//! GitRepository resources: the core's calls, translated.

use super::args::{object_name, options as read_options};
use super::{done, name, output, promise, Client, Core};
use crate::errors::to_js_error;
use js_sys::{Array, Promise, Uint8Array};
use ksdevops::api::GitRepositoryInput;
use ksdevops::client::{JenkinsAdmin, QueuedBuild};
use ksdevops::model::GitRepository;
use std::rc::Rc;
use wasm_bindgen::prelude::*;

/// Jenkins' own REST API: jobs, builds, console text, artifacts, agent labels. Jobs are named
/// by their folder path, "project/pipeline[/branch]". Get one with `client.jenkins()`
/// (ks-devops' proxy) or `await client.jenkinsAdmin()` (Jenkins' own URL as an administrator).
#[wasm_bindgen]
pub struct Jenkins {
    core: Rc<Core>,
    /// Jenkins' URL and the admin credentials (never shown), the admin way.
    admin: Option<JenkinsAdmin>,
}

/// A whole number of at least zero given as a JS number (the core checks the range).
fn whole(value: &JsValue, field: &str) -> Result<u64, JsValue> {
    value
        .as_f64()
        .filter(|n| n.is_finite() && n.fract() == 0.0 && *n >= 0.0 && *n < 9.007_199_254_740_992e15)
        .map(|n| n as u64)
        .ok_or_else(|| to_js_error(ksdevops::Error::invalid(field, "must be a whole number")))
}

impl Jenkins {
    fn call<F, Fut>(&self, work: F) -> Promise
    where
        F: FnOnce(Rc<Core>, Option<JenkinsAdmin>) -> Fut,
        Fut: std::future::Future<Output = Result<JsValue, JsValue>> + 'static,
    {
        promise(work(Rc::clone(&self.core), self.admin.clone()))
    }
}

/// The core's Jenkins of `core`, the admin way when `admin` is given.
fn jenkins(
    core: &Core,
    admin: Option<JenkinsAdmin>,
) -> ksdevops::client::Jenkins<'_, ksdevops::transport::gloo::GlooTransport> {
    match admin {
        Some(admin) => core.jenkins_as_admin(admin),
        None => core.jenkins(),
    }
}

#[wasm_bindgen]
impl Jenkins {
    /// Whether requests go to Jenkins' own URL as an administrator.
    #[wasm_bindgen(getter, js_name = isAdmin)]
    pub fn is_admin(&self) -> bool {
        self.admin.is_some()
    }

    /// The jobs of `folder` ("project", "project/multi-branch-pipeline"), or of the top level.
    #[wasm_bindgen(unchecked_return_type = "Promise<JenkinsJob[]>")]
    pub fn jobs(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "string")] folder: JsValue,
    ) -> Promise {
        self.call(|core, admin| async move {
            let folder = match folder.is_undefined() || folder.is_null() {
                true => None,
                false => Some(name(&folder, "folder")?),
            };
            output(jenkins(&core, admin).jobs(folder.as_deref()).await)
        })
    }

    /// Queues a build of `job` with `values`; `secretNames` are password parameters, never
    /// shown. Sent once. Gives the queue item's id (see `buildNumber`).
    #[wasm_bindgen(unchecked_return_type = "Promise<number>")]
    pub fn build(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] job: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "ParameterValues")] values: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "JenkinsBuildOptions")] options: JsValue,
    ) -> Promise {
        self.call(|core, admin| async move {
            let job = name(&job, "job")?;
            let values = crate::args::parameter_values(values, "values")?;
            let values =
                ksdevops::client::jenkins_parameter_values(&values).map_err(to_js_error)?;
            let options = read_options(options, &["secretNames"])?;
            let secret_names: Vec<String> =
                match js_sys::Reflect::get(&options, &"secretNames".into())? {
                    names if names.is_undefined() || names.is_null() => Vec::new(),
                    names => crate::from_js(names, "secretNames")?,
                };
            let queued = jenkins(&core, admin)
                .build(&job, &values, &secret_names)
                .await;
            output(queued.map(|q| q.queue_id))
        })
    }

    /// The build number of queue item `queueId` once Jenkins started it.
    #[wasm_bindgen(js_name = buildNumber, unchecked_return_type = "Promise<number>")]
    pub fn build_number(
        &self,
        #[wasm_bindgen(unchecked_param_type = "number")] queue_id: JsValue,
    ) -> Promise {
        self.call(|core, admin| async move {
            let queue_id = whole(&queue_id, "queueId")?;
            output(
                jenkins(&core, admin)
                    .build_number(QueuedBuild { queue_id })
                    .await,
            )
        })
    }

    /// Build `number` of `job` as Jenkins reports it (`api/json`).
    #[wasm_bindgen(unchecked_return_type = "Promise<JenkinsBuild>")]
    pub fn status(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] job: JsValue,
        #[wasm_bindgen(unchecked_param_type = "number")] number: JsValue,
    ) -> Promise {
        self.call(|core, admin| async move {
            let job = name(&job, "job")?;
            let number = whole(&number, "number")?;
            output(jenkins(&core, admin).status(&job, number).await)
        })
    }

    /// The whole console log of build `number` of `job`.
    #[wasm_bindgen(unchecked_return_type = "Promise<string>")]
    pub fn console(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] job: JsValue,
        #[wasm_bindgen(unchecked_param_type = "number")] number: JsValue,
    ) -> Promise {
        self.call(|core, admin| async move {
            let job = name(&job, "job")?;
            let number = whole(&number, "number")?;
            output(jenkins(&core, admin).console(&job, number).await)
        })
    }

    /// The archived file `artifact` (its relative path) of build `number` of `job` as a
    /// Blob, checked against the length Jenkins sent.
    #[wasm_bindgen(unchecked_return_type = "Promise<Blob>")]
    pub fn download(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] job: JsValue,
        #[wasm_bindgen(unchecked_param_type = "number")] number: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] artifact: JsValue,
    ) -> Promise {
        self.call(|core, admin| async move {
            let job = name(&job, "job")?;
            let number = whole(&number, "number")?;
            let artifact = name(&artifact, "artifact")?;
            let bytes = jenkins(&core, admin)
                .artifact(&job, number, &artifact)
                .await
                .map_err(to_js_error)?;
            let parts = Array::of1(&Uint8Array::from(bytes.as_slice()));
            let options = web_sys::BlobPropertyBag::new();
            options.set_type("application/octet-stream");
            Ok(web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options)?.into())
        })
    }

    /// The agent-labels dashboard.
    #[wasm_bindgen(unchecked_return_type = "Promise<AgentLabel[]>")]
    pub fn labels(&self) -> Promise {
        self.call(|core, admin| async move { output(jenkins(&core, admin).labels().await) })
    }
}

#[wasm_bindgen]
impl Client {
    /// Jenkins itself through ks-devops' proxy of the project, with this client's credentials.
    pub fn jenkins(&self) -> Jenkins {
        Jenkins {
            core: Rc::clone(&self.core),
            admin: None,
        }
    }

    /// Jenkins at its own URL (the `jenkinsUrl` option) as an administrator: reads the admin
    /// token from the devops-jenkins Secret now; it is never shown.
    #[wasm_bindgen(js_name = jenkinsAdmin, unchecked_return_type = "Promise<Jenkins>")]
    pub fn jenkins_admin(&self) -> Promise {
        self.call(|core| async move {
            let admin = core.jenkins_admin_login().await.map_err(to_js_error)?;
            Ok(Jenkins {
                core,
                admin: Some(admin),
            }
            .into())
        })
    }

    /// The GitRepository resources of the project.
    #[wasm_bindgen(js_name = gitRepositories, unchecked_return_type = "Promise<GitRepository[]>")]
    pub fn git_repositories(&self) -> Promise {
        self.call(|core| async move { output(core.git_repositories().await) })
    }

    #[wasm_bindgen(js_name = getGitRepository, unchecked_return_type = "Promise<GitRepository>")]
    pub fn get_git_repository(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string | GitRepository")] repository: JsValue,
    ) -> Promise {
        self.call(|core| async move {
            let repository = object_name(&repository, "git_repository")?;
            output(core.get_git_repository(&repository).await)
        })
    }

    /// Creates GitRepository `name` for the repository at `url`, read with the project's
    /// `credential` when given. Sent once.
    #[wasm_bindgen(js_name = createGitRepository, unchecked_return_type = "Promise<GitRepository>")]
    pub fn create_git_repository(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] name: JsValue,
        #[wasm_bindgen(unchecked_param_type = "GitRepositoryOptions")] options: JsValue,
    ) -> Promise {
        self.call(|core| async move {
            let name = super::name(&name, "git_repository")?;
            let options = read_options(options, &["url", "provider", "credential"])?;
            let url = super::args::opt_string(&options, "url")?.ok_or_else(|| {
                to_js_error(ksdevops::Error::invalid(
                    "url",
                    "is needed: the repository's URL",
                ))
            })?;
            let provider =
                super::args::opt_string(&options, "provider")?.unwrap_or_else(|| "git".into());
            let credential = super::args::opt_string(&options, "credential")?;
            let input = GitRepositoryInput {
                name: &name,
                provider: &provider,
                url: &url,
                secret: credential.as_deref(),
            };
            output(core.create_git_repository(&input).await)
        })
    }

    /// Replaces a GitRepository: pass what `getGitRepository` gave, changed.
    #[wasm_bindgen(js_name = updateGitRepository, unchecked_return_type = "Promise<GitRepository>")]
    pub fn update_git_repository(
        &self,
        #[wasm_bindgen(unchecked_param_type = "GitRepository")] repository: JsValue,
    ) -> Promise {
        self.call(|core| async move {
            let repository: GitRepository = crate::from_js(repository, "git_repository")?;
            output(core.update_git_repository(&repository).await)
        })
    }

    #[wasm_bindgen(js_name = deleteGitRepository, unchecked_return_type = "Promise<void>")]
    pub fn delete_git_repository(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string | GitRepository")] repository: JsValue,
    ) -> Promise {
        self.call(|core| async move {
            let repository = object_name(&repository, "git_repository")?;
            done(core.delete_git_repository(&repository).await)
        })
    }
}
