// Embeddable ksdevops views, one ES module: load it with
//   <script type="module" src="ksdevops-elements.js"></script>
// and use <ksdevops-run server project run token> and <ksdevops-trigger server project pipeline token>.
// Both render in an open shadow root, so the page's CSS cannot break them. Without `token` they
// send same-origin requests with the browser's cookies. A page that already holds a client can
// set the `client` property instead of the attributes.
import { ksdevops } from "./lib/ksdevops.js";
import { h, replace, errorText, uid } from "./lib/dom.js";
import { stageGraph } from "./lib/stage-graph.js";
import { LogView } from "./lib/log-view.js";
import { parameterForm } from "./lib/param-form.js";
import { runWord, isFinished, stateOf } from "./lib/states.js";
import { STYLE } from "./lib/element-style.js";

const POLL_MS = 1000;

/** The element's client: the `client` property, or one connected from its attributes. */
async function clientOf(el) {
  if (el.client) return el.client;
  const { connect } = await ksdevops();
  const token = el.getAttribute("token");
  const options = {
    url: el.getAttribute("server") || globalThis.location.origin,
    project: el.getAttribute("project") ?? "",
  };
  if (token) options.token = token;
  else options.credentials = "include";
  return connect(options);
}

function sleep(ms, signal) {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => { clearTimeout(timer); resolve(); }, { once: true });
  });
}

function emit(el, name, detail) {
  el.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true }));
}

/** Base: an open shadow root with the shared style, restarted when an attribute changes. */
class View extends HTMLElement {
  #client = null;
  #controller = null;
  #scheduled = false;

  constructor() {
    super();
    this.attachShadow({ mode: "open" });
  }

