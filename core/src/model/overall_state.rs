//! The one state of a run, stage or step that a person reads: Jenkins' state and result in one
//! word, or, for a PipelineRun, the Jenkins run the server copied onto it, else its phase.

use super::node::{NodeDetail, Step};
use super::pipeline_run::{PipelineRun, RunPhase};
use super::run::Run;
use super::run_state::{RunResult, RunState};
use serde::{Deserialize, Serialize};

/// Where a run, stage or step is, in one word. Serialises as its [`OverallState::name`]
/// (`"waiting_for_input"`); [`OverallState::word`] is the same for people (`"waiting for
/// input"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OverallState {
    /// Created, waiting for Jenkins (or the controller) to start it.
    Queued,
    Running,
    /// Paused at an `input` step until someone approves or aborts it.
    WaitingForInput,
    Succeeded,
    Failed,
    Unstable,
    Aborted,
    /// Ended without being built.
    NotBuilt,
    Skipped,
    /// Ended with a result the server did not give.
    Finished,
    /// A stage or step that has not started yet.
    NotStarted,
    /// The server says nothing this library can read as a state.
    Unknown,
}

impl OverallState {
    /// Every state, in the order of a run's life.
    pub const ALL: [OverallState; 12] = [
        OverallState::Queued,
        OverallState::Running,
        OverallState::WaitingForInput,
        OverallState::Succeeded,
        OverallState::Failed,
        OverallState::Unstable,
        OverallState::Aborted,
        OverallState::NotBuilt,
        OverallState::Skipped,
        OverallState::Finished,
        OverallState::NotStarted,
        OverallState::Unknown,
    ];

    /// The state of a Jenkins run or node from its `state` and `result`. A result other than
    /// `UNKNOWN` without a state (some endpoints send only the result) counts as finished.
    pub fn of(state: Option<&RunState>, result: Option<&RunResult>) -> Self {
        let known_result = result.filter(|r| **r != RunResult::Unknown);
        match (state, known_result) {
            (Some(RunState::Finished), result) | (None, result @ Some(_)) => Self::ended(result),
            (Some(RunState::Queued), _) => OverallState::Queued,
            (Some(RunState::Running), _) => OverallState::Running,
            (Some(RunState::Paused), _) => OverallState::WaitingForInput,
            (Some(RunState::Skipped), _) => OverallState::Skipped,
            (Some(RunState::NotBuilt), _) => OverallState::NotBuilt,
            (None, None) => OverallState::NotStarted,
            (Some(RunState::Other(_)), _) => OverallState::Unknown,
        }
    }

    fn ended(result: Option<&RunResult>) -> Self {
        match result {
            Some(RunResult::Success) => OverallState::Succeeded,
            Some(RunResult::Failure) => OverallState::Failed,
            Some(RunResult::Unstable) => OverallState::Unstable,
            Some(RunResult::Aborted) => OverallState::Aborted,
            Some(RunResult::NotBuilt) => OverallState::NotBuilt,
            _ => OverallState::Finished,
        }
    }

    /// What a PipelineRun's `status.phase` alone says (reference: the controller's phase
    /// mapping). A paused run is `Pending` once Jenkins has its build number; an aborted or
    /// unstable one is just `Failed`.
    fn of_phase(run: &PipelineRun) -> Self {
        match run.phase() {
            None => OverallState::Queued,
            Some(RunPhase::Pending) if run.build_id().is_some() => OverallState::WaitingForInput,
            Some(RunPhase::Pending) => OverallState::Queued,
            Some(RunPhase::Running) => OverallState::Running,
            Some(RunPhase::Succeeded) => OverallState::Succeeded,
            Some(RunPhase::Failed) => OverallState::Failed,
            Some(RunPhase::Cancelled) => OverallState::Aborted,
            Some(RunPhase::Unknown | RunPhase::Other(_)) if run.is_completed() => {
                OverallState::Finished
            }
            Some(RunPhase::Unknown | RunPhase::Other(_)) => OverallState::Unknown,
        }
    }

