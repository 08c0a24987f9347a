//! `PipelineRun` with its `Stage`s and `Step`s, and the `RunEvent`s of `watch_runs`.

use super::{from_dict, model_methods, quoted};
use crate::html::{table, Cell};
use ksdevops::client::{result_of, RunChange};
use ksdevops::model::{self, NodeDetail};
use pyo3::prelude::*;
use pyo3::types::PyDict;

/// A run of a pipeline (a PipelineRun object), with Jenkins' status when synced.
///
/// `repr()` shows no parameter values (a password parameter's would be among them).
#[pyclass(frozen, module = "ksdevops._ksdevops")]
#[derive(Clone)]
pub struct PipelineRun {
    pub inner: model::PipelineRun,
}

impl From<model::PipelineRun> for PipelineRun {
    fn from(inner: model::PipelineRun) -> Self {
        PipelineRun { inner }
    }
}

impl PipelineRun {
    fn jenkins(&self) -> Option<model::Run> {
        self.inner.jenkins_run().ok().flatten()
    }

    fn stage_list(&self) -> Vec<NodeDetail> {
        self.inner.stages().unwrap_or_default()
    }
}

fn stages_html(caption: &str, stages: &[NodeDetail]) -> String {
    let rows: Vec<Vec<Cell>> = stages
        .iter()
        .map(|s| {
            let steps = s.steps();
            let done = steps
                .iter()
                .filter(|step| {
                    step.result
                        .as_ref()
                        .is_some_and(|r| r.as_str() == "SUCCESS")
                })
                .count();
            vec![
                Cell::text(s.display_name.as_deref()),
                Cell::status(s.state.as_ref().map(|x| x.as_str())),
                Cell::status(s.result.as_ref().map(|x| x.as_str())),
                Cell::Text(format!("{done}/{}", steps.len())),
                Cell::Text(
                    s.duration_in_millis
                        .map(|ms| format!("{:.1} s", ms as f64 / 1000.0))
                        .unwrap_or_default(),
                ),
            ]
        })
        .collect();
    table(
        caption,
        &["stage", "state", "result", "steps", "duration"],
        &rows,
    )
}

