// Jenkins itself (ks-devops' proxy, and Jenkins' own URL as an administrator) and the
// project's GitRepository resources through the installed package, against ksdevops-sim over
// loopback: what a script or a console view observes.
import { test } from "node:test";
import assert from "node:assert/strict";
import { connect, Jenkins, KsDevOpsError } from "ksdevops";
import { startSim, PROJECT, USER, PASSWORD } from "./sim.mjs";

const GO_JOB = `${PROJECT}/go-demo-pipeline`;
const PARAMS_JOB = `${PROJECT}/params-demo`;
const PLANTED = "hunter2-planted";

async function withSim(layout, body) {
  const sim = await startSim({ layout });
  try {
    await body(sim);
  } finally {
    await sim.stop();
  }
}

const adminOf = (sim) =>
  connect({ url: sim.url, project: PROJECT, username: USER, password: PASSWORD, jenkinsUrl: `${sim.url}/jenkins` });

async function finished(jenkins, job, number) {
  for (let attempt = 0; attempt < 600; attempt++) {
    const build = await jenkins.status(job, number);
    if (!build.building) return build;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${job} #${number} did not finish`);
}

for (const layout of ["v4", "v3"]) {
  test(`every Jenkins operation, through the proxy and at Jenkins' own URL (${layout})`, async () => {
    await withSim(layout, async (sim) => {
      const client = await adminOf(sim);
      for (const jenkins of [client.jenkins(), await client.jenkinsAdmin()]) {
        assert.ok(jenkins instanceof Jenkins);
        const label = jenkins.isAdmin ? "admin" : "proxy";
        assert.ok((await jenkins.jobs()).some((j) => j.name === PROJECT), label);
        // A pipeline's Jenkins job exists once KubeSphere synced it.
        let names = [];
        for (let attempt = 0; names.length < 4 && attempt < 200; attempt++) {
          names = (await jenkins.jobs(PROJECT)).map((j) => j.name);
          if (names.length < 4) await new Promise((r) => setTimeout(r, 50));
        }
        assert.ok(names.includes("params-demo") && names.includes("go-demo-pipeline"), `${label}: ${names}`);

        const queueId = await jenkins.build(PARAMS_JOB, { PERSON: "ann", PASSWORD: PLANTED }, { secretNames: ["PASSWORD"] });
        assert.equal(typeof queueId, "number");
        const number = await jenkins.buildNumber(queueId);
        const status = await jenkins.status(PARAMS_JOB, number);
        assert.equal(status.number, number);
        assert.equal(status.queueId, queueId);
        assert.ok(!JSON.stringify(status).includes(PLANTED), "Jenkins never shows a password parameter");

        const go = await jenkins.buildNumber(await jenkins.build(GO_JOB));
        const build = await finished(jenkins, GO_JOB, go);
        assert.equal(build.result, "SUCCESS", label);
        assert.ok((await jenkins.console(GO_JOB, go)).includes("go build"), label);
        const blob = await jenkins.download(GO_JOB, go, "service");
        const viaRun = build.artifacts.find((a) => a.relativePath === "service");
        assert.ok(viaRun && blob.size > 0, label);
        await assert.rejects(jenkins.download(GO_JOB, go, "nothing.jar"), (e) => e instanceof KsDevOpsError && e.kind === "not_found");
        assert.ok((await jenkins.labels()).some((l) => l.label === "maven"), label);
      }
    });
  });
}

test("Jenkins refusals name the argument; admin needs jenkinsUrl and an administrator", async () => {
  await withSim("v4", async (sim) => {
    const client = await adminOf(sim);
    const jenkins = client.jenkins();
    for (const job of ["../x", `${PROJECT}/a%2Fb`, `${PROJECT}/a\u0007b`, `${PROJECT}//x`]) {
      await assert.rejects(jenkins.status(job, 1), (e) => e.kind === "invalid_input" && e.field === "job", job);
    }
    await assert.rejects(jenkins.status(GO_JOB, 1.5), (e) => e.field === "number");
    await assert.rejects(jenkins.status(GO_JOB, 0), (e) => e.field === "number");
    await assert.rejects(jenkins.download(GO_JOB, 1, "../../etc/passwd"), (e) => e.field === "artifact");
    await assert.rejects(jenkins.build(PARAMS_JOB, { PERSON: ["a"] }), (e) => e.kind === "invalid_input");

    const withoutUrl = await connect({ url: sim.url, project: PROJECT, username: USER, password: PASSWORD });
    await assert.rejects(withoutUrl.jenkinsAdmin(), (e) => e.kind === "invalid_input" && e.field === "jenkins_url");
    await assert.rejects(
      connect({ url: sim.url, project: PROJECT, username: USER, password: PASSWORD, jenkinsUrl: "ci.example.com" }),
      (e) => e.field === "jenkins_url",
    );
    const member = await connect({
      url: sim.url, project: PROJECT, username: "stone-ns-admin", password: PASSWORD, jenkinsUrl: `${sim.url}/jenkins`,
    });
    await assert.rejects(member.jenkinsAdmin(), (e) => e.kind === "forbidden");
  });
});

test("GitRepository resources: create, list, read, update, delete", async () => {
  await withSim("v4", async (sim) => {
    const client = await adminOf(sim);
    const created = await client.createGitRepository("app-js", {
      url: "https://github.com/acme/app.git", provider: "github", credential: "github-token",
    });
    assert.equal(created.metadata.annotations["kubesphere.io/creator"], USER);
    assert.ok((await client.gitRepositories()).some((r) => r.metadata.name === "app-js"));
    const read = await client.getGitRepository("app-js");
    read.spec.url = "git@gitlab.example.com:acme/app.git";
    const updated = await client.updateGitRepository(read);
    assert.equal(updated.spec.url, "git@gitlab.example.com:acme/app.git");
    assert.equal((await client.getGitRepository("app-js")).spec.secret.name, "github-token");
    await client.deleteGitRepository(updated);
    await assert.rejects(client.getGitRepository("app-js"), (e) => e.kind === "not_found");
    await assert.rejects(client.createGitRepository("bad", { url: "file:///etc/passwd" }), (e) => e.field === "url");
    await assert.rejects(client.createGitRepository("bad", {}), (e) => e.field === "url");
    await assert.rejects(client.getGitRepository("../x"), (e) => e.field === "git_repository");
  });
});