    /// Nothing more will happen: it ended, whichever way.
    pub fn is_finished(self) -> bool {
        matches!(
            self,
            OverallState::Succeeded
                | OverallState::Failed
                | OverallState::Unstable
                | OverallState::Aborted
                | OverallState::NotBuilt
                | OverallState::Skipped
                | OverallState::Finished
        )
    }

    /// The name it serialises as, e.g. `"waiting_for_input"`.
    pub fn name(self) -> &'static str {
        match self {
            OverallState::Queued => "queued",
            OverallState::Running => "running",
            OverallState::WaitingForInput => "waiting_for_input",
            OverallState::Succeeded => "succeeded",
            OverallState::Failed => "failed",
            OverallState::Unstable => "unstable",
            OverallState::Aborted => "aborted",
            OverallState::NotBuilt => "not_built",
            OverallState::Skipped => "skipped",
            OverallState::Finished => "finished",
            OverallState::NotStarted => "not_started",
            OverallState::Unknown => "unknown",
        }
    }

    /// The name for people: `"waiting for input"`, `"not built"`, …
    pub fn word(self) -> String {
        self.name().replace('_', " ")
    }
}

impl std::fmt::Display for OverallState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.word())
    }
}

impl PipelineRun {
    /// The run's state: that of the Jenkins run the server copied onto it
    /// (`jenkins-pipelinerun-status`, which tells an aborted run from a failed one), else its
    /// phase. When the phase says the run ended but the copy does not (the copy lags behind),
    /// the phase wins.
    pub fn state(&self) -> OverallState {
        let from_phase = OverallState::of_phase(self);
        let copied = self
            .jenkins_run()
            .ok()
            .flatten()
            .map(|run| run.overall_state());
        match copied {
            Some(OverallState::NotStarted | OverallState::Unknown) | None => from_phase,
            Some(OverallState::Finished) if from_phase.is_finished() => from_phase,
            Some(copied) if from_phase.is_finished() && !copied.is_finished() => from_phase,
            Some(copied) => copied,
        }
    }
}

impl Run {
    /// The run's [`OverallState`], from its state and result.
    pub fn overall_state(&self) -> OverallState {
        OverallState::of(self.state.as_ref(), self.result.as_ref())
    }
}

impl NodeDetail {
    /// The stage's [`OverallState`] (`NotStarted` before it starts).
    pub fn overall_state(&self) -> OverallState {
        OverallState::of(self.state.as_ref(), self.result.as_ref())
    }
}

