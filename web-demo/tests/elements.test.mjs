// <ksdevops-trigger> and <ksdevops-run> embedded in a plain page of the test's own, loaded with
// one script tag, under page CSS that would break them if it reached inside.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startSim, launchBrowser, newPage, shot, ADMIN, PROJECT } from "./harness.mjs";

let sim, browser;
before(async () => {
  sim = await startSim();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await sim?.stop();
});

/** A token from the server's OAuth password grant, as a console would already hold one. */
async function token() {
  const body = new URLSearchParams({
    grant_type: "password", username: ADMIN.username, password: ADMIN.password,
    client_id: "kubesphere", client_secret: "kubesphere",
  });
  const response = await fetch(`${sim.url}/oauth/token`, { method: "POST", body });
  assert.equal(response.status, 200);
  return (await response.json()).access_token;
}

/** Serves `html` as a page of the simulator's origin. */
async function plainPage(html) {
  const page = await newPage(browser.context);
  await page.route(`${sim.url}/embedding-console.html`, (route) =>
    route.fulfill({ status: 200, contentType: "text/html", body: html }));
  await page.goto(`${sim.url}/embedding-console.html`);
  return page;
}

const HOSTILE_CSS = "<style>button, pre, li, select { display: none !important; } * { color: transparent !important; }</style>";

test("<ksdevops-trigger> then <ksdevops-run> in a page of their own: stages, log, approval, events", async () => {
  const auth = await token();
  // The run view gets no token: it sends the console's session cookie, same-origin.
  await browser.context.addCookies([{ name: "token", value: auth, url: sim.url }]);
  const page = await plainPage(`<!doctype html><html><head><title>Embedding console</title>${HOSTILE_CSS}
    <script type="module" src="/ksdevops-elements.js"></script></head><body>
    <h1>Team console</h1>
    <ksdevops-trigger project="${PROJECT}" pipeline="params-demo" token="${auth}"></ksdevops-trigger>
    <div id="runs"></div>
    <script>
      window.events = [];
      document.addEventListener("ksdevops-triggered", (e) => {
        window.events.push(["triggered", e.detail.metadata.name]);
        const run = document.createElement("ksdevops-run");
        run.setAttribute("project", "${PROJECT}");
        run.setAttribute("run", e.detail.metadata.name);
        document.getElementById("runs").append(run);
      });
      document.addEventListener("ksdevops-run-finished", (e) => {
        window.events.push(["finished", e.detail.metadata.name, e.detail.status.phase]);
      });
    </script></body></html>`);

  const trigger = page.locator("ksdevops-trigger");
  assert.equal(await trigger.evaluate((el) => el.shadowRoot?.mode), "open");
  await trigger.getByLabel("PERSON").fill("grace");
  const run = trigger.getByRole("button", { name: "Run" });
  assert.equal(await run.isVisible(), true, "the page's CSS does not reach inside");
  await run.click();

  const view = page.locator("ksdevops-run");
  await view.locator("li[data-stage='Approve'][data-state='waiting for input']").waitFor({ timeout: 30_000 });
  assert.deepEqual(await view.locator("li[data-stage]").evaluateAll((l) => l.map((x) => x.dataset.stage)),
    ["Greet", "Build", "Approve", "Deploy"]);
  assert.equal(await view.locator("li[data-stage='Greet']").getAttribute("data-state"), "succeeded");
  const input = view.locator("section.input");
  await input.getByLabel("TARGET").selectOption("production");
  await shot(page, "embedded-run-waiting");
  await input.getByRole("button", { name: "Deploy" }).click();

  await page.waitForFunction(() => window.events.some((e) => e[0] === "finished"), null, { timeout: 30_000 });
  const events = await page.evaluate(() => window.events);
  assert.equal(events[0][0], "triggered");
  assert.deepEqual(events[1], ["finished", events[0][1], "Succeeded"]);
  assert.equal(await view.locator("li[data-stage='Deploy']").getAttribute("data-state"), "succeeded");
  await page.waitForFunction(() => document.querySelector("ksdevops-run").shadowRoot
    .querySelector("pre.log").textContent.trimEnd().endsWith("Finished: SUCCESS"), null, { timeout: 30_000 });
  assert.match(await view.locator("pre.log").textContent(), /Hello grace/);
  // The embedded view has no console extras.
  assert.equal(await view.locator("[data-action=stop]").count(), 0);
  await shot(page, "embedded-run-finished");
  assert.deepEqual(page.errors, []);
  await page.close();
});

