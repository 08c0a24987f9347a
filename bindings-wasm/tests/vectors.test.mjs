// Runs every vector file of tests/vectors/ through the wasm build (format:
// tests/vectors/README.md). The Rust tests and pytest run the same files.
import { test } from "node:test";
import assert from "node:assert/strict";
import { ksdevops, vectors } from "./load.mjs";

const requestVectors = vectors("requests");
const CURL_BASE = "https://ks.example.com"; // the base of expect.curl renderings
const responseVectors = vectors("responses");

test("the vector folders are not empty", () => {
  assert.ok(requestVectors.length > 0, "tests/vectors/requests/ has no *.json vector");
  assert.ok(responseVectors.length > 0, "tests/vectors/responses/ has no *.json vector");
});

function checkError(fn, expected) {
  assert.throws(fn, (error) => {
    assert.ok(error instanceof Error, "throws a JS Error");
    assert.equal(error.name, "KsDevOpsError");
    assert.equal(error.kind, expected.kind, error.message);
    if ("field" in expected) assert.equal(error.field, expected.field, error.message);
    if ("status" in expected) assert.equal(error.status, expected.status, error.message);
    if ("message_contains" in expected) assert.ok(error.message.includes(expected.message_contains), error.message);
    return true;
  });
}

for (const [name, vector] of requestVectors) {
  test(`request ${name}`, () => {
    const { expect } = vector;
    const build = () => ksdevops.buildRequest(vector.operation, vector.args ?? {}, vector.layout ?? "v4");
    if (expect.error) return checkError(build, expect.error);
    const request = build();
    assert.equal(request.method, expect.method);
    assert.equal(request.base ?? null, expect.base ?? null);
    assert.equal(request.path, expect.path);
    assert.deepEqual(request.query, expect.query ?? []);
    if ("headers" in expect) assert.deepEqual(request.headers, expect.headers);
    if ("body" in expect) assert.deepEqual(request.body, expect.body);
    if ("curl" in expect) assert.equal(request.toCurl(CURL_BASE), expect.curl);
  });
}

for (const [name, vector] of responseVectors) {
  test(`response ${name}`, () => {
    const { expect } = vector;
    const decode = () => ksdevops.decodeResponse(vector.operation, vector.status, vector.headers ?? {}, vector.body ?? "");
    if (expect.error) return checkError(decode, expect.error);
    assert.deepEqual(decode(), expect.value);
  });
}
