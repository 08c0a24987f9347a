// The console end to end against the simulator: connect, the parameter form (a wrong value is
// refused before anything is sent), the stage graph, approval with TARGET=production, the log
// to `Finished: SUCCESS`, the artifact's bytes, and a failing run's diagnosis.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { startSim, launchBrowser, newPage, ready, shot, signIn, nodeClient, ADMIN, PROJECT } from "./harness.mjs";

let sim, browser;
before(async () => {
  sim = await startSim();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await sim?.stop();
});

/** Requests that would start a run (v4 `pipelineruns` or v3 `runs` POSTs). */
function runPosts(page) {
  const seen = [];
  page.on("request", (r) => {
    if (r.method() === "POST" && /\/(pipelineruns|runs)\/?(\?|$)/.test(new URL(r.url()).pathname + "?")) seen.push(r.url());
  });
  return seen;
}

/** An artifact's bytes straight from the API (not through the page), to compare with. */
async function artifactFromServer(run, path) {
  const body = new URLSearchParams({
    grant_type: "password", username: ADMIN.username, password: ADMIN.password,
    client_id: "kubesphere", client_secret: "kubesphere",
  });
  const { access_token: token } = await (await fetch(`${sim.url}/oauth/token`, { method: "POST", body })).json();
  const url = `${sim.url}/kapis/devops.kubesphere.io/v1alpha3/namespaces/${PROJECT}/pipelineruns/${run}/artifacts/download?filename=${encodeURIComponent(path)}`;
  const response = await fetch(url, { headers: { Authorization: `Bearer ${token}` } });
  assert.equal(response.status, 200);
  return Buffer.from(await response.arrayBuffer());
}

/** The state word shown in the stage box named `stage`. */
function stageState(page, stage) {
  return page.locator(`ksdevops-run li[data-stage='${stage}']`).getAttribute("data-state");
}

async function waitStage(page, stage, word, timeout = 30_000) {
  await page.locator(`ksdevops-run li[data-stage='${stage}'][data-state='${word}']`).waitFor({ timeout });
}

