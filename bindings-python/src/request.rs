//! `ksdevops.Request`: a built request, ready to send with any HTTP client.

use crate::convert::json_to_py;
use ksdevops::api::Body;
use ksdevops::Secret;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyTuple};

/// An HTTP request for the KubeSphere API server, relative to its base URL.
///
/// `path` is percent-encoded; `query` holds decoded (name, value) pairs; `body` is the parsed
/// JSON body, a list of (name, value) form pairs, or None. `repr()` never shows the body, so
/// passwords and credential data in it stay out of logs.
#[pyclass(frozen, module = "ksdevops", name = "Request")]
pub struct Request {
    inner: ksdevops::api::Request,
}

impl From<ksdevops::api::Request> for Request {
    fn from(inner: ksdevops::api::Request) -> Self {
        Request { inner }
    }
}

fn pairs_to_py<'py>(py: Python<'py>, pairs: &[(String, String)]) -> PyResult<Bound<'py, PyList>> {
    let tuples = pairs
        .iter()
        .map(|(k, v)| PyTuple::new(py, [k, v]))
        .collect::<PyResult<Vec<_>>>()?;
    PyList::new(py, tuples)
}

#[pymethods]
impl Request {
    #[getter]
    fn method(&self) -> &'static str {
        self.inner.method.as_str()
    }

    /// The base URL of the server this request goes to when that is not the KubeSphere API
    /// server (Jenkins' own URL), else None.
    #[getter]
    fn base(&self) -> Option<&str> {
        self.inner.base.as_deref()
    }

    #[getter]
    fn path(&self) -> &str {
        &self.inner.path
    }

    #[getter]
    fn query<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        pairs_to_py(py, &self.inner.query)
    }

    #[getter]
    fn headers<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let dict = PyDict::new(py);
        for (name, value) in &self.inner.headers {
            dict.set_item(name, value)?;
        }
        Ok(dict)
    }

    #[getter]
    fn body<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        match &self.inner.body {
            None => Ok(None),
            Some(Body::Json(value)) => json_to_py(py, value).map(Some),
            Some(Body::Form(pairs)) => pairs_to_py(py, pairs).map(|list| Some(list.into_any())),
        }
    }

    /// The body as the bytes to send (JSON text or form-urlencoded), or None.
    fn body_bytes(&self) -> Option<Vec<u8>> {
        self.inner.body_bytes()
    }

    /// The absolute URL under `base` (e.g. "https://ks.example.com"), query encoded; under the
    /// request's own `base` when it has one.
    fn url(&self, base: &str) -> String {
        self.inner.url(base)
    }

    /// A curl command line for this request against `base`. Secrets (the token, passwords,
    /// credential data) are shown as `***`, so the output is safe to log but must be edited
    /// before it is run.
    #[pyo3(signature = (base, token = None))]
    fn to_curl(&self, base: &str, token: Option<String>) -> String {
        let token = token.map(Secret::new);
        self.inner.to_curl(base, token.as_ref())
    }

    fn __repr__(&self) -> String {
        format!("<Request {} {}>", self.inner.method, self.inner.path)
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other
            .cast::<Request>()
            .is_ok_and(|other| other.get().inner == self.inner)
    }
}
