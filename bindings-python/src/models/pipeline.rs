//! `Pipeline` and `Branch`.

use super::parameters::definitions_to_py;
use super::{from_dict, model_methods, quoted};
use ksdevops::model::{self, ScmSource};
use pyo3::prelude::*;

/// A pipeline (regular or multi-branch), as the server keeps it.
#[pyclass(frozen, module = "ksdevops._ksdevops")]
#[derive(Clone)]
pub struct Pipeline {
    pub inner: model::Pipeline,
}

impl From<model::Pipeline> for Pipeline {
    fn from(inner: model::Pipeline) -> Self {
        Pipeline { inner }
    }
}

model_methods!(Pipeline {
    /// A regular pipeline running `jenkinsfile`, to pass to `create_pipeline`.
    #[staticmethod]
    #[pyo3(signature = (name, jenkinsfile, description = None))]
    fn regular(name: &str, jenkinsfile: &str, description: Option<String>) -> Self {
        let mut inner = model::Pipeline::regular(name, jenkinsfile);
        if let Some(spec) = inner.spec.pipeline.as_mut() {
            spec.description = description;
        }
        Pipeline { inner }
    }

    /// A multi-branch pipeline over the git repository at `url` (read with the credential
    /// named `credential_id`, for a private repository), to pass to `create_pipeline`.
    #[staticmethod]
    #[pyo3(signature = (name, url, credential_id = None, script_path = None))]
    fn multi_branch_git(
        name: &str,
        url: &str,
        credential_id: Option<String>,
        script_path: Option<String>,
    ) -> Self {
        let mut source = ScmSource::git(url);
        if let ScmSource::Git(git) = &mut source {
            git.credential_id = credential_id;
        }
        let mut inner = model::Pipeline::multi_branch(name, source);
        if let (Some(spec), Some(path)) = (inner.spec.multi_branch_pipeline.as_mut(), script_path)
        {
            spec.script_path = path;
        }
        Pipeline { inner }
    }

    /// A pipeline from its JSON data (what `to_dict()` gives, or a Kubernetes manifest).
    #[staticmethod]
    fn from_dict(data: &Bound<'_, PyAny>) -> PyResult<Self> {
        Ok(Pipeline {
            inner: from_dict(data, "pipeline")?,
        })
    }

    #[getter]
    fn name(&self) -> Option<&str> {
        self.inner.name()
    }

    #[getter]
    fn namespace(&self) -> Option<&str> {
        self.inner.metadata.namespace()
    }

    /// `"pipeline"` or `"multi-branch-pipeline"`.
    #[getter]
    fn kind(&self) -> &str {
        self.inner.spec.kind.as_str()
    }

    #[getter]
    fn is_multi_branch(&self) -> bool {
        self.inner.is_multi_branch()
    }

    /// The Jenkinsfile of a regular pipeline.
    #[getter]
    fn jenkinsfile(&self) -> Option<&str> {
        self.inner.jenkinsfile()
    }

    #[getter]
    fn description(&self) -> Option<&str> {
        match (&self.inner.spec.pipeline, &self.inner.spec.multi_branch_pipeline) {
            (Some(p), _) => p.description.as_deref(),
            (None, Some(m)) => m.description.as_deref(),
            (None, None) => None,
        }
    }

    #[getter]
    fn creator(&self) -> Option<&str> {
        self.inner.creator()
    }

    /// `"successful"` once Jenkins has the job (`None` before the first sync).
    #[getter]
    fn sync_status(&self) -> Option<&str> {
        self.inner.sync_status()
    }

    #[getter]
    fn is_synced(&self) -> bool {
        self.inner.is_synced()
    }

    fn __repr__(&self) -> String {
        format!(
            "Pipeline(name={}, kind={}, sync_status={})",
            quoted(self.inner.name()),
            quoted(Some(self.inner.spec.kind.as_str())),
            quoted(self.inner.sync_status())
        )
    }
});

/// A branch (or pull request) of a multi-branch pipeline.
#[pyclass(frozen, module = "ksdevops._ksdevops")]
#[derive(Clone)]
pub struct Branch {
    pub inner: model::Branch,
}

impl From<model::Branch> for Branch {
    fn from(inner: model::Branch) -> Self {
        Branch { inner }
    }
}

model_methods!(Branch {
    /// The Jenkins name (percent-encoded, e.g. `feature%2Flogin`).
    #[getter]
    fn name(&self) -> Option<&str> {
        self.inner.name.as_deref()
    }

    /// The name as people write it (e.g. `feature/login`).
    #[getter]
    fn display_name(&self) -> Option<&str> {
        self.inner.display()
    }

    #[getter]
    fn is_pull_request(&self) -> bool {
        self.inner.is_pull_request()
    }

    /// The branch's parameter definitions (list of `ParameterDefinition`).
    #[getter]
    fn parameters<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        definitions_to_py(py, self.inner.parameters())
    }

    fn __repr__(&self) -> String {
        format!(
            "Branch(name={}, display_name={}, is_pull_request={})",
            quoted(self.inner.name.as_deref()),
            quoted(self.inner.display()),
            if self.inner.is_pull_request() { "True" } else { "False" }
        )
    }
});
