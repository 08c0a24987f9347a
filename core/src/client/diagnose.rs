//! Why a run failed or is stuck: the failing stage and step, the end of its log, and a
//! hint for the causes users meet most.

use super::connection::Client;
use crate::api::Operation;
use crate::error::{ErrorKind, Result};
use crate::model::{annotations, NodeDetail, PipelineRun, RunPhase, RunResult, RunState, Step};
use crate::transport::Transport;

/// Lines of log kept in a diagnosis.
const TAIL_LINES: usize = 30;
const TAIL_BYTES: usize = 8 * 1024;

/// A known cause of a failed or stuck run. Serialized with its `kind` in snake case
/// (`agent_label_not_found`, …) beside its fields.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Cause {
    /// `agent { label … }` names a label no agent has; `available` are the server's labels.
    AgentLabelNotFound {
        label: Option<String>,
        available: Vec<String>,
    },
    /// A command the step runs is not installed in the agent.
    ToolNotFound {
        tool: Option<String>,
    },
    /// `archiveArtifacts` found nothing: the file was built in another stage's agent.
    ArtifactInAnotherStage {
        pattern: Option<String>,
    },
    PermissionDenied,
    /// The pipeline has not reached Jenkins (sync failed or pending).
    PipelineNotSynced {
        message: Option<String>,
    },
    /// Queued, waiting for an executor.
    QueuedNoExecutor {
        blockage: Option<String>,
    },
}

impl Cause {
    /// The cause's name as it is serialized (`agent_label_not_found`, …).
    pub fn kind(&self) -> String {
        serde_json::to_value(self)
            .ok()
            .and_then(|v| v.get("kind")?.as_str().map(str::to_owned))
            .unwrap_or_default()
    }
}

/// What [`Client::diagnose`] found.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Diagnosis {
    pub run: String,
    pub phase: Option<RunPhase>,
    pub state: Option<RunState>,
    pub result: Option<RunResult>,
    /// The failing (or stuck) stage, by display name.
    pub stage: Option<String>,
    pub step: Option<String>,
    /// The last lines of that step's log (or of the run's log).
    pub log_tail: String,
    pub cause: Option<Cause>,
    /// What to do about it, in a sentence or two.
    pub hint: String,
}

impl<T: Transport> Client<T> {
    /// Looks into a failed or stuck run: the failing stage and step, its log tail, and a
    /// hint when the cause is one of the known ones.
    pub async fn diagnose(&self, run: &str) -> Result<Diagnosis> {
        let mut d = Diagnosis {
            run: run.to_owned(),
            phase: None,
            state: None,
            result: None,
            stage: None,
            step: None,
            log_tail: String::new(),
            cause: None,
            hint: String::new(),
        };
        let current = match self.get_run(run).await {
            Ok(current) => current,
            Err(e) if e.kind() == ErrorKind::Forbidden => {
                d.cause = Some(Cause::PermissionDenied);
                d.hint = hint(d.cause.as_ref().expect("set"), e.message());
                return Ok(d);
            }
            Err(e) => return Err(e),
        };
        d.phase = current.phase().cloned();
        let jenkins = current.jenkins_run().ok().flatten();
        d.state = jenkins.as_ref().and_then(|r| r.state.clone());
        d.result = jenkins.as_ref().and_then(|r| r.result.clone());

        if current.build_id().is_none() {
            d.cause = self.unsynced_pipeline(&current).await?;
            d.hint = match &d.cause {
                Some(cause) => hint(cause, ""),
                None => "Jenkins has not started the run yet: the controller triggers it within seconds; \
                         if it stays like this, check the ks-devops controller's logs."
                    .to_owned(),
            };
            return Ok(d);
        }

        let blockage = jenkins
            .as_ref()
            .and_then(|r| r.cause_of_blockage.clone())
            .filter(|b| !b.is_empty());
        let stages = match current.stages() {
            Ok(stages) if !stages.is_empty() => stages,
            _ => self.node_details(run).await.unwrap_or_default(),
        };
        let (stage, step) = culprit(&stages);
        d.stage = stage.and_then(|s| s.display_name.clone());
        d.step = step.and_then(|s| s.display_name.clone().or(s.display_description.clone()));
        let step_log = match (
            stage.and_then(|s| s.id.as_deref()),
            step.and_then(|s| s.id.as_deref()),
        ) {
            (Some(node), Some(step)) => self
                .log_once(run, Some((node, step)))
                .await
                .unwrap_or_default(),
            _ => String::new(),
        };
        // Some steps (`error`, a failed agent allocation) write only to the run's log.
        let log = if step_log.trim().is_empty() {
            self.log_once(run, None).await.unwrap_or_default()
        } else {
            step_log
        };
        d.log_tail = tail(&log);

        let queued = d.state == Some(RunState::Queued) || blockage.is_some();
        let text = format!("{}\n{}", blockage.as_deref().unwrap_or(""), log);
        d.cause = classify(&text, queued);
        if let Some(Cause::AgentLabelNotFound { available, .. }) = &mut d.cause {
            *available = self.list_agent_labels().await.unwrap_or_default();
        }
        d.hint = match &d.cause {
            Some(cause) => hint(cause, blockage.as_deref().unwrap_or("")),
            None if d.result == Some(RunResult::Success) => "The run succeeded.".to_owned(),
            None => "No known cause found: read the log tail above.".to_owned(),
        };
        Ok(d)
    }

