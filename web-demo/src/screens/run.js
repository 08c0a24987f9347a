// Run view: <ksdevops-run full> (stages, live log, inputs, Stop/Replay, artifacts, diagnosis).
import { h, replace } from "../lib/dom.js";

export async function runScreen(main, { client, params: [name] }) {
  const run = await client.getRun(name);
  const pipeline = run?.spec?.pipelineRef?.name ?? "";
  const view = document.createElement("ksdevops-run");
  view.setAttribute("run", name);
  view.setAttribute("full", "");
  view.client = client;
  // A replayed build is listed in the pipeline's run history.
  view.addEventListener("ksdevops-replayed", () => {
    location.hash = `#/pipelines/${encodeURIComponent(pipeline)}`;
  });
  replace(main,
    h("p", { class: "breadcrumbs" }, h("a", { href: "#/pipelines" }, "Pipelines"), " › ",
      h("a", { href: `#/pipelines/${encodeURIComponent(pipeline)}` }, pipeline), " › ", name),
    h("h1", {}, `Run ${name}`),
    h("section", { class: "card" }, view));
}
