//! `DevOpsProject`.

use super::{from_dict, model_methods, quoted};
use ksdevops::model;
use pyo3::prelude::*;

/// A DevOps project: the tenant unit of a workspace that owns pipelines and credentials.
#[pyclass(frozen, module = "ksdevops._ksdevops")]
#[derive(Clone)]
pub struct DevOpsProject {
    pub inner: model::DevOpsProject,
}

impl From<model::DevOpsProject> for DevOpsProject {
    fn from(inner: model::DevOpsProject) -> Self {
        DevOpsProject { inner }
    }
}

model_methods!(DevOpsProject {
    /// A project from its JSON data (what `to_dict()` gives).
    #[staticmethod]
    fn from_dict(data: &Bound<'_, PyAny>) -> PyResult<Self> {
        Ok(DevOpsProject {
            inner: from_dict(data, "project")?,
        })
    }

    #[getter]
    fn name(&self) -> Option<&str> {
        self.inner.name()
    }

    /// The namespace holding the project's pipelines and credentials (the `project` to give
    /// a `Client`).
    #[getter]
    fn admin_namespace(&self) -> Option<&str> {
        self.inner.admin_namespace()
    }

    #[getter]
    fn workspace(&self) -> Option<&str> {
        self.inner.workspace()
    }

    #[getter]
    fn creator(&self) -> Option<&str> {
        self.inner.creator()
    }

    fn __repr__(&self) -> String {
        format!(
            "DevOpsProject(name={}, workspace={}, admin_namespace={})",
            quoted(self.inner.name()),
            quoted(self.inner.workspace()),
            quoted(self.inner.admin_namespace())
        )
    }
});
