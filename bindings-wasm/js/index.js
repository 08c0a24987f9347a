// Browser, worker and MV3 service-worker entry point: the wasm file is fetched from beside
// this module on first use (CSP: 'wasm-unsafe-eval' is all it needs).
import init from "./ksdevops_wasm.js";
import { setLoader } from "./loader.js";

setLoader({ async: () => init({ module_or_path: new URL("./ksdevops_wasm_bg.wasm", import.meta.url) }) });

export * from "./api.js";
