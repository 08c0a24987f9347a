// Page weight of a built dist/: the JavaScript and wasm a browser downloads, raw and gzip -9.
//   node scripts/weight.mjs DIST
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { gzipSync } from "node:zlib";

const dist = process.argv[2];
if (!dist) {
  console.error("usage: node scripts/weight.mjs DIST");
  process.exit(2);
}

function* files(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* files(path);
    else yield path;
  }
}

const totals = { js: { raw: 0, gz: 0, n: 0 }, wasm: { raw: 0, gz: 0, n: 0 } };
for (const path of files(dist)) {
  const kind = path.endsWith(".wasm") ? "wasm" : /\.m?js$/.test(path) ? "js" : null;
  if (!kind) continue;
  const bytes = readFileSync(path);
  const t = totals[kind];
  t.raw += bytes.length;
  t.gz += gzipSync(bytes, { level: 9 }).length;
  t.n += 1;
  if (process.env.WEIGHT_VERBOSE) console.log(`${relative(dist, path)}\t${bytes.length}`);
}
const kb = (n) => `${(n / 1024).toFixed(1)} KiB`;
const js = totals.js, wasm = totals.wasm;
console.log(`page weight: JS ${js.n} files ${kb(js.raw)} (gzip ${kb(js.gz)}); wasm ${kb(wasm.raw)} (gzip ${kb(wasm.gz)}); ` +
  `total ${kb(js.raw + wasm.raw)} (gzip ${kb(js.gz + wasm.gz)})`);
