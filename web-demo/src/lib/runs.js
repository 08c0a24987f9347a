// Reading PipelineRun objects (as the client returns them) for lists.
import { h, age } from "./dom.js";
import { stateOf } from "./states.js";

const PHASE = {
  Pending: { state: "QUEUED" }, Running: { state: "RUNNING" }, Paused: { state: "PAUSED" },
  Succeeded: { state: "FINISHED", result: "SUCCESS" }, Failed: { state: "FINISHED", result: "FAILURE" },
  Cancelled: { state: "FINISHED", result: "ABORTED" },
};

/** `{word, tone}` of a PipelineRun from its phase (a Jenkins run's state/result otherwise). */
export function runWord(run) {
  const phase = run?.status?.phase;
  if (phase) return stateOf(PHASE[phase] ?? {});
  return stateOf(run ?? {});
}

export function runName(run) {
  return run?.metadata?.name ?? "";
}

export function startedAt(run) {
  return run?.status?.startTime ?? run?.metadata?.creationTimestamp ?? "";
}

export function stateCell(run) {
  const { word, tone } = runWord(run);
  return h("span", { class: `state tone-${tone}` }, h("span", { "aria-hidden": "true" }, "● "), word);
}

export function runLink(run) {
  const name = runName(run);
  return h("a", { href: `#/runs/${encodeURIComponent(name)}` }, name);
}

export { age };
