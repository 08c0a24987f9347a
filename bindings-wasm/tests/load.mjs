// Loads the Node build of the wasm package (`wasm-bindgen --target nodejs`, made by
// `cargo xtask test`) and finds the shared vector files.
import { createRequire } from "node:module";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const pkgDir = process.env.KSDEVOPS_WASM_PKG ?? resolve(here, "../pkg/node");

export const ksdevops = createRequire(import.meta.url)(join(pkgDir, "ksdevops_wasm.js"));

const vectorsDir = process.env.KSDEVOPS_VECTORS ?? resolve(here, "../../tests/vectors");

/** [fileName, parsed vector] for every *.json file of tests/vectors/<kind>/, sorted. */
export function vectors(kind) {
  const dir = join(vectorsDir, kind);
  let names = [];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith(".json")).sort();
  } catch (e) {
    if (e.code !== "ENOENT") throw e;
  }
  return names.map((n) => [n, JSON.parse(readFileSync(join(dir, n), "utf8"))]);
}
