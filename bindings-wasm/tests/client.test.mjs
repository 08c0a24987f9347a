// The seed workflow through the installed package in Node 20, against ksdevops-sim over
// loopback, on both API layouts: what a script using `connect` observes.
import { test } from "node:test";
import assert from "node:assert/strict";
import { connect, KsDevOpsError } from "ksdevops";
import { startSim, joined, PROJECT, USER, PASSWORD } from "./sim.mjs";

const ARTIFACT = "dist/report.txt";

async function seedWorkflow(client) {
  const names = (await client.pipelines()).map((p) => p.metadata.name);
  assert.ok(names.includes("params-demo"), names.join());

  const definitions = await client.parameters("params-demo");
  assert.deepEqual(definitions.map((d) => d.name), ["PERSON", "BIOGRAPHY", "TOGGLE", "CHOICE", "PASSWORD"]);

  await assert.rejects(client.trigger("params-demo", { CHOICE: "Four" }), (e) =>
    e instanceof KsDevOpsError && e.kind === "invalid_input" && e.field === "parameters.CHOICE");
  assert.deepEqual(await client.runs("params-demo"), [], "a refused trigger starts nothing");

  const run = await client.trigger("params-demo", { PERSON: "ada", CHOICE: "Two", TOGGLE: false });
  assert.equal(run.spec.pipelineRef.name, "params-demo");
  const followed = joined(client.followLog(run));

  const paused = await client.wait(run, { until: "paused" });
  assert.equal(paused.metadata.name, run.metadata.name);
  const inputs = await client.pendingInputs(run.metadata.name);
  assert.equal(inputs.length, 1);
  assert.equal(inputs[0].input.message, "Deploy to production?");
  assert.deepEqual(inputs[0].input.parameters.map((p) => p.name), ["TARGET"]);
  await assert.rejects(client.approve(run, { TARGET: "moon" }), (e) => e.kind === "invalid_input" && e.field === "parameters.TARGET");
  await client.approve(run, { TARGET: "production" }, { input: inputs[0].input.id });

  const finished = await client.wait(run, { until: "finished", timeoutMs: 120_000 });
  assert.equal(finished.status.phase, "Succeeded");
  const log = await followed;
  assert.match(log, /Hello ada\n/);
  assert.match(log, /Finished: SUCCESS\n?$/);
  assert.equal(log, await client.log(run), "the followed log is the whole log");

  const stages = await client.nodes(run);
  assert.deepEqual(stages.map((s) => s.displayName), ["Greet", "Build", "Approve", "Deploy"]);
  assert.ok(stages.every((s) => s.result === "SUCCESS"), JSON.stringify(stages.map((s) => s.result)));

  const artifacts = await client.artifacts(run);
  const listed = artifacts.find((a) => a.path === ARTIFACT);
  assert.ok(listed, JSON.stringify(artifacts));
  const blob = await client.download(run, ARTIFACT);
  const bytes = new Uint8Array(await blob.arrayBuffer());
  assert.equal(bytes.length, listed.size);
  assert.ok(new TextDecoder().decode(bytes).startsWith(`ksdevops-sim artifact\npath: ${ARTIFACT}\n`));
  const stream = await client.downloadStream(run, listed);
  assert.equal(stream.path, ARTIFACT);
  assert.equal(stream.size, listed.size);
  const chunks = [];
  for await (const chunk of stream) chunks.push(chunk);
  assert.deepEqual(Buffer.concat(chunks), Buffer.from(bytes), "streamed and whole downloads agree");
  return { run, log, bytes };
}

for (const layout of ["v4", "v3"]) {
  test(`the seed workflow in Node from the installed package (${layout})`, async () => {
    const sim = await startSim({ layout });
    try {
      const client = await connect({ url: sim.url, project: PROJECT, username: USER, password: PASSWORD });
      assert.equal(client.layout, layout, "detected layout");
      assert.equal(client.project, PROJECT);
      await seedWorkflow(client);
    } finally {
      await sim.stop();
    }
  });
}

test("two clients trigger two runs (each its own run names)", async () => {
  const sim = await startSim();
  try {
    const options = { url: sim.url, project: PROJECT, username: USER, password: PASSWORD };
    const [first, second] = await Promise.all([connect(options), connect(options)]);
    const runs = await Promise.all([first.trigger("go-demo-pipeline"), second.trigger("go-demo-pipeline")]);
    assert.notEqual(runs[0].metadata.name, runs[1].metadata.name);
    assert.equal((await first.runs("go-demo-pipeline")).length, 2);
  } finally {
    await sim.stop();
  }
});

