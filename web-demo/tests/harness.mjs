// What every web-demo test needs: the simulator serving dist/ (demo scenario) on a free port,
// Debian's Chromium driven by playwright-core, and screenshots under target/.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { createInterface } from "node:readline";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const here = dirname(fileURLToPath(import.meta.url));
export const webDemo = resolve(here, "..");
const repo = resolve(webDemo, "..");
export const dist = join(webDemo, "dist");
const shots = process.env.KSDEVOPS_SHOTS ?? join(repo, "target/web-demo-screens");

/** The demo's well-known user (KubeSphere's default password; not a secret). */
export const ADMIN = { username: "admin", password: "P@88w0rd" };
export const PROJECT = "demo-project";

/** Starts `ksdevops-sim --scenario demo --serve-dir dist`; resolves to {url, stop()}. */
export async function startSim({ speed = 20, serveDir = dist } = {}) {
  const binary = process.env.KSDEVOPS_SIM ?? join(repo, "target/debug/ksdevops-sim");
  if (!existsSync(binary)) throw new Error(`${binary} is missing: run \`cargo build -p ksdevops-sim\``);
  if (!existsSync(join(serveDir, "index.html"))) throw new Error(`${serveDir} is not built: run \`cargo xtask web-demo --build-only\``);
  const child = spawn(binary, ["--scenario", "demo", "--serve-dir", serveDir, "--listen", "127.0.0.1:0", "--speed", String(speed)], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (d) => { stderr += d; });
  const lines = createInterface({ input: child.stdout });
  const url = await new Promise((res, rej) => {
    lines.once("line", (line) => res(line.trim().replace(/\/$/, "")));
    child.once("exit", (code) => rej(new Error(`ksdevops-sim exited (${code}) before printing its URL: ${stderr}`)));
  });
  return {
    url,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((res) => child.once("exit", res));
      child.kill("SIGINT");
      await exited;
    },
  };
}

function chromiumPath() {
  return ["/usr/lib/chromium/chromium", "/usr/bin/chromium"].find(existsSync) ?? "/usr/bin/chromium";
}

/** Debian's Chromium, headless, with a throwaway profile. */
export async function launchBrowser() {
  const profile = mkdtempSync(join(tmpdir(), "ksdevops-web-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath(),
    headless: true,
    acceptDownloads: true,
    viewport: { width: 1280, height: 900 },
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"],
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** A page that fails the test on any uncaught page error, with console errors kept. */
export async function newPage(context) {
  const page = await context.newPage();
  page.errors = [];
  page.on("pageerror", (e) => page.errors.push(e.message));
  return page;
}

/** Saves a screenshot of `page` as target/web-demo-screens/NAME.png. */
export async function shot(page, name) {
  mkdirSync(shots, { recursive: true });
  await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
}

/** Waits until the console has rendered a screen. */
export async function ready(page) {
  await page.waitForSelector("main[data-ready='1']");
}

/** Signs in through the Connect screen. */
export async function signIn(page, base) {
  await page.goto(`${base}/#/connect`);
  await ready(page);
  await page.getByLabel("Username", { exact: true }).fill(ADMIN.username);
  await page.getByLabel("Password", { exact: true }).fill(ADMIN.password);
  await page.getByRole("button", { name: "Connect" }).click();
  await page.waitForURL(/#\/pipelines$/);
  await ready(page);
}

/** A client of the JS package (its Node build), signed in as admin: for test set-up. */
export async function nodeClient(url) {
  const { connect } = await import(join(repo, "bindings-wasm/pkg/node.js"));
  return connect({ url, project: PROJECT, ...ADMIN });
}
