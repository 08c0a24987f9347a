// State words and colour tones for runs and stages: the word is always shown beside the colour.

/** `{word, tone}` for a Jenkins node or run: `state` (QUEUED, RUNNING, PAUSED, FINISHED, …)
 *  and `result` (SUCCESS, FAILURE, UNSTABLE, ABORTED, NOT_BUILT, UNKNOWN). */
export function stateOf({ state, result } = {}) {
  const s = String(state ?? "").toUpperCase();
  const r = String(result ?? "").toUpperCase();
  if (s === "FINISHED" || (!s && r && r !== "UNKNOWN")) {
    switch (r) {
      case "SUCCESS": return { word: "succeeded", tone: "ok" };
      case "FAILURE": return { word: "failed", tone: "bad" };
      case "UNSTABLE": return { word: "unstable", tone: "warn" };
      case "ABORTED": return { word: "aborted", tone: "off" };
      case "NOT_BUILT": return { word: "not built", tone: "off" };
      default: return { word: "finished", tone: "off" };
    }
  }
  switch (s) {
    case "QUEUED": return { word: "queued", tone: "wait" };
    case "RUNNING": return { word: "running", tone: "run" };
    case "PAUSED": return { word: "waiting for input", tone: "pause" };
    case "SKIPPED": return { word: "skipped", tone: "off" };
    case "NOT_BUILT": return { word: "not built", tone: "off" };
    default: return { word: "not started", tone: "off" };
  }
}

/** Whether a run (as getRun returns it, or a node) has ended. */
export function isFinished(run) {
  const phase = run?.status?.phase;
  if (phase) return ["Succeeded", "Failed", "Cancelled"].includes(phase);
  return String(run?.state ?? "").toUpperCase() === "FINISHED";
}

/** The Jenkins state and result a PipelineRun's phase stands for. */
const PHASE = {
  Pending: { state: "QUEUED" }, Running: { state: "RUNNING" }, Paused: { state: "PAUSED" },
  Succeeded: { state: "FINISHED", result: "SUCCESS" }, Failed: { state: "FINISHED", result: "FAILURE" },
  Cancelled: { state: "FINISHED", result: "ABORTED" },
};

const JENKINS_STATUS = "devops.kubesphere.io/jenkins-pipelinerun-status";

/** `{word, tone}` of a PipelineRun: the Jenkins run's state and result the server copies into
 *  an annotation (an aborted run's phase is just "Failed"), else its phase. A Jenkins run
 *  object (with state/result) reads directly. */
export function runWord(run) {
  const copied = run?.metadata?.annotations?.[JENKINS_STATUS];
  if (copied) {
    try {
      const jenkins = JSON.parse(copied);
      const stale = isFinished(run) && String(jenkins?.state).toUpperCase() !== "FINISHED";
      if (jenkins?.state && !stale) return stateOf(jenkins);
    } catch {
      // A malformed annotation: fall back to the phase.
    }
  }
  const phase = run?.status?.phase;
  if (phase) return stateOf(PHASE[phase] ?? {});
  return stateOf(run ?? {});
}
