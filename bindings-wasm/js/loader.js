// How the wasm module gets loaded: set once by the entry point (node.js or index.js), used
// on first need. Nothing is loaded at import time, so there is no top-level await.
let loader = null;

export function setLoader(load) {
  loader = load;
}

export function getLoader() {
  return loader;
}
