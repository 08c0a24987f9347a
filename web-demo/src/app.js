// The console: a hash router over the screens.
import { h, replace, errorText } from "./lib/dom.js";
import { STYLE } from "./lib/element-style.js";
import { currentClient, sessionInfo } from "./lib/session.js";
import { connectScreen } from "./screens/connect.js";
import { pipelinesScreen } from "./screens/pipelines.js";
import { pipelineScreen } from "./screens/pipeline.js";
import { runScreen } from "./screens/run.js";
import { playground } from "./screens/playground.js";
import "./ksdevops-elements.js";

document.head.append(h("style", {}, STYLE));
const main = document.getElementById("main");

/** [pattern, screen, needs a client] in match order. */
const ROUTES = [
  [/^#\/connect$/, connectScreen, false],
  [/^#\/playground$/, playground, false],
  [/^#\/pipelines$/, pipelinesScreen, true],
  [/^#\/pipelines\/([^/?]+)(?:\?(.*))?$/, pipelineScreen, true],
  [/^#\/runs\/([^/?]+)$/, runScreen, true],
];

async function route() {
  const hash = location.hash || "#/pipelines";
  const found = ROUTES.find(([pattern]) => pattern.test(hash));
  if (!found) { location.hash = "#/pipelines"; return; }
  const [pattern, screen, needsClient] = found;
  const params = hash.match(pattern).slice(1).map((p) => (p === undefined ? p : decodeURIComponent(p)));
  markCurrent(hash);
  main.dataset.ready = "";
  try {
    let client = null;
    if (needsClient) {
      client = await currentClient();
      if (!client) { location.hash = "#/connect"; return; }
    }
    await screen(main, { client, params, session: sessionInfo() });
  } catch (e) {
    replace(main, h("h1", {}, "Something went wrong"), h("p", { class: "error", role: "alert" }, errorText(e)));
  }
  main.dataset.ready = "1";
  document.title = `${main.querySelector("h1")?.textContent ?? "ksdevops"} · ksdevops console`;
}

function markCurrent(hash) {
  for (const a of document.querySelectorAll(".top nav a")) {
    const current = hash.startsWith(a.getAttribute("href"));
    if (current) a.setAttribute("aria-current", "page"); else a.removeAttribute("aria-current");
  }
  const who = sessionInfo();
  document.getElementById("whoami").textContent = who ? `${who.user} @ ${who.project}` : "Connect";
}

window.addEventListener("hashchange", route);
route();
