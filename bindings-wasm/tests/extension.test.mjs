// examples/browser-extension loaded unpacked into headless Chromium: its module service
// worker counts the runs waiting for input on the badge; its popup approves one.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { connect } from "ksdevops";
import { startSim, PROJECT, USER, PASSWORD } from "./sim.mjs";

test("the MV3 extension counts waiting runs on its badge and approves from its popup", async () => {
  const extension = process.env.KSDEVOPS_EXTENSION;
  assert.ok(extension && existsSync(join(extension, "ksdevops/index.js")), "KSDEVOPS_EXTENSION: the extension with the package in ksdevops/");
  const module = await import(pathToFileURL(process.env.KSDEVOPS_PLAYWRIGHT).href);
  const { chromium } = module.default ?? module;
  const sim = await startSim();
  const profile = mkdtempSync(join(tmpdir(), "ksdevops-extension-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: existsSync("/usr/lib/chromium/chromium") ? "/usr/lib/chromium/chromium" : "/usr/bin/chromium",
    headless: true,
    ignoreDefaultArgs: ["--disable-extensions"],
    args: [`--disable-extensions-except=${extension}`, `--load-extension=${extension}`, "--no-sandbox",
      "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-dev-shm-usage"],
  });
  try {
    const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent("serviceworker", { timeout: 20_000 }));
    const id = new URL(worker.url()).host;

    const client = await connect({ url: sim.url, project: PROJECT, username: USER, password: PASSWORD });
    const run = await client.trigger("params-demo", { PERSON: "ext" });
    await client.wait(run, { until: "paused" });
    // A token for the extension: the simulator's OAuth endpoint, as a user would get one.
    const grant = await fetch(`${sim.url}/oauth/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: "password", username: USER, password: PASSWORD, client_id: "kubesphere", client_secret: "kubesphere" }),
    }).then((r) => r.json());
    await worker.evaluate((options) => chrome.storage.local.set({ options }), { url: sim.url, project: PROJECT, token: grant.access_token });
    const count = await worker.evaluate(() => self.refreshBadge());
    assert.equal(count, 1);
    assert.equal(await worker.evaluate(() => chrome.action.getBadgeText({})), "1");

    const popup = await context.newPage();
    await popup.goto(`chrome-extension://${id}/popup.html`);
    await popup.getByRole("button", { name: `Approve ${run.metadata.name}` }).click();
    await popup.getByText("Nothing waits for input.").waitFor();
    assert.equal((await client.wait(run)).status.phase, "Succeeded");
    // The worker refreshes the badge after an approval; give it a few seconds.
    let badge = "1";
    for (let i = 0; i < 50 && badge !== ""; i++) {
      badge = await worker.evaluate(() => chrome.action.getBadgeText({}));
      if (badge !== "") await new Promise((r) => setTimeout(r, 200));
    }
    assert.equal(badge, "");
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
    await sim.stop();
  }
});
