// Regenerates docs/run-view.png, the picture in README.md: the console's run view of
// params-demo waiting for its approval. Needs dist/ built and the simulator binary:
//   cargo xtask web-demo --build-only && cargo build -p ksdevops-sim
//   node web-demo/scripts/readme-shot.mjs
import { join } from "node:path";
import { startSim, launchBrowser, newPage, ready, signIn, webDemo } from "../tests/harness.mjs";

const sim = await startSim();
const browser = await launchBrowser();
try {
  const page = await newPage(browser.context);
  await page.setViewportSize({ width: 900, height: 700 });
  await signIn(page, sim.url);
  await page.goto(`${sim.url}/#/pipelines/params-demo`);
  await ready(page);
  await page.locator("ksdevops-trigger").getByRole("button", { name: "Run" }).click();
  await page.waitForURL(/#\/runs\//);
  await page.locator("ksdevops-run section.input").waitFor({ timeout: 60_000 });
  const out = join(webDemo, "docs/run-view.png");
  // The stage graph and the approval form: the top of the run view, kept small.
  const box = await page.locator("ksdevops-run").boundingBox();
  await page.screenshot({ path: out, clip: { x: box.x - 8, y: box.y - 8, width: box.width + 16, height: 430 } });
  console.log(`wrote ${out}`);
} finally {
  await browser.close();
  await sim.stop();
}
