//! `Artifact`, `Credential`, `PendingInput`, `Diagnosis` and `Scan`.

use super::parameters::definitions_to_py;
use super::{model_methods, quoted};
use crate::html::{escape, table, Cell};
use ksdevops::client;
use ksdevops::model::{self, CredentialSecret};
use pyo3::prelude::*;
use pyo3::types::PyDict;

/// A file a run archived.
#[pyclass(frozen, module = "ksdevops._ksdevops")]
#[derive(Clone)]
pub struct Artifact {
    pub inner: model::Artifact,
}

impl From<model::Artifact> for Artifact {
    fn from(inner: model::Artifact) -> Self {
        Artifact { inner }
    }
}

model_methods!(Artifact {
    /// The path in the run's workspace (what `download` takes).
    #[getter]
    fn path(&self) -> Option<&str> {
        self.inner.file_path()
    }

    #[getter]
    fn name(&self) -> Option<&str> {
        self.inner.name.as_deref()
    }

    /// The size in bytes, as listed.
    #[getter]
    fn size(&self) -> Option<i64> {
        self.inner.size
    }

    #[getter]
    fn url(&self) -> Option<&str> {
        self.inner.url.as_deref()
    }

    fn __repr__(&self) -> String {
        format!(
            "Artifact(path={}, size={})",
            quoted(self.inner.file_path()),
            self.inner
                .size
                .map_or_else(|| "None".to_owned(), |s| s.to_string())
        )
    }
});

/// A DevOps credential as the server shows it: its secret values are never part of it.
#[pyclass(frozen, module = "ksdevops._ksdevops")]
#[derive(Clone)]
pub struct Credential {
    pub inner: CredentialSecret,
}

impl From<CredentialSecret> for Credential {
    fn from(inner: CredentialSecret) -> Self {
        Credential { inner }
    }
}

model_methods!(Credential {
    #[getter]
    fn name(&self) -> Option<&str> {
        self.inner.name()
    }

    /// `"basic-auth"`, `"ssh-auth"`, `"secret-text"` or `"kubeconfig"` (None for other
    /// Secrets).
    #[getter]
    fn kind(&self) -> Option<&'static str> {
        self.inner.credential_kind().map(|k| k.as_str())
    }

    #[getter]
    fn description(&self) -> Option<&str> {
        self.inner.description()
    }

    /// The user name of a basic-auth or ssh-auth credential (not a secret).
    #[getter]
    fn username(&self) -> Option<String> {
        self.inner.username().ok().flatten()
    }

    /// `"pending"`, then `"successful"` once Jenkins has it.
    #[getter]
    fn sync_status(&self) -> Option<&str> {
        self.inner.sync_status()
    }

    /// The data keys present (their values are never shown).
    #[getter]
    fn keys(&self) -> Vec<&str> {
        self.inner.keys()
    }

    fn __repr__(&self) -> String {
        format!(
            "Credential(name={}, kind={}, keys={:?})",
            quoted(self.inner.name()),
            quoted(self.inner.credential_kind().map(|k| k.as_str())),
            self.inner.keys()
        )
    }
});

/// An `input` step a run waits at.
#[pyclass(frozen, module = "ksdevops._ksdevops")]
#[derive(Clone)]
pub struct PendingInput {
    pub inner: client::PendingInput,
}

impl From<client::PendingInput> for PendingInput {
    fn from(inner: client::PendingInput) -> Self {
        PendingInput { inner }
    }
}

model_methods!(PendingInput {
    /// The id `approve`/`abort` take as `input`.
    #[getter]
    fn id(&self) -> &str {
        self.inner.id()
    }

    /// The question asked.
    #[getter]
    fn message(&self) -> Option<&str> {
        self.inner.input.message.as_deref()
    }

    /// The stage's display name.
    #[getter]
    fn stage(&self) -> Option<&str> {
        self.inner.stage.as_deref()
    }

    #[getter]
    fn node(&self) -> &str {
        &self.inner.node
    }

    #[getter]
    fn step(&self) -> &str {
        &self.inner.step
    }

    /// Whether the server says you may answer (None when it does not say).
    #[getter]
    fn approvable(&self) -> Option<bool> {
        self.inner.approvable
    }

    /// Who may answer (empty: anyone allowed to run the pipeline).
    #[getter]
    fn submitters(&self) -> Vec<&str> {
        self.inner.input.submitters()
    }

    /// The parameters the answer takes (list of `ParameterDefinition`).
    #[getter]
    fn parameters<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        definitions_to_py(py, self.inner.input.parameters())
    }

    fn __repr__(&self) -> String {
        format!(
            "PendingInput(id={}, stage={}, message={})",
            quoted(Some(self.inner.id())),
            quoted(self.inner.stage.as_deref()),
            quoted(self.inner.input.message.as_deref())
        )
    }
});

/// Why a run failed or is stuck: the stage and step at fault, its log tail, and a hint.
#[pyclass(frozen, module = "ksdevops._ksdevops")]
#[derive(Clone)]
pub struct Diagnosis {
    pub inner: client::Diagnosis,
}

