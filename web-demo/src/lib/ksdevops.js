// The one door to the JavaScript package `ksdevops` (bindings-wasm, copied into dist/pkg/ by
// the build). Screens and elements import the package from here.
import * as pkg from "../pkg/index.js";

/** The package, once its wasm module is loaded (the sync functions need that). */
export async function ksdevops() {
  await pkg.ready();
  return pkg;
}

/** The states of runs and stages, read by the core. Synchronous: the package is loaded by then
 *  (anything that fetched the run loaded it). */
export { runState, nodeState } from "../pkg/index.js";