    pub(super) async fn node_details(&self, run: &str) -> Result<Vec<NodeDetail>> {
        let request = self.api().await?.get_node_details(self.devops(), run)?;
        self.json(Operation::GetNodeDetails, &request).await
    }

    /// The log as it is now, in one request (no following).
    pub(super) async fn log_once(&self, run: &str, step: Option<(&str, &str)>) -> Result<String> {
        let handle = self.run_handle(run).await?;
        let build = handle.build(self.devops());
        let api = self.api().await?;
        let (operation, request) = match step {
            Some((node, step)) => (
                Operation::GetStepLog,
                api.get_step_log(&build, node, step, 0)?,
            ),
            None => (Operation::GetRunLog, api.get_run_log(&build, 0)?),
        };
        self.text(operation, &request).await
    }

    async fn unsynced_pipeline(&self, run: &PipelineRun) -> Result<Option<Cause>> {
        let Some(name) = run.pipeline_name() else {
            return Ok(None);
        };
        match self.get_pipeline(name).await {
            Ok(p) if !p.is_synced() => Ok(Some(Cause::PipelineNotSynced {
                message: p
                    .metadata
                    .annotation(annotations::PIPELINE_SYNC_MSG)
                    .filter(|m| !m.is_empty())
                    .map(str::to_owned)
                    .or_else(|| p.sync_status().map(|s| format!("sync status {s:?}"))),
            })),
            Ok(_) => Ok(None),
            Err(e) if e.kind() == ErrorKind::Forbidden => Ok(Some(Cause::PermissionDenied)),
            Err(_) => Ok(None),
        }
    }
}

/// The first failed stage and its failed step; else the first stage still going (stuck).
fn culprit(stages: &[NodeDetail]) -> (Option<&NodeDetail>, Option<&Step>) {
    let failed = |r: &Option<RunResult>| {
        matches!(
            r,
            Some(RunResult::Failure | RunResult::Aborted | RunResult::Unstable)
        )
    };
    let stage = stages.iter().find(|s| failed(&s.result)).or_else(|| {
        stages.iter().find(|s| {
            matches!(
                s.state,
                Some(RunState::Running | RunState::Paused | RunState::Queued)
            )
        })
    });
    let step = stage.and_then(|s| {
        s.steps()
            .iter()
            .find(|st| failed(&st.result))
            .or_else(|| s.steps().last())
    });
    (stage, step)
}

fn tail(log: &str) -> String {
    let lines: Vec<&str> = log.trim_end().lines().collect();
    let mut out = lines[lines.len().saturating_sub(TAIL_LINES)..].join("\n");
    if out.len() > TAIL_BYTES {
        let mut cut = out.len() - TAIL_BYTES;
        while !out.is_char_boundary(cut) {
            cut += 1;
        }
        out = out[cut..].to_owned();
    }
    out
}

/// The text between the first pair of Jenkins' quotes (‘…’ or '…' or "…") after `marker`.
fn quoted_after(text: &str, marker: &str) -> Option<String> {
    let rest = &text[text.find(marker)? + marker.len()..];
    let start = rest.find(['‘', '\'', '"'])?;
    let open = rest[start..].chars().next()?;
    let close = if open == '‘' { '’' } else { open };
    let inner = &rest[start + open.len_utf8()..];
    let end = inner.find(close)?;
    Some(inner[..end].to_owned()).filter(|s| !s.is_empty())
}

/// `mvn: command not found`, `sh: 1: mvn: not found`, `mvn: not found`.
fn missing_tool(text: &str) -> Option<Option<String>> {
    let line = text
        .lines()
        .find(|l| l.contains("command not found") || l.trim_end().ends_with(": not found"))?;
    let before = line
        .trim_end()
        .trim_end_matches("command not found")
        .trim_end_matches("not found")
        .trim_end()
        .trim_end_matches(':');
    let tool = before
        .rsplit(':')
        .next()
        .map(str::trim)
        .filter(|t| !t.is_empty() && !t.contains(' '));
    Some(tool.map(str::to_owned))
}

