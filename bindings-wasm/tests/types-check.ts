// Compiled by `tsc --noEmit` in `cargo xtask test`: the generated .d.ts must type these
// uses, and reject the commented-out misuse below.
import { buildRequest, decodeResponse, Request, type RequestJson, type KsDevOpsError, type Layout } from "../pkg/node/ksdevops_wasm.js";

const layout: Layout = "v3";
const request: Request = buildRequest("create_pipeline_run", { devops: "d", pipeline: "p", parameters: [{ name: "A", value: "1" }] }, layout);
const method: "GET" | "POST" | "PUT" | "DELETE" = request.method;
const query: [string, string][] = request.query;
const headers: Record<string, string> = request.headers;
const url: string = request.url("https://ks.example.com");
const curl: string = request.toCurl("https://ks.example.com");
const curlWithToken: string = request.toCurl("https://ks.example.com", "token");
const v4: Request = buildRequest("list_pipelines", { devops: "d" });
const noArgs: Request = buildRequest("list_agent_labels");
const secret: Request = buildRequest("submit_input", { parameters: [{ name: "P", value: "x", secret: true }] });
const json: RequestJson = request.toJSON();
const bodyText: string | undefined = request.bodyText;
const decoded: unknown = decodeResponse("list_pipelines", 200, { "content-type": "application/json" }, "{}");
function kindOf(e: unknown): string | null {
  const error = e as KsDevOpsError;
  return error.field ?? error.kind;
}
// @ts-expect-error: layouts are "v4" or "v3"
buildRequest("list_pipelines", {}, "v5");
// @ts-expect-error: parameters are {name, value} objects
buildRequest("create_pipeline_run", { parameters: ["A=1"] });
// @ts-expect-error: secret is true or false
buildRequest("create_pipeline_run", { parameters: [{ name: "A", value: "1", secret: "yes" }] });
export { method, query, headers, url, curl, curlWithToken, v4, noArgs, secret, json, bodyText, decoded, kindOf };

import { parseJenkinsfile, checkParameters, type JenkinsfileReport, type ParameterValue } from "../pkg/node/ksdevops_wasm.js";
const report: JenkinsfileReport = parseJenkinsfile("pipeline {}");
const payload: ParameterValue[] = checkParameters(report.parameters, { A: "1" }, true);
const firstLine: number | undefined = report.diagnostics[0]?.line;
export { payload, firstLine };
