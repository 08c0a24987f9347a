// Pipeline: the parameter form (<ksdevops-trigger>) and the run history.
// Values can be pre-filled from the address: #/pipelines/NAME?PARAM=value&…
import { h, replace } from "../lib/dom.js";
import { runLink, stateCell, startedAt, age } from "../lib/runs.js";

export async function pipelineScreen(main, { client, params: [name] }) {
  const query = new URLSearchParams(location.hash.split("?")[1] ?? "");
  const trigger = document.createElement("ksdevops-trigger");
  trigger.setAttribute("pipeline", name);
  trigger.values = Object.fromEntries(query);
  trigger.client = client;
  trigger.addEventListener("ksdevops-triggered", (event) => {
    location.hash = `#/runs/${encodeURIComponent(event.detail.metadata.name)}`;
  });
  const history = h("section", { class: "card", "aria-label": "Run history" }, h("h2", {}, "Run history"), h("p", { class: "none" }, "Loading…"));
  replace(main,
    h("p", { class: "breadcrumbs" }, h("a", { href: "#/pipelines" }, "Pipelines"), " › ", name),
    h("h1", {}, name),
    h("section", { class: "card" }, trigger),
    history);
  const runs = await client.runs(name);
  replace(history, h("h2", {}, "Run history"),
    runs.length === 0
      ? h("p", { class: "none" }, "No runs yet.")
      : h("table", { class: "grid", "aria-label": "Runs" },
          h("thead", {}, h("tr", {}, ["Run", "State", "Branch", "Started"].map((t) => h("th", { scope: "col" }, t)))),
          h("tbody", {}, runs.map((run) =>
            h("tr", {},
              h("td", {}, runLink(run)),
              h("td", {}, stateCell(run)),
              h("td", {}, run.spec?.scm?.refName ?? ""),
              h("td", {}, age(startedAt(run))))))));
}
