//! Conversions between Python objects and the JSON values and byte strings the core takes.

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyString};
use serde_json::Value;

/// A Python value made of dicts, lists, str, int, float, bool and None, as JSON.
pub fn json_from_py(obj: &Bound<'_, PyAny>, what: &str) -> PyResult<Value> {
    pythonize::depythonize(obj).map_err(|e| {
        PyTypeError::new_err(format!(
            "{what} must be made of dict, list, str, int, float, bool and None: {e}"
        ))
    })
}

pub fn json_to_py<'py>(py: Python<'py>, value: &Value) -> PyResult<Bound<'py, PyAny>> {
    pythonize::pythonize(py, value).map_err(PyErr::from)
}

/// Response headers given as a dict or as an iterable of (name, value) pairs.
pub fn headers_from_py(obj: &Bound<'_, PyAny>) -> PyResult<Vec<(String, String)>> {
    if obj.is_none() {
        return Ok(Vec::new());
    }
    if let Ok(dict) = obj.cast::<PyDict>() {
        return dict
            .iter()
            .map(|(k, v)| Ok((k.extract()?, v.extract()?)))
            .collect();
    }
    // Mappings other than dict (e.g. http.client.HTTPMessage, requests' CaseInsensitiveDict).
    let pairs = match obj.getattr("items") {
        Ok(items) => items.call0()?,
        Err(_) => obj.clone(),
    };
    pairs
        .try_iter()?
        .map(|pair| {
            let (name, value): (String, String) = pair?.extract().map_err(|_| {
                PyTypeError::new_err("headers must be a dict or a list of (name, value) str pairs")
            })?;
            Ok((name, value))
        })
        .collect()
}

/// A response body given as bytes, bytearray, str or None.
pub fn body_bytes(obj: &Bound<'_, PyAny>) -> PyResult<Vec<u8>> {
    if obj.is_none() {
        Ok(Vec::new())
    } else if let Ok(bytes) = obj.cast::<PyBytes>() {
        Ok(bytes.as_bytes().to_vec())
    } else if let Ok(text) = obj.cast::<PyString>() {
        Ok(text.to_cow()?.as_bytes().to_vec())
    } else if let Ok(bytes) = obj.extract::<Vec<u8>>() {
        Ok(bytes)
    } else {
        Err(PyTypeError::new_err(format!(
            "body must be bytes, str or None, not {}",
            obj.get_type().name()?
        )))
    }
}

/// Parameter values given as a dict, or as an iterable of (name, value) pairs.
pub fn pairs_from_py(obj: &Bound<'_, PyAny>) -> PyResult<Vec<(String, Value)>> {
    let pairs = match obj.cast::<PyDict>() {
        Ok(dict) => dict.items().into_any(),
        Err(_) => obj.clone(),
    };
    pairs
        .try_iter()?
        .map(|pair| {
            let (name, value): (String, Bound<'_, PyAny>) = pair?.extract().map_err(|_| {
                PyTypeError::new_err("values must be a dict or a list of (name, value) pairs")
            })?;
            let value = json_from_py(&value, &format!("values[{name:?}]"))?;
            Ok((name, value))
        })
        .collect()
}

/// A JSON value handed to Python as dicts, lists, str, int, float, bool and None (for
/// answers without a model class of their own: Jenkins' and GitRepository resources).
pub struct Json(pub Value);

impl Json {
    /// `value` as JSON; serialization of the core's models never fails.
    pub fn of(value: &impl serde::Serialize) -> PyResult<Json> {
        serde_json::to_value(value)
            .map(Json)
            .map_err(|e| PyTypeError::new_err(e.to_string()))
    }
}

impl<'py> IntoPyObject<'py> for Json {
    type Target = PyAny;
    type Output = Bound<'py, PyAny>;
    type Error = PyErr;

    fn into_pyobject(self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        json_to_py(py, &self.0)
    }
}
