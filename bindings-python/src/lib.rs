//! Python binding of ksdevops: the compiled module `ksdevops._ksdevops`.
//!
//! It only translates between Python and the core. The public Python API is the `ksdevops`
//! package (bindings-python/python/ksdevops), which re-exports what is defined here.

#[macro_use]
mod twins;
mod args;
mod client;
mod convert;
mod download;
mod errors;
mod html;
mod jenkins;
mod models;
mod request;
mod runtime;
mod settings;
mod stream;

#[pyo3::pymodule]
mod _ksdevops {
    use crate::convert::{body_bytes, headers_from_py, json_from_py, json_to_py, pairs_from_py};
    use crate::errors::to_py_err;
    use pyo3::prelude::*;

    #[pymodule_export]
    use crate::request::Request;

    #[pymodule_export]
    use crate::client::{AsyncClient, Client};

    #[pymodule_export]
    use crate::jenkins::{AsyncJenkins, Jenkins};

    #[pymodule_export]
    use crate::stream::ItemStream;

    #[pymodule_export]
    use crate::models::{
        Artifact, Branch, Credential, DevOpsProject, Diagnosis, PendingInput, Pipeline,
        PipelineRun, RunEvent, Scan, Stage, Step,
    };

    /// Builds the request for `operation` (e.g. "list_pipelines") from `args`, a dict named as in
    /// the vector format, for the server generation `layout` ("v4" or "v3"). Nothing is sent.
    #[pyfunction]
    #[pyo3(signature = (operation, args = None, layout = "v4"))]
    fn build_request(
        operation: &str,
        args: Option<&Bound<'_, PyAny>>,
        layout: &str,
    ) -> PyResult<Request> {
        let layout: ksdevops::api::ApiLayout = layout.parse().map_err(to_py_err)?;
        let args = match args {
            Some(args) => json_from_py(args, "args")?,
            None => serde_json::Value::Object(Default::default()),
        };
        ksdevops::api::build_request(operation, &args, layout)
            .map(Request::from)
            .map_err(to_py_err)
    }

    /// Decodes the server's answer to `operation` into plain Python values (dicts, lists, str,
    /// ...), or raises the `KsDevOpsError` subclass the answer means. `headers` is a dict or a
    /// list of (name, value) pairs; `body` is bytes or str.
    #[pyfunction]
    fn decode_response<'py>(
        py: Python<'py>,
        operation: &str,
        status: u16,
        headers: &Bound<'py, PyAny>,
        body: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let headers = headers_from_py(headers)?;
        let body = body_bytes(body)?;
        let value = ksdevops::decode::decode_response(operation, status, &headers, &body)
            .map_err(to_py_err)?;
        json_to_py(py, &value)
    }

    /// Reads a Jenkinsfile with Jenkins' rules, offline, and returns the report as JSON data:
    /// `{"parameters", "inputParameters", "diagnostics", "accepted"}`. Never raises for any
    /// text; problems are diagnostics. `ksdevops.parse_jenkinsfile` wraps it in typed objects.
    #[pyfunction]
    fn parse_jenkinsfile<'py>(py: Python<'py>, text: &str) -> PyResult<Bound<'py, PyAny>> {
        let report = py.detach(|| ksdevops::jenkinsfile::parse_jenkinsfile(text).to_json());
        json_to_py(py, &report)
    }

    /// Checks `values` ((name, value) pairs) against parameter `definitions` (dicts shaped as
    /// Jenkins' REST API shows them) and returns the run payload, `[{"name", "value"}, ...]`,
    /// in the definitions' order, password entries marked `"secret": True` (so a request built
    /// from it masks them). Raises InvalidInput naming the parameter at fault.
    #[pyfunction]
    #[pyo3(signature = (definitions, values, fill_defaults = false))]
    fn check_parameters<'py>(
        py: Python<'py>,
        definitions: &Bound<'py, PyAny>,
        values: &Bound<'py, PyAny>,
        fill_defaults: bool,
    ) -> PyResult<Bound<'py, PyAny>> {
        let definitions = definitions_from_py(definitions)?;
        let values = pairs_from_py(values)?;
        let checked = ksdevops::jenkinsfile::check_parameters(&definitions, &values, fill_defaults)
            .map_err(to_py_err)?;
        json_to_py(
            py,
            &ksdevops::api::parameters_argument(&checked, &definitions),
        )
    }

    fn definitions_from_py(
        definitions: &Bound<'_, PyAny>,
    ) -> PyResult<Vec<ksdevops::model::ParameterDefinition>> {
        serde_json::from_value(json_from_py(definitions, "definitions")?).map_err(|e| {
            to_py_err(ksdevops::Error::invalid(
                "definitions",
                format!("not parameter definitions: {e}"),
            ))
        })
    }

    /// Whether a parameter of Jenkins type `kind` is a password (its values are secrets).
    #[pyfunction]
    fn is_password_type(kind: &str) -> bool {
        ksdevops::model::ParameterDefinition {
            name: String::new(),
            kind: kind.to_owned(),
            description: None,
            default_parameter_value: None,
            choices: None,
            extra: Default::default(),
        }
        .is_password()
    }

    /// Parameter definitions (dicts) as an HTML table, password defaults masked.
    #[pyfunction]
    fn parameters_html(definitions: &Bound<'_, PyAny>) -> PyResult<String> {
        Ok(crate::models::definitions_html(&definitions_from_py(
            definitions,
        )?))
    }
}