  get client() { return this.#client; }
  set client(value) { this.#client = value; this.restart(); }

  connectedCallback() {
    // Properties a page set before this module defined the element shadow the accessors.
    for (const name of this.constructor.properties) {
      if (Object.hasOwn(this, name)) {
        const value = this[name];
        delete this[name];
        this[name] = value;
      }
    }
    this.restart();
  }
  disconnectedCallback() { this.#controller?.abort(); this.#controller = null; }
  attributeChangedCallback() { if (this.isConnected) this.restart(); }

  restart() {
    if (this.#scheduled || !this.isConnected) return;
    this.#scheduled = true;
    queueMicrotask(() => {
      this.#scheduled = false;
      this.#controller?.abort();
      this.#controller = new AbortController();
      const body = h("div", { class: "view" });
      replace(this.shadowRoot, h("style", {}, STYLE), body);
      this.start(body, this.#controller.signal).catch((e) => {
        if (!this.#controller?.signal.aborted) replace(body, h("p", { class: "error", role: "alert" }, errorText(e)));
      });
    });
  }
}

export class KsDevOpsRun extends View {
  static observedAttributes = ["server", "project", "run", "token", "full"];
  static properties = ["client"];

  async start(body, signal) {
    const name = this.getAttribute("run");
    if (!name) throw new Error("<ksdevops-run> needs a run attribute");
    const full = this.hasAttribute("full");
    const title = h("h2", {}, "Run ", h("code", {}, name));
    const badge = h("span", { class: "badge", role: "status" }, "loading");
    const graph = h("div", { class: "graph-box" });
    const inputs = h("div", { class: "inputs" });
    const actions = h("div", { class: "actions run-actions" });
    const artifacts = h("div", { class: "artifacts" });
    const diagnosis = h("div", { class: "diagnosis" });
    const problem = h("p", { class: "error", role: "alert" });
    const log = new LogView();
    replace(body, h("header", {}, title, badge), problem, graph, inputs,
      full ? [actions, diagnosis, artifacts] : null, log.element);

    const client = await clientOf(this);
    this.#followLog(client, name, log, signal);
    let shownInputs = "";
    let run = null;
    while (!signal.aborted) {
      try {
        run = await client.getRun(name);
        const nodes = await client.nodes(run);
        const word = runWord(run);
        badge.className = `badge tone-${word.tone}`;
        badge.textContent = word.word;
        replace(graph, stageGraph(nodes));
        const waiting = nodes.some((n) => stateOf(n).state === "waiting_for_input");
        const pending = waiting && !isFinished(run) ? await client.pendingInputs(run) : [];
        const key = pending.map((p) => p.input?.id).join(",");
        if (key !== shownInputs) {
          shownInputs = key;
          replace(inputs, pending.map((p) => this.#inputForm(client, run, p)));
        }
        if (full && !actions.childElementCount) replace(actions, this.#actions(client, name));
        problem.textContent = "";
        if (isFinished(run)) break;
      } catch (e) {
        problem.textContent = errorText(e);
      }
      await sleep(POLL_MS, signal);
    }
    if (signal.aborted || !run) return;
    if (full) {
      this.#artifacts(client, run, artifacts).catch((e) => replace(artifacts, h("p", { class: "error" }, errorText(e))));
      if (runWord(run).tone === "bad") {
        client.diagnose(run).then((d) => replace(diagnosis, diagnosisView(d)),
          (e) => replace(diagnosis, h("p", { class: "error" }, errorText(e))));
      }
      actions.querySelector("[data-action=stop]")?.setAttribute("disabled", "");
    }
    emit(this, "ksdevops-run-finished", run);
  }

  async #followLog(client, name, log, signal) {
    try {
      const stream = client.followLog(name);
      signal.addEventListener("abort", () => stream.return?.(), { once: true });
      for await (const chunk of stream) {
        if (signal.aborted) break;
        log.append(chunk);
      }
      if (!signal.aborted) log.end("end of log");
    } catch (e) {
      if (!signal.aborted) log.end(`log stopped: ${errorText(e)}`);
    }
  }

  #inputForm(client, run, pending) {
    const input = pending.input ?? {};
    const { checkParameters, parameterKind } = ksdevopsNow;
    const abort = h("button", {
      type: "button", class: "danger",
      onclick: async () => {
        abort.disabled = true;
        try { await client.abort(run, { input: input.id }); } catch (e) { alert(errorText(e)); } finally { abort.disabled = false; }
      },
    }, "Abort");
    const form = parameterForm({
      definitions: input.parameters ?? [],
      checkParameters,
      parameterKind,
      submitLabel: input.ok || "Proceed",
      submit: (values) => client.approve(run, values, { input: input.id }),
      buttons: [abort],
    });
    return h("section", { class: "input", "aria-label": `Input ${input.id ?? ""}` },
      h("h3", {}, pending.stage ? `${pending.stage}: ` : "", input.message ?? "Waiting for input"),
      form);
  }

  #actions(client, name) {
    const status = h("span", { class: "action-status", role: "status" });
    const act = (label, action, fn) => h("button", {
      type: "button", dataset: { action },
      onclick: async (event) => {
        const button = event.currentTarget;
        button.disabled = true;
        try { await fn(); } catch (e) { status.textContent = errorText(e); } finally { if (action !== "stop") button.disabled = false; }
      },
    }, label);
    return [
      act("Stop", "stop", async () => { await client.stop(name); status.textContent = "stop requested"; }),
      act("Replay", "replay", async () => {
        const next = await client.replay(name);
        status.textContent = `replayed as build #${next?.id ?? "?"}`;
        emit(this, "ksdevops-replayed", next);
      }),
      status,
    ];
  }

  async #artifacts(client, run, box) {
    const list = await client.artifacts(run);
    if (!list.length) { replace(box, h("h3", {}, "Artifacts"), h("p", { class: "none" }, "No artifacts.")); return; }
    replace(box, h("h3", {}, "Artifacts"), h("ul", {}, list.map((artifact) => {
      const label = `Download ${artifact.name ?? artifact.path}${artifact.size != null ? ` (${artifact.size} bytes)` : ""}`;
      return h("li", {}, h("button", {
        type: "button", class: "link",
        onclick: async () => {
          const blob = await client.download(run, artifact);
          const a = h("a", { href: URL.createObjectURL(blob), download: artifact.name ?? "artifact" });
          box.append(a);
          a.click();
          setTimeout(() => { URL.revokeObjectURL(a.href); a.remove(); }, 10_000);
        },
      }, label));
    })));
  }
}

function diagnosisView(d) {
  return h("section", { class: "diagnosis-card", "aria-label": "Diagnosis" },
    h("h3", {}, "Why it failed"),
    h("dl", {},
      h("dt", {}, "Stage"), h("dd", { dataset: { field: "stage" } }, d.stage ?? "unknown"),
      h("dt", {}, "Step"), h("dd", { dataset: { field: "step" } }, d.step ?? "unknown"),
      h("dt", {}, "Known cause"), h("dd", { dataset: { field: "cause" } }, causeText(d.cause))),
    h("p", { class: "hint", dataset: { field: "hint" } }, d.hint ?? ""),
    h("h4", {}, "Log tail"),
    h("pre", { class: "log tail", tabindex: "0" }, d.log_tail ?? ""));
}

function causeText(cause) {
  if (!cause) return "none recognised";
  switch (cause.kind) {
    case "tool_not_found": return `tool not found${cause.tool ? `: ${cause.tool}` : ""}`;
    case "agent_label_not_found": return `no agent with label ${cause.label ?? "?"}`;
    case "artifact_in_another_stage": return `artifact built in another stage${cause.pattern ? `: ${cause.pattern}` : ""}`;
    case "permission_denied": return "permission denied";
    case "pipeline_not_synced": return "pipeline not synced";
    case "queued_no_executor": return "waiting for an executor";
    default: return String(cause.kind ?? "unknown").replaceAll("_", " ");
  }
}

/** The package's sync functions, set once it has loaded (the elements load it first). */
let ksdevopsNow = {};

export class KsDevOpsTrigger extends View {
  static observedAttributes = ["server", "project", "pipeline", "token", "branch"];
  static properties = ["client", "values"];
  #values = {};

  /** Values to pre-fill, by parameter name (e.g. from a shared link). */
  get values() { return this.#values; }
  set values(value) { this.#values = value ?? {}; this.restart(); }

  async start(body, signal) {
    const pipeline = this.getAttribute("pipeline");
    if (!pipeline) throw new Error("<ksdevops-trigger> needs a pipeline attribute");
    replace(body, h("p", { class: "none" }, "Loading parameters…"));
    const client = await clientOf(this);
    const definition = await client.getPipeline(pipeline);
    if (signal.aborted) return;
    const multiBranch = String(definition?.spec?.type ?? "").startsWith("multi-branch");
    let branch = this.getAttribute("branch") || undefined;
    let branchPicker = null;
    if (multiBranch) {
      const branches = await client.branches(pipeline);
      if (signal.aborted) return;
      const names = branches.map((b) => b.name);
      branch = names.includes(branch) ? branch : names[0];
      const id = uid("branch");
      const select = h("select", { id, name: "branch" },
        branches.map((b) => h("option", { value: b.name }, b.displayName ?? decodeURIComponent(b.name))));
      select.value = branch ?? "";
      select.addEventListener("change", () => this.setAttribute("branch", select.value));
      branchPicker = h("div", { class: "field branch" }, h("label", { for: id }, "Branch"), select);
    }
    const definitions = await client.parameters(pipeline, branch ? { branch } : {});
    if (signal.aborted) return;
    const status = h("p", { class: "result", role: "status" });
    const form = parameterForm({
      definitions,
      checkParameters: ksdevopsNow.checkParameters,
      parameterKind: ksdevopsNow.parameterKind,
      prefill: this.#values,
      extra: branchPicker,
      submitLabel: "Run",
      submit: async (values) => {
        const run = await client.trigger(pipeline, values, branch ? { branch } : {});
        status.textContent = `Started run ${run?.metadata?.name ?? ""}`;
        emit(this, "ksdevops-triggered", run);
      },
    });
    replace(body, h("h2", {}, "Run ", h("code", {}, pipeline)), form, status);
  }
}


// The sync functions (checkParameters) must be ready before a form can check anything.
ksdevops().then((pkg) => {
  ksdevopsNow = pkg;
  if (!customElements.get("ksdevops-run")) customElements.define("ksdevops-run", KsDevOpsRun);
  if (!customElements.get("ksdevops-trigger")) customElements.define("ksdevops-trigger", KsDevOpsTrigger);
});
