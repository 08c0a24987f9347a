// Projects and pipelines: the project's pipelines with type, sync status and last run.
import { h, replace, uid, errorText } from "../lib/dom.js";
import { signIn, sessionInfo } from "../lib/session.js";
import { runLink, stateCell, startedAt, age } from "../lib/runs.js";

const SYNC = "pipeline.devops.kubesphere.io/syncstatus";

export async function pipelinesScreen(main, { client }) {
  const session = sessionInfo();
  replace(main, h("h1", {}, `Pipelines of ${session.project}`), h("p", { class: "none" }, "Loading…"));
  const pipelines = await client.pipelines();
  const rows = await Promise.all(pipelines.map(async (p) => {
    const name = p.metadata.name;
    const runs = await client.runs(name).catch(() => []);
    return { p, name, last: runs[0] };
  }));
  const table = h("table", { class: "grid", "aria-label": "Pipelines" },
    h("thead", {}, h("tr", {}, ["Pipeline", "Type", "Sync status", "Last run", "Started"].map((t) => h("th", { scope: "col" }, t)))),
    h("tbody", {}, rows.map(({ p, name, last }) =>
      h("tr", { dataset: { pipeline: name } },
        h("td", {}, h("a", { href: `#/pipelines/${encodeURIComponent(name)}` }, name),
          p.spec?.pipeline?.description || p.spec?.multi_branch_pipeline?.description
            ? h("div", { class: "hint" }, p.spec?.pipeline?.description ?? p.spec?.multi_branch_pipeline?.description) : null),
        h("td", {}, String(p.spec?.type ?? "").startsWith("multi-branch") ? "multi-branch" : "pipeline"),
        h("td", {}, syncCell(p)),
        h("td", {}, last ? [stateCell(last), " ", runLink(last)] : h("span", { class: "none" }, "never run")),
        h("td", {}, last ? age(startedAt(last)) : "")))));
  replace(main, h("h1", {}, `Pipelines of ${session.project}`), projectSwitch(session), table);
}

function syncCell(p) {
  const status = p.metadata?.annotations?.[SYNC] ?? "pending";
  const tone = status === "successful" ? "ok" : status === "failed" ? "bad" : "wait";
  return h("span", { class: `state tone-${tone}` }, h("span", { "aria-hidden": "true" }, "● "), status);
}

/** DevOps projects are chosen by name: the JS client lists pipelines of one project. */
function projectSwitch(session) {
  const id = uid("project");
  const input = h("input", { id, type: "text", value: session.project });
  const error = h("span", { class: "error", role: "alert" });
  const form = h("form", { class: "actions", "aria-label": "DevOps project" },
    h("label", { for: id }, "DevOps project"), input, h("button", { type: "submit" }, "Open"), error);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const saved = JSON.parse(sessionStorage.getItem("ksdevops.session") ?? "null");
    if (!saved?.token) { location.hash = "#/connect"; return; }
    try {
      await signIn({ url: saved.url, project: input.value, token: saved.token });
      window.dispatchEvent(new HashChangeEvent("hashchange"));
    } catch (e) {
      error.textContent = errorText(e);
    }
  });
  return form;
}
