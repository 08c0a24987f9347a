//! Jenkins (BlueOcean) run and node states and results.

use super::string_enum::string_enum;

string_enum! {
    /// Where a run, stage or step is in its life.
    pub enum RunState {
        Queued => "QUEUED",
        Running => "RUNNING",
        /// Waiting for an input step.
        Paused => "PAUSED",
        Skipped => "SKIPPED",
        NotBuilt => "NOT_BUILT",
        Finished => "FINISHED",
    }
}

string_enum! {
    /// How a run, stage or step ended (`Unknown` while it runs).
    pub enum RunResult {
        Success => "SUCCESS",
        Unstable => "UNSTABLE",
        Failure => "FAILURE",
        NotBuilt => "NOT_BUILT",
        Unknown => "UNKNOWN",
        Aborted => "ABORTED",
    }
}

string_enum! {
    /// Node kind in a run graph.
    pub enum NodeType {
        Stage => "STAGE",
        Parallel => "PARALLEL",
        Step => "STEP",
    }
}

impl RunState {
    /// Finished, skipped or not built: nothing more will happen.
    pub fn is_terminal(&self) -> bool {
        matches!(
            self,
            RunState::Finished | RunState::Skipped | RunState::NotBuilt
        )
    }
}