pub(crate) fn classify(text: &str, queued: bool) -> Option<Cause> {
    let lower = text.to_lowercase();
    if lower.contains("there are no nodes with the label")
        || lower.contains("doesn’t have label")
        || lower.contains("doesn't have label")
    {
        let label = quoted_after(text, "label");
        return Some(Cause::AgentLabelNotFound {
            label,
            available: Vec::new(),
        });
    }
    if lower.contains("no artifacts found that match the file pattern") {
        return Some(Cause::ArtifactInAnotherStage {
            pattern: quoted_after(text, "file pattern"),
        });
    }
    if let Some(tool) = missing_tool(text) {
        return Some(Cause::ToolNotFound { tool });
    }
    if lower.contains("permission denied")
        || lower.contains("is missing the") && lower.contains("permission")
        || lower.contains("forbidden")
    {
        return Some(Cause::PermissionDenied);
    }
    if queued {
        let blockage = text
            .lines()
            .map(str::trim)
            .find(|l| !l.is_empty())
            .map(str::to_owned);
        return Some(Cause::QueuedNoExecutor { blockage });
    }
    None
}

fn hint(cause: &Cause, detail: &str) -> String {
    match cause {
        Cause::AgentLabelNotFound { label, available } => format!(
            "No Jenkins agent has the label {}. Use one of the labels the server offers ({}) in `agent {{ label … }}`, or add a pod template with that label.",
            label.as_deref().map(|l| format!("{l:?}")).unwrap_or_else(|| "the pipeline asks for".to_owned()),
            if available.is_empty() { "none listed".to_owned() } else { available.join(", ") }
        ),
        Cause::ToolNotFound { tool } => format!(
            "The agent has no {}. Run the step in a container that has it (`container('…') {{ … }}` with a matching agent label), or install it in the agent image.",
            tool.as_deref().map(|t| format!("`{t}`")).unwrap_or_else(|| "such command".to_owned())
        ),
        Cause::ArtifactInAnotherStage { pattern } => format!(
            "archiveArtifacts found no file{}: it was built in another stage, whose agent has its own workspace. Archive it in the stage that builds it, or `stash` it there and `unstash` it before archiving.",
            pattern.as_deref().map(|p| format!(" matching {p:?}")).unwrap_or_default()
        ),
        Cause::PermissionDenied => format!(
            "Permission denied{}. Check the user's role in the DevOps project, or the file permissions and credentials the step uses.",
            if detail.is_empty() { String::new() } else { format!(" ({detail})") }
        ),
        Cause::PipelineNotSynced { message } => format!(
            "The pipeline has not reached Jenkins{}. Fix the pipeline definition (its Jenkinsfile or SCM settings) and wait until its sync status is successful.",
            message.as_deref().map(|m| format!(": {m}")).unwrap_or_default()
        ),
        Cause::QueuedNoExecutor { blockage } => format!(
            "The run waits in the Jenkins queue{}. No executor is free: wait, stop other runs, or add agents.",
            blockage.as_deref().map(|b| format!(" ({b})")).unwrap_or_default()
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_causes_are_recognised_from_real_messages() {
        assert_eq!(
            classify(
                "Still waiting to schedule task\nThere are no nodes with the label ‘maven-jdk17’",
                true
            ),
            Some(Cause::AgentLabelNotFound {
                label: Some("maven-jdk17".into()),
                available: vec![]
            })
        );
        assert_eq!(
            classify("+ mvn -B package\n/home/jenkins/agent/workspace/x@tmp/durable-1/script.sh: 1: mvn: not found\n", false),
            Some(Cause::ToolNotFound { tool: Some("mvn".into()) })
        );
        assert_eq!(
            classify("script.sh: line 1: go: command not found", false),
            Some(Cause::ToolNotFound {
                tool: Some("go".into())
            })
        );
        assert_eq!(
            classify("ERROR: No artifacts found that match the file pattern \"target/*.jar\". Configuration error?", false),
            Some(Cause::ArtifactInAnotherStage { pattern: Some("target/*.jar".into()) })
        );
        assert_eq!(
            classify(
                "cp: cannot create regular file '/opt/x': Permission denied",
                false
            ),
            Some(Cause::PermissionDenied)
        );
        assert_eq!(
            classify("Waiting for next available executor", true),
            Some(Cause::QueuedNoExecutor {
                blockage: Some("Waiting for next available executor".into())
            })
        );
        assert_eq!(classify("BUILD FAILURE: tests failed", false), None);
    }

    #[test]
    fn the_tail_keeps_the_last_lines() {
        let log: String = (1..=100).map(|i| format!("line {i}\n")).collect();
        let t = tail(&log);
        assert!(t.starts_with("line 71\n") && t.ends_with("line 100"), "{t}");
    }
}