impl Step {
    /// The step's [`OverallState`] (`NotStarted` before it starts).
    pub fn overall_state(&self) -> OverallState {
        OverallState::of(self.state.as_ref(), self.result.as_ref())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// A PipelineRun as the API returns it: `phase`, and the Jenkins run the server copied
    /// into the status annotation (when `jenkins` is not null).
    fn run(phase: Option<&str>, jenkins: serde_json::Value) -> PipelineRun {
        let mut annotations = serde_json::Map::new();
        annotations.insert(
            "devops.kubesphere.io/jenkins-pipelinerun-id".into(),
            json!("3"),
        );
        if !jenkins.is_null() {
            annotations.insert(
                "devops.kubesphere.io/jenkins-pipelinerun-status".into(),
                json!(jenkins.to_string()),
            );
        }
        let mut value = json!({
            "apiVersion": "devops.kubesphere.io/v1alpha3",
            "kind": "PipelineRun",
            "metadata": {"name": "build-x7k2p", "namespace": "demo", "annotations": annotations},
            "spec": {"pipelineRef": {"name": "build"}},
        });
        if let Some(phase) = phase {
            value["status"] = json!({"phase": phase});
        }
        serde_json::from_value(value).unwrap()
    }

    #[test]
    fn an_aborted_run_is_aborted_though_its_phase_says_failed() {
        let aborted = run(
            Some("Failed"),
            json!({"id": "3", "state": "FINISHED", "result": "ABORTED"}),
        );
        assert_eq!(aborted.state(), OverallState::Aborted);
        assert!(aborted.state().is_finished());
        let unstable = run(
            Some("Failed"),
            json!({"state": "FINISHED", "result": "UNSTABLE"}),
        );
        assert_eq!(unstable.state(), OverallState::Unstable);
    }

    #[test]
    fn each_jenkins_state_and_result_has_its_word() {
        for (state, result, expected, word) in [
            ("QUEUED", None, OverallState::Queued, "queued"),
            ("RUNNING", None, OverallState::Running, "running"),
            (
                "PAUSED",
                None,
                OverallState::WaitingForInput,
                "waiting for input",
            ),
            (
                "FINISHED",
                Some("SUCCESS"),
                OverallState::Succeeded,
                "succeeded",
            ),
            ("FINISHED", Some("FAILURE"), OverallState::Failed, "failed"),
            (
                "FINISHED",
                Some("NOT_BUILT"),
                OverallState::NotBuilt,
                "not built",
            ),
            (
                "FINISHED",
                Some("UNKNOWN"),
                OverallState::Finished,
                "finished",
            ),
            ("SKIPPED", None, OverallState::Skipped, "skipped"),
            ("BLOCKED", None, OverallState::Unknown, "unknown"),
        ] {
            let state = RunState::from(state);
            let result = result.map(RunResult::from);
            let got = OverallState::of(Some(&state), result.as_ref());
            assert_eq!(
                (got, got.word().as_str()),
                (expected, word),
                "{state} {result:?}"
            );
        }
        let only_result = OverallState::of(None, Some(&RunResult::Failure));
        assert_eq!(only_result, OverallState::Failed);
        assert_eq!(OverallState::of(None, None), OverallState::NotStarted);
    }

    #[test]
    fn without_the_copy_the_phase_decides() {
        for (phase, expected) in [
            (None, OverallState::Queued),
            (Some("Running"), OverallState::Running),
            (Some("Pending"), OverallState::WaitingForInput),
            (Some("Succeeded"), OverallState::Succeeded),
            (Some("Failed"), OverallState::Failed),
            (Some("Cancelled"), OverallState::Aborted),
            (Some("Unknown"), OverallState::Unknown),
        ] {
            assert_eq!(run(phase, json!(null)).state(), expected, "{phase:?}");
        }
    }

    #[test]
    fn a_copy_that_lags_behind_an_ended_phase_is_ignored() {
        let lagging = run(Some("Succeeded"), json!({"state": "RUNNING"}));
        assert_eq!(lagging.state(), OverallState::Succeeded);
        let no_result = run(Some("Failed"), json!({"state": "FINISHED"}));
        assert_eq!(no_result.state(), OverallState::Failed);
        let ahead = run(
            Some("Running"),
            json!({"state": "FINISHED", "result": "SUCCESS"}),
        );
        assert_eq!(ahead.state(), OverallState::Succeeded);
        let paused = run(Some("Pending"), json!({"state": "PAUSED"}));
        assert_eq!(paused.state(), OverallState::WaitingForInput);
        assert!(!paused.state().is_finished());
    }

    #[test]
    fn a_malformed_copy_falls_back_to_the_phase() {
        let mut broken = run(Some("Running"), json!(null));
        broken.metadata.annotations.insert(
            "devops.kubesphere.io/jenkins-pipelinerun-status".into(),
            "{not json".into(),
        );
        assert_eq!(broken.state(), OverallState::Running);
    }

    #[test]
    fn states_serialise_as_their_names() {
        for state in OverallState::ALL {
            let text = serde_json::to_string(&state).unwrap();
            assert_eq!(text, format!("\"{}\"", state.name()));
            assert_eq!(serde_json::from_str::<OverallState>(&text).unwrap(), state);
        }
    }
}
