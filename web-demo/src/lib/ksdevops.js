// The one door to the JavaScript package (bindings-wasm, copied into dist/pkg/ by the build).
// Every screen and element imports the package's functions from here.
import init, * as pkg from "../pkg/ksdevops_wasm.js";

let loading = null;

/** The package's functions, once its wasm module is loaded (loaded on first call only). */
export function ksdevops() {
  loading ??= init({ module_or_path: new URL("../pkg/ksdevops_wasm_bg.wasm", import.meta.url) }).then(() => pkg);
  return loading;
}
