// Under the simulator's fault injection (errors, 429s, dropped connections and cut bodies on
// well over 20% of requests), the package still gives exactly what the server holds: N
// triggers make N runs, followed logs are byte-exact, downloads are whole.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { connect } from "ksdevops";
import { startSim, joined, PROJECT, USER, PASSWORD } from "./sim.mjs";

const FAULTS = {
  error_rate: 0.25,
  error_statuses: [429, 502, 503, 504],
  retry_after_secs: 0,
  drop_rate: 0.1,
  truncate_rate: 0.05,
  max_in_a_row: 3,
  seed: 7,
};

test("the seed workflow under faults: N triggers make N runs, logs byte-exact", async () => {
  const sim = await startSim({ speed: 10 });
  try {
    const client = await connect({ url: sim.url, project: PROJECT, username: USER, password: PASSWORD });
    await sim.setFaults(FAULTS);
    const people = ["ann", "bob", "cy"];
    const runs = [];
    for (const person of people) runs.push(await client.trigger("params-demo", { PERSON: person }));
    const followed = runs.map((run) => joined(client.followLog(run)));
    for (const run of runs) await client.wait(run, { until: "paused" });
    // Approving is sent once by design (never resent): it goes through a clean network.
    await sim.clearFaults();
    for (const run of runs) await client.approve(run, { TARGET: "staging" });
    await sim.setFaults({ ...FAULTS, seed: 8 });
    const logs = await Promise.all(followed);
    const blobs = [];
    for (const run of runs) {
      assert.equal((await client.wait(run)).status.phase, "Succeeded");
      blobs.push(new Uint8Array(await (await client.download(run, "dist/report.txt")).arrayBuffer()));
    }
    const { injected } = await sim.faults();
    assert.ok(injected.errors > 0 && injected.drops > 0, `faults were injected: ${JSON.stringify(injected)}`);
    await sim.clearFaults();

    const listed = await client.runs("params-demo");
    const mine = listed.filter((r) => r.spec.parameters.some((p) => p.name === "PERSON" && people.includes(p.value)));
    assert.equal(mine.length, people.length, "one run per trigger, never a second");
    for (const [i, run] of runs.entries()) {
      assert.equal(logs[i], await client.log(run), `${run.metadata.name}: the followed log is the server's, byte for byte`);
      assert.match(logs[i], new RegExp(`Hello ${people[i]}\\n`));
      const clean = new Uint8Array(await (await client.download(run, "dist/report.txt")).arrayBuffer());
      assert.deepEqual(blobs[i], clean, "the download under faults is the whole artifact");
    }
  } finally {
    await sim.stop();
  }
});

/** A proxy to `target` that ends every watch request at once, as some proxies do. */
async function watchCuttingProxy(target) {
  const server = createServer(async (req, res) => {
    if (req.method === "OPTIONS" || /[?&]watch=(true|1)/.test(req.url)) {
      res.writeHead(200, { "content-type": "application/json", "access-control-allow-origin": "*" });
      res.end();
      return;
    }
    const chunks = [];
    for await (const chunk of req) chunks.push(chunk);
    const headers = { ...req.headers };
    delete headers.host;
    const answer = await fetch(target + req.url, {
      method: req.method,
      headers,
      body: chunks.length ? Buffer.concat(chunks) : undefined,
    });
    const out = {};
    answer.headers.forEach((value, name) => {
      if (!["content-length", "content-encoding", "transfer-encoding", "connection"].includes(name)) out[name] = value;
    });
    res.writeHead(answer.status, out);
    res.end(Buffer.from(await answer.arrayBuffer()));
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((r) => server.close(r)) };
}

test("a wait counts real time: watches that end at once do not use up its time", async () => {
  // At real speed a run of go-demo-pipeline takes seconds; each watch the proxy cuts used to
  // count as a full 30 s segment, so a one-minute wait gave up after the second one.
  const sim = await startSim({ speed: 2 });
  const proxy = await watchCuttingProxy(sim.url);
  try {
    const client = await connect({ url: proxy.url, project: PROJECT, username: USER, password: PASSWORD });
    const run = await client.trigger("go-demo-pipeline");
    const finished = await client.wait(run, { until: "finished", timeoutMs: 60_000 });
    assert.equal(finished.status.phase, "Succeeded");
    const quick = await client.trigger("params-demo");
    await assert.rejects(client.wait(quick, { until: "finished", timeoutMs: 1_500 }), (e) => e.kind === "timeout");
  } finally {
    await proxy.close();
    await sim.stop();
  }
});

test("a refused watch is reported on the client, and the wait polls instead", async () => {
  const sim = await startSim({ speed: 10 });
  try {
    const client = await connect({ url: sim.url, project: PROJECT, username: USER, password: PASSWORD });
    assert.equal(client.watchRefusal, undefined, "not tried yet");
    await sim.setFaults({ error_rate: 1.0, error_statuses: [403], path_contains: "watch=true", seed: 5 });
    const ended = await client.wait(await client.trigger("go-demo-pipeline"));
    assert.equal(ended.status.phase, "Succeeded");
    assert.match(client.watchRefusal ?? "", /403/);
  } finally {
    await sim.stop();
  }
});
