// The state of a run, stage or step through the package: the core's reading, not the page's.
import { test } from "node:test";
import assert from "node:assert/strict";
import { ksdevops } from "./load.mjs";

const STATUS = "devops.kubesphere.io/jenkins-pipelinerun-status";

function run(phase, jenkins) {
  const annotations = { "devops.kubesphere.io/jenkins-pipelinerun-id": "4" };
  if (jenkins) annotations[STATUS] = JSON.stringify(jenkins);
  return {
    apiVersion: "devops.kubesphere.io/v1alpha3",
    kind: "PipelineRun",
    metadata: { name: "build-x7k2p", namespace: "demo", annotations },
    spec: { pipelineRef: { name: "build" } },
    status: phase ? { phase } : undefined,
  };
}

test("runState reads an aborted run as aborted though its phase says Failed", () => {
  const aborted = ksdevops.runState(run("Failed", { id: "4", state: "FINISHED", result: "ABORTED" }));
  assert.deepEqual(aborted, { state: "aborted", word: "aborted", finished: true });
  assert.equal(ksdevops.runState(run("Failed")).state, "failed");
});

test("runState follows the phase when the server copied no Jenkins run", () => {
  assert.deepEqual(ksdevops.runState(run("Pending")), {
    state: "waiting_for_input",
    word: "waiting for input",
    finished: false,
  });
  assert.equal(ksdevops.runState(run(undefined)).state, "queued");
  assert.equal(ksdevops.runState(run("Running", { state: "RUNNING" })).state, "running");
});

test("nodeState reads stages, steps and Jenkins runs", () => {
  assert.equal(ksdevops.nodeState({ state: "FINISHED", result: "UNSTABLE" }).state, "unstable");
  assert.deepEqual(ksdevops.nodeState({ displayName: "deploy" }), {
    state: "not_started",
    word: "not started",
    finished: false,
  });
  assert.equal(ksdevops.nodeState({ state: "PAUSED", input: { id: "ok" } }).word, "waiting for input");
});

test("a value that is not a run is refused with the field named", () => {
  assert.throws(() => ksdevops.runState({ metadata: {} }), (e) => e.kind === "invalid_input" && e.field === "run");
  assert.throws(() => ksdevops.nodeState("FINISHED"), (e) => e.field === "node");
});
