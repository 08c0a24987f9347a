//! Raises the Python exception class (defined in `ksdevops/errors.py`) that matches a core
//! error's kind, carrying its kind, field and HTTP status.

use ksdevops::{Error, ErrorKind};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyModule};

fn class_name(kind: ErrorKind) -> &'static str {
    match kind {
        ErrorKind::InvalidInput => "InvalidInput",
        ErrorKind::NotFound => "NotFound",
        ErrorKind::Conflict => "Conflict",
        ErrorKind::Unauthorized => "Unauthorized",
        ErrorKind::Forbidden => "Forbidden",
        ErrorKind::Refused => "Refused",
        ErrorKind::Server => "ServerError",
        ErrorKind::Transport => "TransportError",
        ErrorKind::Decode => "DecodeError",
        ErrorKind::Timeout => "Timeout",
    }
}

static ERRORS_MODULE: PyOnceLock<Py<PyModule>> = PyOnceLock::new();

fn errors_module(py: Python<'_>) -> PyResult<&Bound<'_, PyModule>> {
    ERRORS_MODULE
        .get_or_try_init(py, || {
            Ok::<_, PyErr>(py.import("ksdevops.errors")?.unbind())
        })
        .map(|module| module.bind(py))
}

fn build(py: Python<'_>, err: &Error) -> PyResult<PyErr> {
    let class = errors_module(py)?.getattr(class_name(err.kind()))?;
    let kwargs = PyDict::new(py);
    kwargs.set_item("kind", err.kind().as_str())?;
    kwargs.set_item("field", err.field())?;
    kwargs.set_item("status", err.status())?;
    let instance = class.call((err.message(),), Some(&kwargs))?;
    Ok(PyErr::from_value(instance))
}

pub fn to_py_err(err: Error) -> PyErr {
    Python::attach(|py| build(py, &err).unwrap_or_else(|failure| failure))
}
