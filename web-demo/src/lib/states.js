// Colour tones of the library's states. The state and its word come from the package
// (`runState`, `nodeState`: the core's reading); the word is always shown beside the colour.
import { runState, nodeState } from "./ksdevops.js";

/** The tone of each of the core's state names. */
const TONE = {
  queued: "wait",
  running: "run",
  waiting_for_input: "pause",
  succeeded: "ok",
  failed: "bad",
  unstable: "warn",
  aborted: "off",
  not_built: "off",
  skipped: "off",
  finished: "off",
  not_started: "off",
  unknown: "off",
};

const withTone = (shown) => ({ ...shown, tone: TONE[shown.state] ?? "off" });

/** `{state, word, tone, finished}` of a Jenkins stage, step or run. */
export function stateOf(node) {
  return withTone(nodeState(node ?? {}));
}

/** `{state, word, tone, finished}` of a run: a PipelineRun (or a Jenkins run). */
export function runWord(run) {
  return run?.spec ? withTone(runState(run)) : stateOf(run);
}

/** Whether a run has ended. */
export function isFinished(run) {
  return runWord(run).finished;
}
