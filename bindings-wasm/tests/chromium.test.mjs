// The installed package in headless Chromium (Debian's, through playwright-core): a page on
// its own origin, under a CSP that allows wasm but no eval, drives `ksdevops-sim --cors`
// through the seed workflow; then the same module runs in a module service worker.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { extname, join, normalize, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { startSim, PROJECT, USER, PASSWORD } from "./sim.mjs";

const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; connect-src *";
const TYPES = { ".html": "text/html", ".js": "text/javascript", ".mjs": "text/javascript", ".wasm": "application/wasm", ".json": "application/json" };

/** Serves the scratch project (the installed package and tests/browser/) with the CSP. */
async function staticServer(root) {
  const server = createServer((req, res) => {
    const path = normalize(join(root, decodeURIComponent(new URL(req.url, "http://x").pathname)));
    if (!path.startsWith(root) || !existsSync(path)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, {
      "content-type": TYPES[extname(path)] ?? "application/octet-stream",
      "content-security-policy": CSP,
      "service-worker-allowed": "/",
    });
    res.end(readFileSync(path));
  });
  await new Promise((done) => server.listen(0, "127.0.0.1", done));
  return { url: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((done) => server.close(done)) };
}

async function launch() {
  const playwright = process.env.KSDEVOPS_PLAYWRIGHT;
  if (!playwright) throw new Error("KSDEVOPS_PLAYWRIGHT must name playwright-core's index.js (cargo xtask test sets it)");
  const { chromium } = (await import(pathToFileURL(playwright).href)).default ?? (await import(pathToFileURL(playwright).href));
  const real = "/usr/lib/chromium/chromium";
  const profile = mkdtempSync(join(tmpdir(), "ksdevops-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: existsSync(real) ? real : (process.env.KSDEVOPS_CHROMIUM ?? "/usr/bin/chromium"),
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"],
  });
  return { context, close: async () => { await context.close(); rmSync(profile, { recursive: true, force: true }); } };
}

test("the seed workflow in headless Chromium, and the package in a service worker", async () => {
  const sim = await startSim();
  const site = await staticServer(resolve("."));
  const browser = await launch();
  try {
    const page = await browser.context.newPage();
    const problems = [];
    page.on("pageerror", (e) => problems.push(String(e)));
    page.on("response", (r) => r.status() >= 400 && !r.url().endsWith("/favicon.ico") && problems.push(`${r.status()} ${r.url()}`));
    await page.goto(`${site.url}/tests/browser/page.html`);
    await page.waitForSelector("body[data-ready='1']", { state: "attached" });
    const options = { url: sim.url, project: PROJECT, username: USER, password: PASSWORD };
    const seen = await page.evaluate((o) => window.seedWorkflow(o), options);
    assert.equal(seen.layout, "v4");
    assert.deepEqual(seen.definitions, ["PERSON", "BIOGRAPHY", "TOGGLE", "CHOICE", "PASSWORD"]);
    assert.deepEqual(seen.refused, { isError: true, kind: "invalid_input", field: "parameters.CHOICE" });
    assert.equal(seen.inputMessage, "Deploy to production?");
    assert.equal(seen.phase, "Succeeded");
    assert.match(seen.log, /Hello grace\n/);
    assert.match(seen.log, /Finished: SUCCESS\n?$/);
    assert.equal(seen.log, seen.wholeLog);
    assert.equal(seen.artifact.size, seen.artifact.listedSize);
    assert.equal(seen.artifact.head, "ksdevops-sim artifact\npath: dist/report.");
    assert.deepEqual(seen.stages, ["Greet", "Build", "Approve", "Deploy"]);

    await page.evaluate((o) => window.pauseOne(o), options);
    const worker = await page.evaluate((o) => window.inServiceWorker(o), options);
    assert.deepEqual(worker, { waiting: 1, hasWindow: false });
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
    await site.close();
    await sim.stop();
  }
});