model_methods!(PipelineRun {
    /// A run from its JSON data (what `to_dict()` gives).
    #[staticmethod]
    fn from_dict(data: &Bound<'_, PyAny>) -> PyResult<Self> {
        Ok(PipelineRun {
            inner: from_dict(data, "run")?,
        })
    }

    /// The run's name (the PipelineRun object's), which every run method takes.
    #[getter]
    fn name(&self) -> Option<&str> {
        self.inner.name()
    }

    #[getter]
    fn pipeline(&self) -> Option<&str> {
        self.inner.pipeline_name()
    }

    /// The branch of a multi-branch run.
    #[getter]
    fn branch(&self) -> Option<&str> {
        self.inner.branch()
    }

    /// `"Pending"`, `"Running"`, `"Succeeded"`, `"Failed"`, `"Cancelled"`, ... or None.
    #[getter]
    fn phase(&self) -> Option<&str> {
        self.inner.phase().map(|p| p.as_str())
    }

    /// The Jenkins build number, once Jenkins has started the run.
    #[getter]
    fn build_id(&self) -> Option<&str> {
        self.inner.build_id()
    }

    /// The run's state, as the library reads it: `"queued"`, `"running"`,
    /// `"waiting_for_input"`, `"succeeded"`, `"failed"`, `"unstable"`, `"aborted"`,
    /// `"not_built"`, ... An aborted run is `"aborted"` though its phase says `"Failed"`.
    #[getter]
    fn state(&self) -> &'static str {
        self.inner.state().name()
    }

    /// Jenkins' own state word: `"QUEUED"`, `"RUNNING"`, `"PAUSED"`, `"FINISHED"`, ... or None.
    #[getter]
    fn jenkins_state(&self) -> Option<String> {
        self.jenkins()?.state.map(|s| s.as_str().to_owned())
    }

    /// Jenkins' result (`"SUCCESS"`, `"FAILURE"`, `"ABORTED"`, ...), else the one the phase
    /// implies; None while the run goes on.
    #[getter]
    fn result(&self) -> Option<String> {
        result_of(&self.inner)
            .filter(|r| *r != model::RunResult::Unknown)
            .map(|r| r.as_str().to_owned())
    }

    /// Whether the run finished with `SUCCESS`.
    #[getter]
    fn succeeded(&self) -> bool {
        result_of(&self.inner).is_some_and(|r| r == model::RunResult::Success)
            && self.inner.phase().is_some_and(|p| p.is_terminal())
    }

    #[getter]
    fn creator(&self) -> Option<&str> {
        self.inner.creator()
    }

    #[getter]
    fn start_time(&self) -> Option<&str> {
        self.inner.status.as_ref()?.start_time.as_ref().map(|t| t.as_str())
    }

    #[getter]
    fn completion_time(&self) -> Option<&str> {
        let t = self.inner.status.as_ref()?.completion_time.as_ref()?;
        (!t.is_zero()).then(|| t.as_str())
    }

    /// The values the run was given, by name (password values included: keep this out of
    /// logs).
    #[getter]
    fn parameters<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let dict = PyDict::new(py);
        for p in &self.inner.spec.parameters {
            dict.set_item(&p.name, &p.value)?;
        }
        Ok(dict)
    }

    /// The stages as the run's status reports them (see `nodes()` for the live view).
    #[getter]
    fn stages(&self) -> Vec<Stage> {
        self.stage_list().into_iter().map(Stage::from).collect()
    }

    fn __repr__(&self) -> String {
        format!(
            "PipelineRun(name={}, pipeline={}, phase={}, state={}, build_id={})",
            quoted(self.inner.name()),
            quoted(self.inner.pipeline_name()),
            quoted(self.inner.phase().map(|p| p.as_str())),
            quoted(Some(self.inner.state().name())),
            quoted(self.inner.build_id())
        )
    }

    /// The run and its stages as an HTML table, states in colour.
    fn _repr_html_(&self) -> String {
        let outcome = self.inner.state().word();
        let caption = format!(
            "Run {} of {} (build {}): {}",
            self.inner.name().unwrap_or("?"),
            self.inner.pipeline_name().unwrap_or("?"),
            self.inner.build_id().unwrap_or("-"),
            outcome
        );
        let mut html = stages_html(&caption, &self.stage_list());
        html.insert_str(
            0,
            &format!(
                "<div><span style=\"color:{}\">&#9679;</span> ",
                crate::html::colour(&outcome)
            ),
        );
        html.push_str("</div>");
        html
    }
});

/// One stage of a run (a Jenkins flow node) with its steps.
#[pyclass(frozen, module = "ksdevops._ksdevops")]
#[derive(Clone)]
pub struct Stage {
    pub inner: NodeDetail,
}

impl From<NodeDetail> for Stage {
    fn from(inner: NodeDetail) -> Self {
        Stage { inner }
    }
}

model_methods!(Stage {
    #[getter]
    fn id(&self) -> Option<&str> {
        self.inner.id.as_deref()
    }

    #[getter]
    fn name(&self) -> Option<&str> {
        self.inner.display_name.as_deref()
    }

    /// The stage's state, as the library reads it (the names of `PipelineRun.state`;
    /// `"not_started"` before it starts).
    #[getter]
    fn state(&self) -> &'static str {
        self.inner.overall_state().name()
    }

    /// Jenkins' own state word (`"RUNNING"`, `"PAUSED"`, `"FINISHED"`, ...) or None.
    #[getter]
    fn jenkins_state(&self) -> Option<&str> {
        self.inner.state.as_ref().map(|s| s.as_str())
    }

    #[getter]
    fn result(&self) -> Option<&str> {
        self.inner.result.as_ref().map(|r| r.as_str())
    }

    #[getter]
    fn duration_ms(&self) -> Option<i64> {
        self.inner.duration_in_millis
    }

    /// Why the stage waits (e.g. no agent with its label), when it does.
    #[getter]
    fn cause_of_blockage(&self) -> Option<&str> {
        self.inner.cause_of_blockage.as_deref()
    }

    #[getter]
    fn steps(&self) -> Vec<Step> {
        self.inner.steps().iter().cloned().map(Step::from).collect()
    }

    fn __repr__(&self) -> String {
        format!(
            "Stage(name={}, state={}, result={}, steps={})",
            quoted(self.inner.display_name.as_deref()),
            quoted(Some(self.inner.overall_state().name())),
            quoted(self.inner.result.as_ref().map(|r| r.as_str())),
            self.inner.steps().len()
        )
    }
});

