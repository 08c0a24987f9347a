// Errors of the client: KsDevOpsError with kind, status and field; a bad option names
// itself; no token or password ever shows in an error, its message, stack or JSON.
import { test } from "node:test";
import assert from "node:assert/strict";
import { inspect } from "node:util";
import { connect, KsDevOpsError } from "ksdevops";
import { startSim, PROJECT, USER, PASSWORD } from "./sim.mjs";

const WRONG_PASSWORD = "Wr0ng-P@ssw0rd-9931";
const TOKEN = "eyJhbGciOiJIUzI1NiJ9.bm90LWEtcmVhbC10b2tlbg.c2VjcmV0LXNpZ25hdHVyZQ";

/** Everything a thrown object shows: message, stack, inspect and JSON of its fields. */
function shown(error) {
  return [String(error), error.stack, inspect(error), JSON.stringify({ ...error }), JSON.stringify(error)].join("\n");
}

async function rejection(promise) {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  assert.fail("expected a rejection");
}

test("wrong credentials are refused without the password or token in the error", async () => {
  const sim = await startSim();
  try {
    const wrong = await rejection(connect({ url: sim.url, project: PROJECT, username: USER, password: WRONG_PASSWORD }));
    assert.ok(wrong instanceof KsDevOpsError && wrong instanceof Error);
    assert.equal(wrong.name, "KsDevOpsError");
    assert.equal(wrong.kind, "unauthorized");
    assert.ok(!shown(wrong).includes(WRONG_PASSWORD), shown(wrong));

    const badToken = await rejection(connect({ url: sim.url, project: PROJECT, token: TOKEN }));
    assert.equal(badToken.kind, "unauthorized");
    assert.equal(badToken.status, 401);
    assert.ok(!shown(badToken).includes(TOKEN), shown(badToken));
    assert.ok(!shown(badToken).includes(TOKEN.slice(0, 20)));

    const client = await connect({ url: sim.url, project: PROJECT, username: USER, password: PASSWORD });
    const missing = await rejection(client.getRun("no-such-run"));
    assert.equal(missing.kind, "not_found");
    assert.equal(missing.status, 404);
    assert.equal(missing.field, null);
    assert.ok(!shown(missing).includes(PASSWORD));

    const secretValue = "s3cr3t-param-V@lue";
    const refused = await rejection(client.trigger("params-demo", { PASSWORD: secretValue, CHOICE: "Nine" }));
    assert.equal(refused.field, "parameters.CHOICE");
    assert.ok(!shown(refused).includes(secretValue), shown(refused));
    const credential = await rejection(client.createCredential({ name: "x", kind: "basic-auth", username: "u", password: 42 }));
    assert.equal(credential.field, "credential.password");
  } finally {
    await sim.stop();
  }
});

test("a bad option or argument names the field", async () => {
  const url = "http://127.0.0.1:9";
  const cases = [
    [{ url, project: PROJECT, tokn: "x" }, "tokn"],
    [{ url }, "project"],
    [{ url, project: PROJECT, layout: "v5" }, "layout"],
    [{ url, project: PROJECT, credentials: "same-origin" }, "credentials"],
    [{ url, project: PROJECT, token: "t", password: "p" }, "token"],
    [{ url, project: PROJECT, username: "u" }, "password"],
    [{ url: "ftp://example.com", project: PROJECT }, "url"],
    [{ url, project: "Not_A_Project" }, "devops"],
  ];
  for (const [options, field] of cases) {
    const error = await rejection(connect(options));
    assert.ok(error instanceof KsDevOpsError, `${field}: ${error}`);
    assert.equal(error.kind, "invalid_input", `${field}: ${error.message}`);
    assert.equal(error.field, field, error.message);
  }
  const transport = await rejection(connect({ url, project: PROJECT, token: TOKEN, layout: "v4" }).then((c) => c.pipelines()));
  assert.equal(transport.kind, "transport");
  assert.ok(!shown(transport).includes(TOKEN));
});

test("method arguments are checked before anything is sent", async () => {
  const sim = await startSim();
  try {
    const client = await connect({ url: sim.url, project: PROJECT, token: "x", layout: "v4" });
    const cases = [
      [client.wait("r", { until: "later" }), "until"],
      [client.wait("r", { timeoutMs: -1 }), "timeoutMs"],
      [client.wait("r", { timout: 5 }), "timout"],
      [client.getRun(42), "run"],
      [client.trigger("params-demo", "PERSON=ada"), "values"],
      [client.download("r", 7), "artifact"],
      [client.getRun("Bad_Name"), "run"],
    ];
    for (const [promise, field] of cases) {
      const error = await rejection(promise);
      assert.equal(error.kind, "invalid_input", `${field}: ${error.message}`);
      assert.equal(error.field, field, error.message);
    }
    assert.throws(() => client.followLog({}), (e) => e.field === "run");
  } finally {
    await sim.stop();
  }
});