test("connect as admin, run params-demo with checked values, approve, follow the log, download the artifact", async () => {
  const page = await newPage(browser.context);
  await page.goto(`${sim.url}/#/connect`);
  await ready(page);
  await shot(page, "connect");
  await signIn(page, sim.url);
  // The password was never stored; only the session (no password) is.
  const stored = await page.evaluate(() => JSON.stringify({ ...sessionStorage }) + JSON.stringify({ ...localStorage }));
  assert.ok(!stored.includes(ADMIN.password), "the password is not stored");

  const rows = page.locator("tr[data-pipeline]");
  await rows.first().waitFor();
  assert.deepEqual((await rows.evaluateAll((r) => r.map((x) => x.dataset.pipeline))).sort(),
    ["go-demo-pipeline", "maven-demo", "multi-branch-demo", "params-demo"]);
  const paramsRow = page.locator("tr[data-pipeline='params-demo']");
  assert.match(await paramsRow.textContent(), /successful/);
  assert.match(await page.locator("tr[data-pipeline='multi-branch-demo']").textContent(), /multi-branch/);
  await shot(page, "pipelines");

  // A link that pre-fills a value the pipeline does not accept.
  const posts = runPosts(page);
  await page.goto(`${sim.url}/#/pipelines/params-demo?CHOICE=Four&PERSON=ada`);
  await ready(page);
  const form = page.locator("ksdevops-trigger");
  await form.getByLabel("PERSON").waitFor();
  assert.equal(await form.getByLabel("PERSON").inputValue(), "ada");
  assert.equal(await form.getByLabel("TOGGLE").isChecked(), true);
  assert.equal(await form.getByLabel("PASSWORD").getAttribute("type"), "password");
  assert.equal(await form.getByLabel("BIOGRAPHY").evaluate((e) => e.tagName), "TEXTAREA");
  await form.getByRole("button", { name: "Run" }).click();
  const choiceError = form.locator("[data-param='CHOICE'] .field-error");
  await choiceError.waitFor();
  assert.match(await choiceError.textContent(), /"Four" is not a choice of parameter "CHOICE"/);
  assert.equal(await form.getByLabel("CHOICE").getAttribute("aria-invalid"), "true");
  assert.deepEqual(posts, [], "nothing was sent");
  // The keyboard lands on the field at fault.
  assert.equal(await page.evaluate(() => document.querySelector("ksdevops-trigger").shadowRoot.activeElement?.name), "CHOICE");
  await shot(page, "pipeline-form-error");

  await form.getByLabel("CHOICE").selectOption("Two");
  await form.getByLabel("PASSWORD").fill("s3cret-value");
  // Enter in a field submits, as in any form.
  await form.getByLabel("PASSWORD").press("Enter");
  await page.waitForURL(/#\/runs\/params-demo-/);
  assert.equal(posts.length, 1);
  const runName = decodeURIComponent(page.url().split("#/runs/")[1]);
  const view = page.locator("ksdevops-run");

  // The graph progresses stage by stage and stops at the input.
  await waitStage(page, "Greet", "succeeded");
  await waitStage(page, "Approve", "waiting for input");
  assert.equal(await stageState(page, "Deploy"), "not started");
  const input = view.locator("section.input");
  await input.getByLabel("TARGET").waitFor();
  assert.match(await input.textContent(), /Deploy to production\?/);
  await shot(page, "run-waiting-for-input");
  await input.getByLabel("TARGET").selectOption("production");
  await input.getByRole("button", { name: "Deploy" }).click();

  await waitStage(page, "Deploy", "succeeded");
  await view.locator(".badge", { hasText: "succeeded" }).waitFor({ timeout: 30_000 });
  const log = view.locator("pre.log").first();
  await page.waitForFunction(() => {
    const pre = document.querySelector("ksdevops-run").shadowRoot.querySelector("pre.log");
    return pre.textContent.trimEnd().endsWith("Finished: SUCCESS");
  }, null, { timeout: 30_000 });
  const text = await log.textContent();
  assert.match(text, /Hello ada/);
  assert.match(text, /Choice: Two/);
  assert.ok(!text.includes("s3cret-value"), "the password parameter is not in the log");

  // Search marks the matches.
  await view.getByLabel("Search").fill("Hello");
  assert.ok((await view.locator("pre.log mark").count()) >= 1);
  assert.match(await view.locator(".matches").textContent(), /match/);
  await view.getByLabel("Search").fill("");

  // The artifact, byte for byte.
  const download = view.getByRole("button", { name: /Download report\.txt/ });
  await download.waitFor();
  const listedSize = Number((await download.textContent()).match(/\((\d+) bytes\)/)[1]);
  const [file] = await Promise.all([page.waitForEvent("download"), download.click()]);
  assert.equal(file.suggestedFilename(), "report.txt");
  const bytes = await readFile(await file.path());
  assert.equal(bytes.length, listedSize);
  assert.ok(bytes.subarray(0, 80).toString("latin1").startsWith("ksdevops-sim artifact\npath: dist/report.txt\njob: demo-project/params-demo\n"));
  assert.ok(bytes.equals(await artifactFromServer(runName, "dist/report.txt")), "the same bytes as the server's");
  await shot(page, "run-finished");

  // It is in the pipeline's history now.
  await page.goto(`${sim.url}/#/pipelines/params-demo`);
  await ready(page);
  await page.locator(`a[href='#/runs/${runName}']`).waitFor();
  assert.deepEqual(page.errors, []);
  await page.close();
});

test("a token sign-in is kept in sessionStorage only and survives a reload", async () => {
  const body = new URLSearchParams({
    grant_type: "password", username: ADMIN.username, password: ADMIN.password,
    client_id: "kubesphere", client_secret: "kubesphere",
  });
  const { access_token: token } = await (await fetch(`${sim.url}/oauth/token`, { method: "POST", body })).json();
  const page = await newPage(browser.context);
  await page.goto(`${sim.url}/#/connect`);
  await ready(page);
  await page.getByLabel("a token").check();
  await page.getByLabel("Token", { exact: true }).fill(token);
  await page.getByLabel("Token", { exact: true }).press("Enter");
  await page.waitForURL(/#\/pipelines$/);
  await page.locator("tr[data-pipeline='params-demo']").waitFor();
  const stored = await page.evaluate(() => ({ session: JSON.stringify({ ...sessionStorage }), local: localStorage.length, cookies: document.cookie }));
  assert.ok(stored.session.includes(token), "the token is in sessionStorage");
  assert.equal(stored.local, 0);
  assert.ok(!stored.cookies.includes(token));
  await page.reload();
  await ready(page);
  await page.locator("tr[data-pipeline='params-demo']").waitFor();
  assert.match(page.url(), /#\/pipelines$/);
  // A wrong token is refused with the server's word, and the token is not echoed.
  await page.goto(`${sim.url}/#/connect`);
  await ready(page);
  await page.getByLabel("a token").check();
  await page.getByLabel("Token", { exact: true }).fill("wrong-token-value");
  await page.getByRole("button", { name: "Connect" }).click();
  const error = page.locator("form.connect .error");
  await error.filter({ hasText: /unauthorized/i }).waitFor();
  assert.ok(!(await error.textContent()).includes("wrong-token-value"));
  await page.close();
});

test("a failing run shows its diagnosis: stage, step, log tail and the known cause", async () => {
  const page = await newPage(browser.context);
  await signIn(page, sim.url);
  await page.goto(`${sim.url}/#/pipelines/maven-demo`);
  await ready(page);
  await page.locator("ksdevops-trigger").getByRole("button", { name: "Run" }).click();
  await page.waitForURL(/#\/runs\/maven-demo-/);
  const view = page.locator("ksdevops-run");
  await waitStage(page, "Package", "failed", 60_000);
  await view.locator(".badge", { hasText: "failed" }).waitFor();
  const card = view.locator(".diagnosis-card");
  await card.waitFor({ timeout: 30_000 });
  assert.equal(await card.locator("[data-field='stage']").textContent(), "Package");
  assert.equal(await card.locator("[data-field='cause']").textContent(), "tool not found: mvn");
  assert.match(await card.locator("pre").textContent(), /mvn: not found/);
  assert.match(await card.locator("[data-field='hint']").textContent(), /mvn/);
  await shot(page, "run-diagnosis");
  assert.deepEqual(page.errors, []);
  await page.close();
});

test("the multi-branch pipeline has a branch picker and runs the chosen branch", async () => {
  const page = await newPage(browser.context);
  await signIn(page, sim.url);
  await page.goto(`${sim.url}/#/pipelines/multi-branch-demo`);
  await ready(page);
  const form = page.locator("ksdevops-trigger");
  const branch = form.getByLabel("Branch");
  await branch.waitFor();
  const options = await branch.locator("option").allTextContents();
  assert.deepEqual([...options].sort(), ["feature/login", "main"]);
  await branch.selectOption({ label: "feature/login" });
  await form.getByLabel("GREETING").waitFor();
  await form.getByLabel("GREETING").fill("hi");
  await form.getByRole("button", { name: "Run" }).click();
  await page.waitForURL(/#\/runs\/multi-branch-demo-/);
  await page.waitForFunction(() => {
    const pre = document.querySelector("ksdevops-run")?.shadowRoot?.querySelector("pre.log");
    return pre && pre.textContent.includes("hi from feature/login");
  }, null, { timeout: 30_000 });
  assert.deepEqual(page.errors, []);
  await page.close();
});

const PARALLEL = `pipeline {
  agent any
  stages {
    stage('Build') {
      steps {
        echo 'building'
      }
    }
    stage('Test') {
      parallel {
        stage('Unit') {
          steps {
            echo 'unit tests'
            sleep 600
          }
        }
        stage('Lint') {
          steps {
            echo 'lint'
          }
        }
      }
    }
    stage('Ship') {
      steps {
        echo 'shipping'
      }
    }
  }
}
`;

test("parallel branches side by side; the log pauses and resumes; Stop aborts; Replay runs again", async () => {
  const client = await nodeClient(sim.url);
  await client.createPipeline({
    metadata: { name: "parallel-demo", namespace: PROJECT },
    spec: { type: "pipeline", pipeline: { name: "parallel-demo", jenkinsfile: PARALLEL } },
  });
  const page = await newPage(browser.context);
  await signIn(page, sim.url);
  await page.goto(`${sim.url}/#/pipelines/parallel-demo`);
  await ready(page);
  await page.locator("ksdevops-trigger").getByRole("button", { name: "Run" }).click();
  await page.waitForURL(/#\/runs\/parallel-demo-/);
  const view = page.locator("ksdevops-run");
  await waitStage(page, "Unit", "running");
  await waitStage(page, "Lint", "succeeded");
  const column = view.locator("li.column.parallel");
  assert.match(await column.locator("> .name").textContent(), /^Test/);
  assert.deepEqual(await column.locator("li[data-stage]").evaluateAll((l) => l.map((x) => x.dataset.stage)), ["Unit", "Lint"]);
  assert.equal(await stageState(page, "Ship"), "not started");
  await shot(page, "run-parallel");

  // Paused, the log holds what arrives; resumed, it shows it.
  const logText = () => view.locator("pre.log").textContent();
  await page.waitForFunction(() => document.querySelector("ksdevops-run").shadowRoot.querySelector("pre.log").textContent.includes("unit tests"));
  await view.getByRole("button", { name: "Pause" }).click();
  const before = await logText();
  await view.getByRole("button", { name: "Stop" }).click();
  await view.locator(".badge", { hasText: "aborted" }).waitFor({ timeout: 30_000 });
  await view.locator(".log-status", { hasText: /held/ }).waitFor({ timeout: 30_000 });
  assert.equal(await logText(), before, "nothing is added while paused");
  await view.getByRole("button", { name: "Resume" }).click();
  await page.waitForFunction(() => document.querySelector("ksdevops-run").shadowRoot
    .querySelector("pre.log").textContent.trimEnd().endsWith("Finished: ABORTED"), null, { timeout: 30_000 });
  assert.ok((await logText()).startsWith(before));

  await view.getByRole("button", { name: "Replay" }).click();
  await page.waitForURL(/#\/pipelines\/parallel-demo$/);
  await page.waitForFunction(async () => {
    const rows = document.querySelectorAll("table[aria-label=Runs] tbody tr");
    if (rows.length >= 2) return true;
    window.dispatchEvent(new HashChangeEvent("hashchange"));
    await new Promise((r) => setTimeout(r, 500));
    return false;
  }, null, { timeout: 30_000, polling: 1000 });
  assert.deepEqual(page.errors, []);
  await page.close();
});
