// The package's API over the wasm-bindgen glue. The module is initialised on first use:
// `connect` waits for it; the synchronous functions need it loaded already (always true in
// Node, where it loads synchronously; in a browser after `connect` or `await ready()`).
import * as wasm from "./ksdevops_wasm.js";
import { getLoader } from "./loader.js";

/** Every error of the package: `kind`, `status` (HTTP, when the server answered), `field`. */
export class KsDevOpsError extends Error {
  constructor(message) {
    super(message);
    this.name = "KsDevOpsError";
    this.kind = "invalid_input";
    this.field = null;
    this.status = null;
  }
}

let initialised = false;
let loading = null;

function loaded() {
  wasm.setErrorClass(KsDevOpsError);
  initialised = true;
}

/** Resolves once the wasm module is loaded; `connect` does this by itself. */
export function ready() {
  if (initialised) return Promise.resolve();
  loading ??= Promise.resolve()
    .then(() => getLoader().async())
    .then(loaded, (error) => {
      loading = null;
      throw error;
    });
  return loading;
}

function readySync() {
  if (initialised) return;
  const loader = getLoader();
  if (!loader.sync) {
    const error = new KsDevOpsError("the ksdevops wasm module is not loaded yet: `await ready()` (or `await connect(...)`) first");
    error.field = "ready";
    throw error;
  }
  loader.sync();
  loaded();
}

const pageOrigin = () => globalThis.location?.origin;

/** Connects to a KubeSphere DevOps server; `url` defaults to the page's origin. */
export async function connect(options) {
  await ready();
  const origin = pageOrigin();
  if (options && typeof options === "object" && options.url === undefined && origin && origin !== "null") {
    options = { ...options, url: origin };
  }
  return wasm.connectClient(options);
}

// `for await` over the streams; `break` calls `return()`, which ends them.
for (const Stream of [wasm.LogStream, wasm.ArtifactStream, wasm.RunEventStream]) {
  if (Stream) Stream.prototype[Symbol.asyncIterator] = function () { return this; };
}

export function buildRequest(operation, args, layout) {
  readySync();
  return wasm.buildRequest(operation, args, layout);
}

export function decodeResponse(operation, status, headers, body) {
  readySync();
  return wasm.decodeResponse(operation, status, headers, body);
}

export function parseJenkinsfile(text) {
  readySync();
  return wasm.parseJenkinsfile(text);
}

export function checkParameters(definitions, values, fillDefaults) {
  readySync();
  return wasm.checkParameters(definitions, values, fillDefaults);
}

export function parameterKind(type) {
  readySync();
  return wasm.parameterKind(String(type ?? ""));
}

export function runState(run) {
  readySync();
  return wasm.runState(run);
}

export function nodeState(node) {
  readySync();
  return wasm.nodeState(node);
}

export const { Client, Jenkins, LogStream, ArtifactStream, RunEventStream, Request } = wasm;
