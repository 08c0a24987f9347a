// Loaded by page.html from the installed package, under a CSP that allows wasm and nothing
// else: the seed workflow as a web console runs it, and the same module in a service worker.
import { connect, KsDevOpsError } from "/node_modules/ksdevops/index.js";

async function joined(stream) {
  let text = "";
  for await (const chunk of stream) text += chunk;
  return text;
}

/** The seed workflow against `url`; what it saw, for the test to check. */
window.seedWorkflow = async ({ url, project, username, password }) => {
  const client = await connect({ url, project, username, password });
  const seen = { layout: client.layout };
  seen.definitions = (await client.parameters("params-demo")).map((d) => d.name);
  try {
    await client.trigger("params-demo", { CHOICE: "Four" });
  } catch (e) {
    seen.refused = { isError: e instanceof KsDevOpsError, kind: e.kind, field: e.field };
  }
  const run = await client.trigger("params-demo", { PERSON: "grace", CHOICE: "Three" });
  const followed = joined(client.followLog(run));
  await client.wait(run, { until: "paused" });
  const inputs = await client.pendingInputs(run);
  seen.inputMessage = inputs[0]?.input.message;
  await client.approve(run, { TARGET: "production" });
  seen.phase = (await client.wait(run)).status.phase;
  seen.log = await followed;
  seen.wholeLog = await client.log(run);
  const listed = (await client.artifacts(run)).find((a) => a.path === "dist/report.txt");
  const blob = await client.download(run, "dist/report.txt");
  const bytes = new Uint8Array(await blob.arrayBuffer());
  seen.artifact = { listedSize: listed.size, size: bytes.length, head: new TextDecoder().decode(bytes.slice(0, 40)) };
  seen.stages = (await client.nodes(run)).map((s) => s.displayName);
  return seen;
};

/** Starts a run and waits until it asks for input. */
window.pauseOne = async (options) => {
  const client = await connect(options);
  const run = await client.trigger("params-demo");
  await client.wait(run, { until: "paused" });
  return run.metadata.name;
};

/** The package in a module service worker: how many runs of the project wait for input. */
window.inServiceWorker = async (options) => {
  const registration = await navigator.serviceWorker.register("./sw.js", { type: "module", scope: "./" });
  const worker = registration.installing ?? registration.waiting ?? registration.active;
  if (worker.state !== "activated") {
    await new Promise((resolve) => worker.addEventListener("statechange", () => worker.state === "activated" && resolve()));
  }
  const channel = new MessageChannel();
  const answer = new Promise((resolve) => (channel.port1.onmessage = (e) => resolve(e.data)));
  worker.postMessage(options, [channel.port2]);
  return answer;
};

document.body.dataset.ready = "1";
