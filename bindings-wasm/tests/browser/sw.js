// A module service worker (no window, no eval) using the package, as an MV3 extension's
// background worker would: counts the runs that wait for input.
import { connect } from "/node_modules/ksdevops/index.js";

self.addEventListener("message", (event) => {
  const [port] = event.ports;
  event.waitUntil((async () => {
    try {
      const client = await connect(event.data);
      let waiting = 0;
      for (const pipeline of await client.pipelines()) {
        for (const run of await client.runs(pipeline.metadata.name)) {
          if ((await client.pendingInputs(run)).length > 0) waiting += 1;
        }
      }
      port.postMessage({ waiting, hasWindow: typeof window !== "undefined" });
    } catch (e) {
      port.postMessage({ error: `${e.name}: ${e.message}`, kind: e.kind });
    }
  })());
});