test("<ksdevops-run> aborts a waiting input, and a wrong token is an error shown in the element", async () => {
  const auth = await token();
  const api = await fetch(`${sim.url}/kapis/devops.kubesphere.io/v1alpha3/namespaces/${PROJECT}/pipelines/params-demo/pipelineruns`, {
    method: "POST",
    headers: { Authorization: `Bearer ${auth}`, "Content-Type": "application/json" },
    body: JSON.stringify({ parameters: [] }),
  });
  assert.ok(api.ok, `trigger: ${api.status}`);
  const started = await api.json();
  const name = started.metadata.name;
  const page = await plainPage(`<!doctype html><html><head>
    <script type="module" src="/ksdevops-elements.js"></script></head><body>
    <ksdevops-run project="${PROJECT}" run="${name}" token="${auth}"></ksdevops-run>
    <ksdevops-run id="bad" project="${PROJECT}" run="${name}" token="not-a-token"></ksdevops-run>
    </body></html>`);
  const view = page.locator("ksdevops-run").first();
  const input = view.locator("section.input");
  await input.getByRole("button", { name: "Abort" }).click({ timeout: 30_000 });
  await view.locator(".badge", { hasText: "aborted" }).waitFor({ timeout: 30_000 });
  const bad = page.locator("#bad .error");
  await bad.waitFor();
  assert.match(await bad.textContent(), /unauthorized/i);
  assert.ok(!(await bad.textContent()).includes("not-a-token"), "the token is not shown");
  await page.close();
});

test("two pages that each trigger the same pipeline start two runs", async () => {
  const auth = await token();
  const names = [];
  for (let i = 0; i < 2; i++) {
    const page = await plainPage(`<!doctype html><html><head>
      <script type="module" src="/ksdevops-elements.js"></script></head><body>
      <ksdevops-trigger project="${PROJECT}" pipeline="go-demo-pipeline" token="${auth}"></ksdevops-trigger>
      <script>document.addEventListener("ksdevops-triggered", (e) => { window.started = e.detail.metadata.name; });</script>
      </body></html>`);
    await page.locator("ksdevops-trigger").getByRole("button", { name: "Run" }).click();
    await page.waitForFunction(() => window.started);
    names.push(await page.evaluate(() => window.started));
    await page.close();
  }
  assert.notEqual(names[0], names[1]);
  const listed = await fetch(`${sim.url}/kapis/devops.kubesphere.io/v1alpha3/namespaces/${PROJECT}/pipelines/go-demo-pipeline/pipelineruns?backward=false`,
    { headers: { Authorization: `Bearer ${auth}` } });
  const runs = (await listed.json()).items.map((r) => r.metadata.name);
  for (const name of names) assert.ok(runs.includes(name), `${name} in ${runs}`);
});

test("properties set before the module defines the elements are kept", async () => {
  const auth = await token();
  const page = await plainPage(`<!doctype html><html><head>
    <script type="module" src="/ksdevops-elements.js"></script></head><body>
    <ksdevops-trigger id="form" project="${PROJECT}" pipeline="params-demo" token="${auth}"></ksdevops-trigger>
    <script>document.getElementById("form").values = { PERSON: "set early", CHOICE: "Three" };</script>
    </body></html>`);
  const form = page.locator("ksdevops-trigger");
  await form.getByLabel("PERSON").waitFor();
  assert.equal(await form.getByLabel("PERSON").inputValue(), "set early");
  assert.equal(await form.getByLabel("CHOICE").inputValue(), "Three");
  assert.deepEqual(page.errors, []);
  await page.close();
});
