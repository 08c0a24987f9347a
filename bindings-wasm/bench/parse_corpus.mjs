// Times `parseJenkinsfile` of the wasm package (`wasm-bindgen --target nodejs` output) over a
// list of Jenkinsfiles, the same method as core/examples/parse_corpus.rs: warm-up passes, then
// timed passes with each call timed on its own. A call includes what a JS caller pays: the
// string copied into wasm memory and the report built as a JS object.
//
//   node bindings-wasm/bench/parse_corpus.mjs --pkg DIR --files LIST [--passes N] [--warmup N]
//
// Prints a human summary and a `bench wasm …` line of key=value fields for `cargo xtask bench`,
// including the size of the package's .wasm file, raw and gzip -9. Measurements only.
import { createRequire } from "node:module";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

function options(argv) {
  const opts = { passes: 50, warmup: 5, pkg: null, files: null };
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) throw new Error(`${name} needs a value`);
      return argv[++i];
    };
    const count = (text) => {
      if (!/^\d+$/.test(text)) throw new Error(`${name} must be a whole number, got ${JSON.stringify(text)}`);
      return Number(text);
    };
    switch (name) {
      case "--passes": opts.passes = count(value()); break;
      case "--warmup": opts.warmup = count(value()); break;
      case "--pkg": opts.pkg = value(); break;
      case "--files": opts.files = value(); break;
      default: throw new Error(`unknown argument ${JSON.stringify(name)}`);
    }
  }
  if (!opts.pkg) throw new Error("--pkg (the wasm-bindgen --target nodejs output folder) is required");
  if (!opts.files) throw new Error("--files (a list of Jenkinsfile paths, one a line) is required");
  if (opts.passes < 1) throw new Error("--passes must be at least 1, got 0");
  return opts;
}

function median(sorted) {
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 0 ? (sorted[mid - 1] + sorted[mid]) / 2 : sorted[mid];
}

function measure(texts, bytes, opts, parse) {
  for (let p = 0; p < opts.warmup; p++) for (const text of texts) parse(text);
  const samples = new Float64Array(texts.length * opts.passes);
  let total = 0n;
  let k = 0;
  let sink = 0;
  for (let p = 0; p < opts.passes; p++) {
    for (const text of texts) {
      const start = process.hrtime.bigint();
      const report = parse(text);
      const took = process.hrtime.bigint() - start;
      // Keeps the result alive so that the call cannot be optimised away.
      sink += report.accepted ? 1 : 0;
      total += took;
      samples[k++] = Number(took) / 1e3;
    }
  }
  samples.sort();
  const seconds = Number(total) / 1e9;
  return { medianUs: median(samples), mbps: (bytes * opts.passes) / seconds / 1e6, sink };
}

function main() {
  const opts = options(process.argv.slice(2));
  const wasmFile = readdirSync(opts.pkg).find((n) => n.endsWith("_bg.wasm"));
  const glueFile = readdirSync(opts.pkg).find((n) => n.endsWith(".js") && !n.endsWith(".d.ts"));
  if (!wasmFile || !glueFile) throw new Error(`${opts.pkg} has no wasm-bindgen nodejs package`);
  const { parseJenkinsfile } = createRequire(import.meta.url)(join(opts.pkg, glueFile));

  const paths = readFileSync(opts.files, "utf8").split("\n").filter((l) => l.trim() !== "");
  const texts = paths.map((p) => readFileSync(p, "utf8"));
  // UTF-8 bytes, as the native bench counts them.
  const bytes = texts.reduce((n, t) => n + Buffer.byteLength(t, "utf8"), 0);

  const totals = { parameters: 0, inputBlocks: 0, diagnostics: 0, accepted: 0 };
  for (const text of texts) {
    const r = parseJenkinsfile(text);
    totals.parameters += r.parameters.length;
    totals.inputBlocks += r.inputParameters.length;
    totals.diagnostics += r.diagnostics.length;
    totals.accepted += r.accepted ? 1 : 0;
  }
  const timing = measure(texts, bytes, opts, parseJenkinsfile);

  const wasm = readFileSync(join(opts.pkg, wasmFile));
  const wasmGzip = gzipSync(wasm, { level: 9 }).length;
  const glue = readFileSync(join(opts.pkg, glueFile));

  console.log(
    `wasm (node ${process.version}): ${texts.length} files, ${bytes} bytes, ${opts.passes} warm passes: ` +
      `parseJenkinsfile median ${timing.medianUs.toFixed(1)} µs per file, ${timing.mbps.toFixed(1)} MB/s`,
  );
  console.log(
    `bench wasm files=${texts.length} bytes=${bytes} passes=${opts.passes} ` +
      `median_us=${timing.medianUs.toFixed(3)} mbps=${timing.mbps.toFixed(3)} ` +
      `parameters=${totals.parameters} input_blocks=${totals.inputBlocks} ` +
      `diagnostics=${totals.diagnostics} accepted=${totals.accepted} ` +
      `wasm_bytes=${wasm.length} wasm_gzip_bytes=${wasmGzip} glue_bytes=${glue.length}`,
  );
}

try {
  main();
} catch (e) {
  console.error(`parse_corpus.mjs: ${e.message}`);
  process.exit(2);
}
