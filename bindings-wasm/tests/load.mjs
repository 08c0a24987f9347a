// The package as a user gets it (`cargo xtask test` installs the packed tarball into a
// scratch project and runs these files there), and the shared vector files.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import * as ksdevops from "ksdevops";

export { ksdevops };

const here = dirname(fileURLToPath(import.meta.url));
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