/// One step of a stage.
#[pyclass(frozen, module = "ksdevops._ksdevops")]
#[derive(Clone)]
pub struct Step {
    pub inner: model::Step,
}

impl From<model::Step> for Step {
    fn from(inner: model::Step) -> Self {
        Step { inner }
    }
}

model_methods!(Step {
    #[getter]
    fn id(&self) -> Option<&str> {
        self.inner.id.as_deref()
    }

    #[getter]
    fn name(&self) -> Option<&str> {
        self.inner
            .display_name
            .as_deref()
            .or(self.inner.display_description.as_deref())
    }

    /// The step's state, as the library reads it (the names of `PipelineRun.state`;
    /// `"not_started"` before it starts).
    #[getter]
    fn state(&self) -> &'static str {
        self.inner.overall_state().name()
    }

    /// Jenkins' own state word (`"RUNNING"`, `"PAUSED"`, `"FINISHED"`, ...) or None.
    #[getter]
    fn jenkins_state(&self) -> Option<&str> {
        self.inner.state.as_ref().map(|s| s.as_str())
    }

    #[getter]
    fn result(&self) -> Option<&str> {
        self.inner.result.as_ref().map(|r| r.as_str())
    }

    #[getter]
    fn duration_ms(&self) -> Option<i64> {
        self.inner.duration_in_millis
    }

    /// Paused at an `input` that can be approved or aborted.
    #[getter]
    fn is_pending_input(&self) -> bool {
        self.inner.is_pending_input()
    }

    fn __repr__(&self) -> String {
        format!(
            "Step(name={}, state={}, result={})",
            quoted(self.name()),
            quoted(Some(self.state())),
            quoted(self.result())
        )
    }
});

/// A change of a run seen by `watch_runs()`: `change` is `"added"`, `"modified"` or
/// `"deleted"`; `run` is the run after the change.
#[pyclass(frozen, module = "ksdevops._ksdevops")]
pub struct RunEvent {
    change: RunChange,
    run: Py<PipelineRun>,
}

impl RunEvent {
    pub fn new(py: Python<'_>, event: ksdevops::client::RunEvent) -> PyResult<Self> {
        Ok(RunEvent {
            change: event.change,
            run: Py::new(py, PipelineRun::from(event.run))?,
        })
    }

    fn change_str(&self) -> &'static str {
        match self.change {
            RunChange::Added => "added",
            RunChange::Modified => "modified",
            RunChange::Deleted => "deleted",
        }
    }
}

#[pymethods]
impl RunEvent {
    #[getter]
    fn change(&self) -> &'static str {
        self.change_str()
    }

    #[getter]
    fn run(&self, py: Python<'_>) -> Py<PipelineRun> {
        self.run.clone_ref(py)
    }

    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let dict = PyDict::new(py);
        dict.set_item("change", self.change_str())?;
        dict.set_item("run", super::to_dict(py, &self.run.get().inner)?)?;
        Ok(dict)
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other.cast::<RunEvent>().is_ok_and(|other| {
            let other = other.get();
            other.change == self.change && other.run.get().inner == self.run.get().inner
        })
    }

    fn __repr__(&self) -> String {
        format!(
            "RunEvent(change='{}', run={})",
            self.change_str(),
            self.run.get().__repr__()
        )
    }
}