test("runs, stop, replay, diagnose, abort and a failed run through the client", async () => {
  const sim = await startSim();
  try {
    const client = await connect({ url: sim.url, project: PROJECT, username: USER, password: PASSWORD, layout: "v4" });
    const run = await client.trigger("params-demo", {});
    await client.wait(run, { until: "paused" });
    await client.abort(run);
    const aborted = await client.wait(run);
    assert.notEqual(aborted.status.phase, "Succeeded");
    const diagnosis = await client.diagnose(run);
    assert.equal(diagnosis.run, run.metadata.name);
    assert.equal(typeof diagnosis.hint, "string");
    assert.equal(typeof diagnosis.log_tail, "string");
    const replayed = await client.replay(run);
    assert.ok(replayed.id, JSON.stringify(replayed));
    const runs = await client.runs("params-demo");
    assert.ok(runs.length >= 2, `${runs.length} runs`);
    const latest = runs.find((r) => r.metadata.name !== run.metadata.name);
    await client.wait(latest, { until: "paused" });
    const stopped = await client.stop(latest);
    assert.ok(stopped.id);
    assert.equal((await client.getRun(run.metadata.name)).metadata.name, run.metadata.name);
  } finally {
    await sim.stop();
  }
});

test("pipelines and credentials: create, read, update, delete", async () => {
  const sim = await startSim();
  try {
    const client = await connect({ url: sim.url, project: PROJECT, username: USER, password: PASSWORD });
    const secret = "hunter2-Secret!";
    const created = await client.createCredential({ name: "git-login", kind: "basic-auth", username: "bot", password: secret });
    assert.equal(created.metadata.name, "git-login");
    assert.ok(!JSON.stringify(created).includes(secret), "the server blanks secrets");
    assert.ok((await client.credentials()).some((c) => c.metadata.name === "git-login"));
    assert.equal((await client.getCredential("git-login")).metadata.name, "git-login");
    await client.deleteCredential("git-login");
    await assert.rejects(client.getCredential("git-login"), (e) => e.kind === "not_found" && e.status === 404);

    const jenkinsfile = "pipeline { agent any\n stages { stage('Hi') { steps { echo 'hi' } } } }";
    const pipeline = await client.createPipeline({
      apiVersion: "devops.kubesphere.io/v1alpha3",
      kind: "Pipeline",
      metadata: { name: "made-in-js", namespace: PROJECT },
      spec: { type: "pipeline", pipeline: { name: "made-in-js", jenkinsfile } },
    });
    assert.equal(pipeline.metadata.name, "made-in-js");
    const read = await client.getPipeline("made-in-js");
    read.spec.pipeline.description = "changed from JavaScript";
    const updated = await client.updatePipeline(read);
    assert.equal(updated.spec.pipeline.description, "changed from JavaScript");
    assert.equal((await client.waitSynced("made-in-js")).metadata.name, "made-in-js");
    const run = await client.trigger("made-in-js");
    assert.match(await joined(client.followLog(run)), /Finished: SUCCESS/);
    await client.deletePipeline("made-in-js");
    await assert.rejects(client.getPipeline("made-in-js"), (e) => e.kind === "not_found");
  } finally {
    await sim.stop();
  }
});

test("multi-branch: scan, scan log, branch parameters and a branch run", async () => {
  const sim = await startSim();
  try {
    const client = await connect({ url: sim.url, project: PROJECT, username: USER, password: PASSWORD });
    const scan = await client.scan("multi-branch-demo", { wait: true, timeoutMs: 60_000 });
    assert.equal(scan.finished, true);
    assert.equal(scan.succeeded, true);
    assert.match(await client.scanLog("multi-branch-demo"), /Finished: SUCCESS/);
    await assert.rejects(client.scan("params-demo"), (e) => e.kind === "invalid_input" && e.field === "pipeline");
    // Scanned branches reach the API at the controller's next metadata sync.
    let definitions;
    for (let attempt = 0; !definitions; attempt++) {
      try {
        definitions = await client.parameters("multi-branch-demo", { branch: "main" });
      } catch (e) {
        if (e.kind !== "not_found" || attempt > 50) throw e;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
    assert.deepEqual(definitions.map((d) => d.name), ["GREETING"]);
    const run = await client.trigger("multi-branch-demo", { GREETING: "hej" }, { branch: "main" });
    const log = await joined(client.followLog(run));
    assert.match(log, /Finished: SUCCESS/);
    const runs = await client.runs("multi-branch-demo", { branch: "main" });
    assert.ok(runs.some((r) => r.metadata.name === run.metadata.name), runs.map((r) => r.metadata.name).join());
  } finally {
    await sim.stop();
  }
});

test("watchRuns streams a run's changes until it ends; break stops watching", async () => {
  const sim = await startSim();
  try {
    const client = await connect({ url: sim.url, project: PROJECT, username: USER, password: PASSWORD });
    const events = client.watchRuns({ pipeline: "go-demo-pipeline" });
    const run = await client.trigger("go-demo-pipeline");
    const changes = [];
    for await (const { change, run: seen } of events) {
      assert.equal(seen.spec.pipelineRef.name, "go-demo-pipeline");
      if (seen.metadata.name !== run.metadata.name) continue;
      changes.push(change);
      if (["Succeeded", "Failed", "Cancelled"].includes(seen.status?.phase)) break;
    }
    assert.equal(changes[0], "added");
    assert.ok(changes.slice(1).every((c) => c === "modified"), changes.join());
    assert.equal((await events.next()).done, true, "a stream left with break is over");
    await assert.rejects(client.watchRuns({ pipeline: "Bad_Name" }).next(), (e) => e.kind === "invalid_input");
  } finally {
    await sim.stop();
  }
});