impl From<client::Diagnosis> for Diagnosis {
    fn from(inner: client::Diagnosis) -> Self {
        Diagnosis { inner }
    }
}

impl Diagnosis {
    fn cause_kind(&self) -> Option<String> {
        let value = serde_json::to_value(self.inner.cause.as_ref()?).ok()?;
        value.get("kind")?.as_str().map(str::to_owned)
    }
}

model_methods!(Diagnosis {
    #[getter]
    fn run(&self) -> &str {
        &self.inner.run
    }

    #[getter]
    fn phase(&self) -> Option<&str> {
        self.inner.phase.as_ref().map(|p| p.as_str())
    }

    #[getter]
    fn state(&self) -> Option<&str> {
        self.inner.state.as_ref().map(|s| s.as_str())
    }

    #[getter]
    fn result(&self) -> Option<&str> {
        self.inner.result.as_ref().map(|r| r.as_str())
    }

    /// The failing (or stuck) stage.
    #[getter]
    fn stage(&self) -> Option<&str> {
        self.inner.stage.as_deref()
    }

    #[getter]
    fn step(&self) -> Option<&str> {
        self.inner.step.as_deref()
    }

    /// The last lines of that step's log (or of the run's).
    #[getter]
    fn log_tail(&self) -> &str {
        &self.inner.log_tail
    }

    /// The known cause: `"agent_label_not_found"`, `"tool_not_found"`,
    /// `"artifact_in_another_stage"`, `"permission_denied"`, `"pipeline_not_synced"`,
    /// `"queued_no_executor"`, or None.
    #[getter]
    fn cause(&self) -> Option<String> {
        self.cause_kind()
    }

    /// What the cause names (e.g. `{"tool": "mvn"}`); empty without a cause.
    #[getter]
    fn cause_details<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let dict = PyDict::new(py);
        if let Some(cause) = &self.inner.cause {
            if let Ok(serde_json::Value::Object(fields)) = serde_json::to_value(cause) {
                for (key, value) in fields.iter().filter(|(k, _)| *k != "kind") {
                    dict.set_item(key, super::to_dict(py, value)?)?;
                }
            }
        }
        Ok(dict)
    }

    /// What to do about it.
    #[getter]
    fn hint(&self) -> &str {
        &self.inner.hint
    }

    fn __repr__(&self) -> String {
        format!(
            "Diagnosis(run={}, stage={}, step={}, cause={})",
            quoted(Some(&self.inner.run)),
            quoted(self.inner.stage.as_deref()),
            quoted(self.inner.step.as_deref()),
            quoted(self.cause_kind().as_deref())
        )
    }

    /// The findings as an HTML table, with the log tail below.
    fn _repr_html_(&self) -> String {
        let d = &self.inner;
        let rows = vec![
            vec![Cell::Text("stage".into()), Cell::text(d.stage.as_deref())],
            vec![Cell::Text("step".into()), Cell::text(d.step.as_deref())],
            vec![
                Cell::Text("result".into()),
                Cell::status(
                    d.result
                        .as_ref()
                        .map(|r| r.as_str())
                        .or(d.phase.as_ref().map(|p| p.as_str())),
                ),
            ],
            vec![Cell::Text("cause".into()), Cell::text(self.cause_kind().as_deref())],
            vec![Cell::Text("hint".into()), Cell::Text(d.hint.clone())],
        ];
        let mut html = table(&format!("Diagnosis of run {}", d.run), &["", ""], &rows);
        if !d.log_tail.is_empty() {
            html.push_str(&format!("<pre>{}</pre>", escape(&d.log_tail)));
        }
        html
    }
});

/// The outcome of `scan()`.
#[pyclass(frozen, module = "ksdevops._ksdevops")]
pub struct Scan {
    pub inner: client::Scan,
}

#[pymethods]
impl Scan {
    /// The scan log (empty when not waited for).
    #[getter]
    fn log(&self) -> &str {
        &self.inner.log
    }

    /// Whether the scan was seen to finish.
    #[getter]
    fn finished(&self) -> bool {
        self.inner.finished
    }

    /// Whether it finished with `Finished: SUCCESS`.
    #[getter]
    fn succeeded(&self) -> bool {
        self.inner.succeeded
    }

    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let dict = PyDict::new(py);
        dict.set_item("log", &self.inner.log)?;
        dict.set_item("finished", self.inner.finished)?;
        dict.set_item("succeeded", self.inner.succeeded)?;
        Ok(dict)
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other
            .cast::<Scan>()
            .is_ok_and(|other| other.get().inner == self.inner)
    }

    fn __repr__(&self) -> String {
        format!(
            "Scan(finished={}, succeeded={})",
            py_bool(self.inner.finished),
            py_bool(self.inner.succeeded)
        )
    }
}

fn py_bool(value: bool) -> &'static str {
    if value {
        "True"
    } else {
        "False"
    }
}
