// Node entry point: the wasm file is read from beside this module (Node's fetch cannot read
// file: URLs), synchronously, on first use.
import { readFileSync } from "node:fs";
import { initSync } from "./ksdevops_wasm.js";
import { setLoader } from "./loader.js";

const load = () => initSync({ module: readFileSync(new URL("./ksdevops_wasm_bg.wasm", import.meta.url)) });
setLoader({ sync: load, async: async () => load() });

export * from "./api.js";
