// The Jenkinsfile playground: parameters, diagnostics and the verdict follow what is typed.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startSim, launchBrowser, newPage, ready, shot } from "./harness.mjs";

let sim, browser;
before(async () => {
  sim = await startSim();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await sim?.stop();
});

async function openPlayground() {
  const page = await newPage(browser.context);
  await page.goto(`${sim.url}/#/playground`);
  await ready(page);
  return page;
}

const EMPTY = "pipeline {\n  agent any\n  stages {\n    stage('Build') {\n      steps {\n        echo 'hi'\n      }\n    }\n  }\n}\n";

test("typing a parameter into the Jenkinsfile makes it appear, offline", async () => {
  const page = await openPlayground();
  const editor = page.getByLabel("Jenkinsfile", { exact: true });
  await editor.fill(EMPTY);
  await page.getByText("No parameters.").waitFor();
  await page.getByText(/^✔ Accepted/).waitFor();
  // Typed key by key, as a user would, inside the pipeline block.
  await editor.fill(EMPTY.replace("  stages {", "  parameters {\n  }\n  stages {"));
  await editor.focus();
  const at = (await editor.inputValue()).indexOf("parameters {") + "parameters {".length;
  await editor.evaluate((el, at) => el.setSelectionRange(at, at), at);
  await page.keyboard.type("\n    string(name: 'GREETING', defaultValue: 'hello', description: 'What to say')");
  const row = page.locator("tr[data-param='GREETING']");
  await row.waitFor();
  assert.deepEqual(await row.locator("td").allTextContents(), ["GREETING", "StringParameterDefinition", "hello", "What to say"]);
  assert.match(await page.locator(".verdict").textContent(), /Accepted/);
  await shot(page, "playground");
  assert.deepEqual(page.errors, []);
  await page.close();
});

test("a syntax error shows its line and column, marked in the source, and is not accepted", async () => {
  const page = await openPlayground();
  const broken = "pipeline {\n  agent any\n  stages {\n    stage('Build') {\n      steps {\n        echo 'hi\n      }\n    }\n  }\n}\n";
  await page.getByLabel("Jenkinsfile", { exact: true }).fill(broken);
  await page.getByText(/^✘ Not accepted/).waitFor();
  const first = page.locator(".diagnostics li.diag").first();
  assert.match(await first.textContent(), /^error at line \d+, column \d+: /);
  const line = Number((await first.textContent()).match(/line (\d+)/)[1]);
  const marked = page.locator("pre.annotated .marked.error").first();
  assert.match(await marked.textContent(), new RegExp(`^\\s*${line} `));
  // The diagnostic is a button: it moves the cursor to the place in the editor.
  await first.getByRole("button").press("Enter");
  const focused = await page.evaluate(() => document.activeElement?.id ?? "");
  assert.match(focused, /^jenkinsfile-/);
  await page.close();
});
