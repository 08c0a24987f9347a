// Reading PipelineRun objects (as the client returns them) for lists.
import { h, age } from "./dom.js";
import { runWord } from "./states.js";

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
