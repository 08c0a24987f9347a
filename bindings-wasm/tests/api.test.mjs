// The JavaScript face of the sans-I/O API: plain values out, Errors with kind and field.
import { test } from "node:test";
import assert from "node:assert/strict";
import { ksdevops } from "./load.mjs";

const PASSWORD = "s3cr3t-P@ss";

test("buildRequest returns plain JS values and defaults to the v4 layout", () => {
  const request = ksdevops.buildRequest("list_pipelines", { devops: "demo-devops" });
  assert.equal(request.method, "GET");
  assert.match(request.path, /\/namespaces\/demo-devops\/pipelines$/);
  assert.ok(Array.isArray(request.query));
  assert.equal(Object.getPrototypeOf(request.headers), Object.prototype);
  assert.equal(request.body, null);
  assert.equal(request.bodyText, undefined);
  const v3 = ksdevops.buildRequest("list_pipelines", { devops: "demo-devops" }, "v3");
  assert.match(v3.path, /\/devops\/demo-devops\//);
});

test("url and toJSON give what fetch and JSON.stringify need", () => {
  const request = ksdevops.buildRequest("list_pipelines", { devops: "demo-devops" });
  const url = new URL(request.url("https://ks.example.com"));
  assert.equal(url.origin, "https://ks.example.com");
  assert.equal(url.pathname, request.path);
  const json = JSON.parse(JSON.stringify(request));
  assert.deepEqual(Object.keys(json).sort(), ["body", "headers", "method", "path", "query"]);
  assert.equal(json.path, request.path);
});

test("JSON.stringify of a request masks secrets; body and bodyText keep them for sending", () => {
  const login = ksdevops.buildRequest("login", { username: "admin", password: PASSWORD });
  const logged = JSON.stringify(login);
  assert.ok(!logged.includes(PASSWORD), logged);
  assert.deepEqual(JSON.parse(logged).body.find(([k]) => k === "password"), ["password", "***"]);
  assert.match(login.bodyText, new RegExp(`password=${encodeURIComponent(PASSWORD)}`));
  const run = ksdevops.buildRequest("create_pipeline_run", {
    devops: "demo", pipeline: "app", parameters: [{ name: "KEY", value: PASSWORD, secret: true }],
  });
  assert.deepEqual(JSON.parse(JSON.stringify(run)).body, { parameters: [{ name: "KEY", value: "***" }] });
  assert.deepEqual(run.body, { parameters: [{ name: "KEY", value: PASSWORD }] });
});

test("a form body comes as pairs and as urlencoded text; curl masks every secret", () => {
  const request = ksdevops.buildRequest("login", { username: "admin", password: PASSWORD });
  assert.equal(request.method, "POST");
  assert.equal(request.path, "/oauth/token");
  assert.deepEqual(request.body.find(([k]) => k === "grant_type"), ["grant_type", "password"]);
  assert.match(request.bodyText, /grant_type=password/);
  const curl = request.toCurl("https://ks.example.com", "tok-123456");
  assert.match(curl, /^curl/);
  assert.ok(!curl.includes(PASSWORD));
  assert.ok(!curl.includes("tok-123456"));
  assert.ok(curl.includes("***"));
});

test("bad arguments throw an Error with kind invalid_input and the field", () => {
  assert.throws(
    () => ksdevops.buildRequest("list_pipelines", { devops: "Not_A_DNS_Label" }),
    (e) => e instanceof Error && e.kind === "invalid_input" && e.field === "devops" && e.status === null && e.message.includes("Not_A_DNS_Label"),
  );
  assert.throws(() => ksdevops.buildRequest("launch_rockets", {}), (e) => e.field === "operation");
  assert.throws(() => ksdevops.buildRequest("list_pipelines", { devops: "d" }, "v5"), (e) => e.field === "layout");
});

test("decodeResponse takes string or bytes bodies and any header shape", () => {
  const body = JSON.stringify({ items: [], totalItems: 0 });
  const headerShapes = [{ "Content-Type": "application/json" }, [["Content-Type", "application/json"]], new Map([["Content-Type", "application/json"]]), undefined];
  for (const headers of headerShapes) {
    for (const raw of [body, new TextEncoder().encode(body)]) {
      const value = ksdevops.decodeResponse("list_pipelines", 200, headers, raw);
      assert.equal(value.totalItems, 0);
    }
  }
});

test("decodeResponse gives the values of the core's models", () => {
  const empty = ksdevops.decodeResponse("list_pipelines", 200, {}, '{"items":null,"totalItems":0}');
  assert.deepEqual(empty, { items: [], totalItems: 0 });
  const nodes = JSON.stringify([{ id: "6", steps: [{ id: "12", state: "PAUSED", aprovable: true }] }]);
  const [stage] = ksdevops.decodeResponse("get_run_nodes_detail", 200, {}, nodes);
  assert.deepEqual(stage.steps, [{ id: "12", state: "PAUSED", approvable: true }]);
  const labels = '{"status":"success","data":["base","maven"],"message":""}';
  assert.deepEqual(ksdevops.decodeResponse("list_agent_labels", 200, {}, labels), ["base", "maven"]);
  assert.throws(() => ksdevops.decodeResponse("get_pipeline_run", 200, {}, "[1]"), (e) => e.kind === "decode");
});

test("decodeResponse throws the server's error with its status", () => {
  assert.throws(
    () => ksdevops.decodeResponse("get_pipeline", 404, { "Content-Type": "text/plain" }, "pipeline app not found"),
    (e) => e.kind === "not_found" && e.status === 404,
  );
  assert.throws(() => ksdevops.decodeResponse("list_pipelines", 200, {}, 42), (e) => e.kind === "invalid_input" && e.field === "body");
});
