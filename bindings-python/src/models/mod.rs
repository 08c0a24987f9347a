//! Typed, frozen model classes over the core's serde models: attributes from the core's
//! accessors, `to_dict()` from serde, `==` from the core's equality, and reprs that never
//! show a secret.

mod parameters;
mod pipeline;
mod project;
mod run;
mod things;

pub use parameters::{definitions_html, Definitions};
pub use pipeline::{Branch, Pipeline};
pub use project::DevOpsProject;
pub use run::{PipelineRun, RunEvent, Stage, Step};
pub use things::{Artifact, Credential, Diagnosis, PendingInput, Scan};

use pyo3::prelude::*;
use serde::Serialize;

/// A serde value as Python data (dicts, lists, str, int, float, bool, None).
pub fn to_dict<'py>(py: Python<'py>, value: &impl Serialize) -> PyResult<Bound<'py, PyAny>> {
    pythonize::pythonize(py, value).map_err(PyErr::from)
}

/// A core model from Python data (what `to_dict()` gives), or InvalidInput naming `what`.
pub fn from_dict<T: serde::de::DeserializeOwned>(
    data: &Bound<'_, PyAny>,
    what: &str,
) -> PyResult<T> {
    let value = crate::convert::json_from_py(data, what)?;
    serde_json::from_value(value).map_err(|e| {
        crate::errors::to_py_err(ksdevops::Error::invalid(
            what,
            format!("does not read as a {what}: {e}"),
        ))
    })
}

/// Declares the `#[pymethods]` of a model class that wraps a core model in `inner`:
/// `to_dict()` and `==`, plus the methods given.
macro_rules! model_methods {
    ($class:ident { $($body:tt)* }) => {
        #[pyo3::pymethods]
        impl $class {
            /// The object as JSON data (dicts, lists, str, ...), with the server's field names.
            fn to_dict<'py>(
                &self,
                py: pyo3::Python<'py>,
            ) -> pyo3::PyResult<pyo3::Bound<'py, pyo3::PyAny>> {
                crate::models::to_dict(py, &self.inner)
            }

            fn __eq__(&self, other: &pyo3::Bound<'_, pyo3::PyAny>) -> bool {
                other
                    .cast::<$class>()
                    .is_ok_and(|other| other.get().inner == self.inner)
            }

            $($body)*
        }
    };
}

pub(crate) use model_methods;

/// `repr` text of an optional string: `'x'` or `None`.
pub fn quoted(value: Option<&str>) -> String {
    value.map_or_else(
        || "None".to_owned(),
        |v| format!("'{}'", v.replace('\\', "\\\\").replace('\'', "\\'")),
    )
}
