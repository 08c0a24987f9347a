// Branches, DevOps projects, run deletion, agent labels and tag triggers through the installed
// package, against ksdevops-sim over loopback: what a script or a console view observes.
import { test } from "node:test";
import assert from "node:assert/strict";
import { connect, KsDevOpsError } from "ksdevops";
import { startSim, PROJECT, USER, PASSWORD } from "./sim.mjs";

const WORKSPACE = "demo";

async function withClient(options, body) {
  const sim = await startSim(options);
  try {
    const client = await connect({ url: sim.url, project: PROJECT, username: USER, password: PASSWORD });
    await body(client);
  } finally {
    await sim.stop();
  }
}

for (const layout of ["v4", "v3"]) {
  test(`DevOps projects: create, list, read, update, delete (${layout})`, async () => {
    await withClient({ layout }, async (client) => {
      const created = await client.createProject(WORKSPACE, "team-js");
      assert.equal(created.metadata.name, "team-js");
      assert.equal(created.metadata.annotations["kubesphere.io/creator"], USER);
      const names = (await client.projects(WORKSPACE)).map((p) => p.metadata.name);
      assert.ok(names.includes("team-js") && names.includes(PROJECT), names.join());

      const project = await client.getProject(WORKSPACE, "team-js");
      project.metadata.annotations = { ...project.metadata.annotations, "kubesphere.io/description": "from JS" };
      const updated = await client.updateProject(WORKSPACE, project);
      assert.equal(updated.metadata.annotations["kubesphere.io/description"], "from JS");

      await client.deleteProject(WORKSPACE, updated);
      await assert.rejects(client.getProject(WORKSPACE, "team-js"), (e) => e instanceof KsDevOpsError && e.kind === "not_found");
      await assert.rejects(client.createProject(WORKSPACE, "Not A Name"), (e) => e.kind === "invalid_input" && e.field === "devops");
    });
  });
}

test("branches of a multi-branch pipeline, filtered; a refused filter names itself", async () => {
  await withClient({}, async (client) => {
    await client.scan("multi-branch-demo", { wait: true, timeoutMs: 60_000 });
    let branches = [];
    for (let attempt = 0; !branches.some((b) => b.name === "main") && attempt < 50; attempt++) {
      branches = await client.branches("multi-branch-demo");
      if (!branches.some((b) => b.name === "main")) await new Promise((r) => setTimeout(r, 200));
    }
    assert.ok(branches.some((b) => b.name === "main"), JSON.stringify(branches.map((b) => b.name)));
    const origin = await client.branches("multi-branch-demo", { filter: "origin" });
    assert.ok(origin.every((b) => !b.pullRequest), "origin branches only");
    await assert.rejects(client.branches("multi-branch-demo", { filter: "forks" }), (e) => e.kind === "invalid_input" && e.field === "filter");
  });
});

test("a finished run is deleted; agent labels are listed; a tag and a branch together are refused", async () => {
  await withClient({}, async (client) => {
    const run = await client.trigger("go-demo-pipeline");
    await client.wait(run, { timeoutMs: 120_000 });
    await client.deleteRun(run, { keepJenkinsRecord: true });
    await assert.rejects(client.getRun(run), (e) => e.kind === "not_found");
    await assert.rejects(client.deleteRun(run, { keepJenkinsRecord: "yes" }), (e) => e.kind === "invalid_input" && e.field === "keepJenkinsRecord");

    const labels = await client.listAgentLabels();
    assert.ok(Array.isArray(labels) && labels.length > 0 && labels.every((l) => typeof l === "string"), JSON.stringify(labels));

    const before = (await client.runs("multi-branch-demo")).length;
    await assert.rejects(
      client.trigger("multi-branch-demo", {}, { branch: "main", tag: "v1.0" }),
      (e) => e.kind === "invalid_input" && e.field === "tag");
    assert.equal((await client.runs("multi-branch-demo")).length, before, "nothing was started");
  });
});
