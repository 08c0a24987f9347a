// The stage graph of a run from its node details: one column per stage, parallel branches
// stacked in their stage's column, each box with its state word and colour.
import { h } from "./dom.js";
import { stateOf } from "./states.js";

/** Columns of `{stage, branches}` in run order; `branches` are the stage's parallel nodes. */
export function columns(nodes) {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const branchIds = new Set();
  const cols = [];
  for (const node of nodes) {
    if (String(node.type ?? "STAGE").toUpperCase() === "PARALLEL" || branchIds.has(node.id)) continue;
    const branches = (node.edges ?? [])
      .filter((e) => String(e.type).toUpperCase() === "PARALLEL")
      .map((e) => byId.get(e.id))
      .filter(Boolean);
    for (const b of branches) branchIds.add(b.id);
    cols.push({ stage: node, branches });
  }
  // Parallel nodes whose stage was not listed still show, on their own.
  for (const node of nodes) {
    if (String(node.type).toUpperCase() === "PARALLEL" && !branchIds.has(node.id)) {
      cols.push({ stage: node, branches: [] });
    }
  }
  return cols;
}

function box(node, cls) {
  const { word, tone } = stateOf(node);
  const steps = node.steps ?? [];
  const done = steps.filter((s) => stateOf(s).finished).length;
  return h("li", { class: `${cls} tone-${tone}`, dataset: { stage: node.displayName ?? node.id, state: word } },
    h("span", { class: "dot", "aria-hidden": "true" }),
    h("span", { class: "name" }, node.displayName ?? node.id),
    h("span", { class: "state" }, word),
    steps.length ? h("span", { class: "steps" }, `${done}/${steps.length} steps`) : null);
}

export function stageGraph(nodes) {
  if (!nodes.length) return h("p", { class: "none" }, "No stages yet.");
  return h("ol", { class: "graph", "aria-label": "Stages" },
    columns(nodes).map(({ stage, branches }) =>
      branches.length
        ? h("li", { class: "column parallel" },
            h("span", { class: "name" }, stage.displayName, " ", h("span", { class: "state" }, `(${stateOf(stage).word})`)),
            h("ol", { class: "branches", "aria-label": `Parallel branches of ${stage.displayName}` }, branches.map((b) => box(b, "stage branch"))))
        : box(stage, "column stage")));
}
