//! Parameter definitions as the package's `ParameterDefinition` objects, in a
//! `ParameterList` (a list that renders as a table in notebooks).

use crate::html::{table, Cell};
use ksdevops::model::ParameterDefinition;
use ksdevops::Secret;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyList, PyType};

static CLASSES: PyOnceLock<(Py<PyType>, Py<PyType>)> = PyOnceLock::new();

/// `ksdevops.jenkinsfile.ParameterDefinition` and `ParameterList`.
fn classes(py: Python<'_>) -> PyResult<&(Py<PyType>, Py<PyType>)> {
    CLASSES.get_or_try_init(py, || {
        let module = py.import("ksdevops.jenkinsfile")?;
        let definition = module
            .getattr("ParameterDefinition")?
            .cast_into::<PyType>()?;
        let list = module.getattr("ParameterList")?.cast_into::<PyType>()?;
        Ok::<_, PyErr>((definition.unbind(), list.unbind()))
    })
}

/// A `ParameterList` of `ParameterDefinition`s.
pub fn definitions_to_py<'py>(
    py: Python<'py>,
    definitions: &[ParameterDefinition],
) -> PyResult<Bound<'py, PyAny>> {
    let (definition, list) = classes(py)?;
    let items = definitions
        .iter()
        .map(|d| {
            definition
                .bind(py)
                .call_method1("from_dict", (super::to_dict(py, d)?,))
        })
        .collect::<PyResult<Vec<_>>>()?;
    list.bind(py).call1((PyList::new(py, items)?,))
}

/// Definitions returned from the runtime, made Python objects when they reach Python.
pub struct Definitions(pub Vec<ParameterDefinition>);

impl<'py> IntoPyObject<'py> for Definitions {
    type Target = PyAny;
    type Output = Bound<'py, PyAny>;
    type Error = PyErr;

    fn into_pyobject(self, py: Python<'py>) -> PyResult<Self::Output> {
        definitions_to_py(py, &self.0)
    }
}

/// The default shown for a definition: `***` for a password's.
pub fn shown_default(definition: &ParameterDefinition) -> Option<String> {
    let value = definition
        .default_parameter_value
        .as_ref()?
        .value
        .as_ref()?;
    if definition.is_password() {
        return Some(Secret::MASK.to_owned());
    }
    Some(match value {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    })
}

/// A table of definitions: name, type, default (passwords masked), choices, description.
pub fn definitions_html(definitions: &[ParameterDefinition]) -> String {
    let rows: Vec<Vec<Cell>> = definitions
        .iter()
        .map(|d| {
            vec![
                Cell::Text(d.name.clone()),
                Cell::Text(d.kind.clone()),
                Cell::text(shown_default(d).as_deref()),
                Cell::Text(d.choices.as_deref().unwrap_or_default().join(", ")),
                Cell::text(d.description.as_deref()),
            ]
        })
        .collect();
    table(
        &format!("{} parameters", definitions.len()),
        &["name", "type", "default", "choices", "description"],
        &rows,
    )
}
