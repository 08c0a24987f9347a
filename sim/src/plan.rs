//! What the run executor walks: the stages and steps of a declarative Jenkinsfile, reduced to
//! the parts the simulator acts on. Built from the core's Jenkinsfile parser (see `plan_from`).

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Plan {
    /// The pipeline's `agent` (declarative) or `None` when it has none.
    #[serde(default)]
    pub agent: Option<Agent>,
    pub stages: Vec<Stage>,
    /// `post { always|success|failure|aborted|unstable { … } }` of the whole pipeline.
    #[serde(default)]
    pub post: Vec<PostBlock>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Stage {
    pub name: String,
    pub body: StageBody,
    /// A `when` condition the simulator could evaluate: `Some(false)` skips the stage.
    #[serde(default)]
    pub when: Option<Condition>,
    /// The stage's own `agent` (declarative) or the enclosing `node('x')` (scripted).
    #[serde(default)]
    pub agent: Option<Agent>,
}

/// Where a pipeline or stage asks to run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Agent {
    /// `agent any`, `node { }`, `agent { label 'master' }`: the built-in node.
    Any,
    /// `agent none`: only stages with their own agent get an executor.
    None,
    /// `agent { label 'x' }`, `agent { node { label 'x' } }`, `node('x')`: a label expression.
    Label(String),
    /// `agent { docker … }`, `agent { kubernetes … }`, `agent { dockerfile … }`: an agent the
    /// simulator cannot inspect; it offers every tool.
    Custom(String),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StageBody {
    Steps(Vec<Step>),
    Parallel(Vec<Stage>),
    Stages(Vec<Stage>),
}

/// Conditions of a `when` block that can be decided from the run's parameters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Condition {
    /// `equals expected: X, actual: params.NAME` / `expression { params.NAME == X }`.
    ParamEquals {
        name: String,
        value: String,
    },
    /// `expression { return params.NAME }` (a boolean parameter).
    ParamTrue {
        name: String,
    },
    /// `branch 'main'` (compared with BRANCH_NAME; a glob with `*` is allowed).
    Branch {
        pattern: String,
    },
    Not(Box<Condition>),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PostBlock {
    pub condition: String,
    pub steps: Vec<Step>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    Echo {
        message: Text,
    },
    Sh {
        script: Text,
    },
    Sleep {
        /// Simulated milliseconds.
        millis: u64,
    },
    Input(InputSpec),
    ArchiveArtifacts {
        patterns: Vec<String>,
        /// `allowEmptyArchive: true`: a pattern matching nothing is not an error.
        #[serde(default)]
        allow_empty: bool,
    },
    Error {
        message: Text,
    },
    Timeout {
        millis: u64,
        body: Vec<Step>,
    },
    Retry {
        count: u32,
        body: Vec<Step>,
    },
    /// `script { … }`, `dir(…) { … }`, `withCredentials(…) { … }`, …: a block whose steps run
    /// in order.
    Block {
        name: String,
        /// The first argument, as text (`container('go')` → `go`).
        #[serde(default)]
        arg: Option<String>,
        body: Vec<Step>,
    },
    /// `if (…) { … } else { … }` in a `script` block; the branch is picked from the run's
    /// parameters when the condition is one the simulator understands, else `then` runs.
    If {
        condition: Option<Condition>,
        then: Vec<Step>,
        otherwise: Vec<Step>,
    },
    /// Any other step: logged by name and given a nominal duration.
    Other {
        name: String,
        description: String,
    },
}

/// A string from the Jenkinsfile, with whether Groovy would interpolate `${…}` in it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Text {
    pub value: String,
    #[serde(default)]
    pub interpolate: bool,
}

impl Text {
    pub fn plain(value: impl Into<String>) -> Self {
        Text {
            value: value.into(),
            interpolate: false,
        }
    }

    pub fn gstring(value: impl Into<String>) -> Self {
        Text {
            value: value.into(),
            interpolate: true,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InputSpec {
    pub message: String,
    #[serde(default)]
    pub id: Option<String>,
    #[serde(default)]
    pub ok: Option<String>,
    #[serde(default)]
    pub submitter: Option<String>,
    /// Parameter definitions in Jenkins' JSON shape (`type`, `name`, `defaultParameterValue`…).
    #[serde(default)]
    pub parameters: Vec<serde_json::Value>,
}

impl Step {
    /// BlueOcean's `displayName` for the step.
    pub fn display_name(&self) -> String {
        match self {
            Step::Echo { .. } => "Print Message".into(),
            Step::Sh { .. } => "Shell Script".into(),
            Step::Sleep { .. } => "Sleep".into(),
            Step::Input(_) => "Wait for interactive input".into(),
            Step::ArchiveArtifacts { .. } => "Archive the artifacts".into(),
            Step::Error { .. } => "Error signal".into(),
            Step::Timeout { .. } => "Enforce time limit".into(),
            Step::Retry { count, .. } => format!("Retry the body up to {count} times"),
            Step::Block { name, .. } | Step::Other { name, .. } => name.clone(),
            Step::If { .. } => "if".into(),
        }
    }

    /// The function name as it appears in `[Pipeline] name` log lines.
    pub fn function_name(&self) -> &str {
        match self {
            Step::Echo { .. } => "echo",
            Step::Sh { .. } => "sh",
            Step::Sleep { .. } => "sleep",
            Step::Input(_) => "input",
            Step::ArchiveArtifacts { .. } => "archiveArtifacts",
            Step::Error { .. } => "error",
            Step::Timeout { .. } => "timeout",
            Step::Retry { .. } => "retry",
            Step::Block { name, .. } | Step::Other { name, .. } => name,
            Step::If { .. } => "if",
        }
    }
}

impl Plan {
    /// Every stage in the order BlueOcean lists nodes: a stage, then its parallel branches.
    pub fn stage_count(&self) -> usize {
        fn count(stages: &[Stage]) -> usize {
            stages
                .iter()
                .map(|s| match &s.body {
                    StageBody::Steps(_) => 1,
                    StageBody::Parallel(branches) => 1 + count(branches),
                    StageBody::Stages(inner) => 1 + count(inner),
                })
                .sum()
        }
        count(&self.stages)
    }
}
