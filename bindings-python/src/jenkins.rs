//! `Jenkins` (blocking) and `AsyncJenkins` (asyncio): Jenkins itself, from `client.jenkins()`
//! (ks-devops' proxy, the client's token) or `client.jenkins_admin()` (Jenkins' own URL with
//! the admin token of the `devops-jenkins` Secret, kept inside and never shown).

use crate::args;
use crate::convert::Json;
use crate::errors::to_py_err;
use crate::runtime::{awaitable, wait_for};
use crate::settings::Core;
use ksdevops::client::{JenkinsAdmin, QueuedBuild};
use pyo3::prelude::*;
use std::sync::Arc;

/// The core client and, the admin way, Jenkins' URL and credentials.
pub struct JenkinsCore {
    client: Arc<Core>,
    admin: Option<JenkinsAdmin>,
}

impl JenkinsCore {
    fn jenkins(
        &self,
    ) -> ksdevops::client::Jenkins<'_, ksdevops::transport::reqwest::ReqwestTransport> {
        match &self.admin {
            Some(admin) => self.client.jenkins_as_admin(admin.clone()),
            None => self.client.jenkins(),
        }
    }

    fn describe(&self, kind: &str) -> String {
        match &self.admin {
            Some(admin) => format!("<{kind} admin url={:?}>", admin.url()),
            None => format!("<{kind} proxy project={:?}>", self.client.devops()),
        }
    }
}

/// Jenkins through ks-devops' proxy of `client`'s project.
pub fn proxy(client: &Arc<Core>) -> Arc<JenkinsCore> {
    Arc::new(JenkinsCore {
        client: client.clone(),
        admin: None,
    })
}

/// Jenkins at its own URL as an administrator (reads the `devops-jenkins` Secret).
pub async fn admin(client: Arc<Core>) -> PyResult<Arc<JenkinsCore>> {
    let admin = client.jenkins_admin_login().await.map_err(to_py_err)?;
    Ok(Arc::new(JenkinsCore {
        client,
        admin: Some(admin),
    }))
}

/// Jenkins' own REST API: jobs, builds, console text, artifacts, agent labels. Jobs are
/// named by their folder path, "project/pipeline[/branch]". Every call blocks (GIL released).
#[pyclass(frozen, module = "ksdevops._ksdevops")]
pub struct Jenkins {
    pub(crate) core: Arc<JenkinsCore>,
}

/// The asyncio twin of `Jenkins`: the same methods, awaitable.
#[pyclass(frozen, module = "ksdevops._ksdevops")]
pub struct AsyncJenkins {
    pub(crate) core: Arc<JenkinsCore>,
}

fn ok<T>(result: ksdevops::error::Result<T>) -> PyResult<T> {
    result.map_err(to_py_err)
}

twins! {
    classes(Jenkins, AsyncJenkins)
    shared {
        /// Whether requests go to Jenkins' own URL as an administrator.
        #[getter]
        fn is_admin(&self) -> bool {
            self.core.admin.is_some()
        }

        fn __repr__(&self) -> String {
            let kind = std::any::type_name::<Self>().rsplit("::").next().unwrap_or("Jenkins");
            self.core.describe(kind)
        }
    }
    blocking {}
    asyncio {}
    ops {
        /// The jobs of `folder` ("project", "project/multi-branch-pipeline"), or of the top
        /// level: dicts with `name`, `url`, `color`, `_class`.
        #[pyo3(signature = (folder = None))]
        fn jobs(folder: Option<String>) -> Json {}
        async |core| { Json::of(&ok(core.jenkins().jobs(folder.as_deref()).await)?) }

        /// Queues a build of `job` with `values` (a dict or (name, value) pairs of str, int,
        /// float or bool); `secret_names` are password parameters, never shown. Sent once.
        /// Returns the queue item's id (see `build_number`).
        #[pyo3(signature = (job, values = None, secret_names = None))]
        fn build(job: String, values: Option<&Bound<'_, PyAny>>, secret_names: Option<Vec<String>>) -> u64 {
            let values = ok(ksdevops::client::jenkins_parameter_values(&args::values(values)?))?;
            let secret_names = secret_names.unwrap_or_default();
        }
        async |core| {
            Ok(ok(core.jenkins().build(&job, &values, &secret_names).await)?.queue_id)
        }

        /// The build number of queue item `queue_id` once Jenkins started it (waits within
        /// the client's limit; raises Timeout after it).
        fn build_number(queue_id: u64) -> u64 {}
        async |core| { ok(core.jenkins().build_number(QueuedBuild { queue_id }).await) }

        /// Build `number` of `job` as Jenkins reports it (`api/json`): `building`, `result`,
        /// `duration`, `actions` (parameters, password values never shown), `artifacts`.
        fn status(job: String, number: u64) -> Json {}
        async |core| { Json::of(&ok(core.jenkins().status(&job, number).await)?) }

        /// The whole console log of build `number` of `job`.
        fn console(job: String, number: u64) -> String {}
        async |core| { ok(core.jenkins().console(&job, number).await) }

        /// Downloads the archived file `artifact` (its relative path) of build `number` of
        /// `job` to `dest`: a file path, a directory (the file keeps its name), or a binary
        /// file object. Returns `(path, size)`; `path` is None for a file object. Never left
        /// half-written at a path.
        fn download(job: String, number: u64, artifact: String, dest: &Bound<'_, PyAny>) -> (Option<String>, u64) {
            let dest = args::destination(dest)?;
        }
        async |core| {
            let jenkins = core.jenkins();
            let (job, artifact) = (&job, &artifact);
            crate::download::into(dest, |path| async move {
                jenkins.download(job, number, artifact, &path).await
            })
            .await
        }

        /// The agent-labels dashboard: dicts with `label` and what Jenkins tells of it.
        fn labels() -> Json {}
        async |core| { Json::of(&ok(core.jenkins().labels().await)?) }
    }
}
