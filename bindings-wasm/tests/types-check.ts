// Compiled by `tsc --noEmit` in `cargo xtask test`: the generated .d.ts must type these
// uses, and reject the commented-out misuse below.
import {
  buildRequest, decodeResponse, connect, ready, KsDevOpsError, Request,
  type RequestJson, type Layout, type Client, type PipelineRun, type PendingInput, type Diagnosis,
  type NodeDetail, type Artifact, type ParameterDefinition, type Pipeline, type RunEvent,
  type Branch, type DevOpsProject, Jenkins, type JenkinsJob, type JenkinsBuild, type AgentLabel,
  type GitRepository,
} from "ksdevops";

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
const decoded: Pipeline[] = decodeResponse("list_pipelines", 200, { "content-type": "application/json" }, "{}").items;
const labels: string[] = decodeResponse("list_agent_labels", 200, {}, "[]");
void labels;
const logChunk: string = decodeResponse("get_run_log", 200, new Headers(), new Uint8Array()).text;
// @ts-expect-error: an operation the package does not know
decodeResponse("launch_rockets", 200, {}, "");
void logChunk;
function kindOf(e: unknown): string | null {
  if (e instanceof KsDevOpsError) return e.field ?? e.kind;
  return null;
}

// The client: typed options, results and streams.
async function workflow(): Promise<string> {
  await ready();
  const client: Client = await connect({ url: "http://127.0.0.1:9090", project: "demo-project", username: "admin", password: "pw" });
  const pipelines: Pipeline[] = await client.pipelines();
  const definitions: ParameterDefinition[] = await client.parameters("params-demo", { branch: undefined });
  const run: PipelineRun = await client.trigger("params-demo", { PERSON: "ada", TOGGLE: true }, { runName: "r1" });
  const paused: PipelineRun = await client.wait(run, { until: "paused", timeoutMs: 1000 });
  const inputs: PendingInput[] = await client.pendingInputs(paused);
  await client.approve(run, new Map([["TARGET", "production"]]), { input: inputs[0]?.input.id });
  let log = "";
  for await (const text of client.followLog(run)) log += text;
  const stages: NodeDetail[] = await client.nodes(run.metadata.name ?? "");
  const artifacts: Artifact[] = await client.artifacts(run);
  const blob: Blob = await client.download(run, artifacts[0] ?? "dist/report.txt");
  const stream = await client.downloadStream(run, "dist/report.txt");
  for await (const chunk of stream) { const bytes: Uint8Array = chunk; void bytes; }
  const size: number | undefined = stream.size;
  for await (const event of client.watchRuns({ pipeline: "params-demo" })) { onEvent(event); break; }
  const diagnosis: Diagnosis = await client.diagnose(run);
  const cause: string | undefined = diagnosis.cause?.kind;
  void [pipelines, definitions, stages, blob, size, cause];
  return log + (await client.log(run)) + diagnosis.hint;
}
async function resources(client: Client): Promise<number> {
  const branches: Branch[] = await client.branches("multi-branch-demo", { filter: "origin" });
  const projects: DevOpsProject[] = await client.projects("demo");
  const project: DevOpsProject = await client.updateProject("demo", await client.getProject("demo", "team"));
  await client.deleteRun("run-1", { keepJenkinsRecord: true });
  const labels: string[] = await client.listAgentLabels();
  const tagged: PipelineRun = await client.trigger("multi-branch-demo", {}, { tag: "v1.0" });
  void [project, tagged];
  return branches.length + projects.length + labels.length;
}
async function direct(client: Client): Promise<string> {
  const admin: Jenkins = await client.jenkinsAdmin();
  const proxy: Jenkins = client.jenkins();
  const jobs: JenkinsJob[] = await proxy.jobs("demo-project");
  const queueId: number = await admin.build("demo-project/params-demo", { PERSON: "ada" }, { secretNames: ["PASSWORD"] });
  const build: JenkinsBuild = await admin.status("demo-project/params-demo", await admin.buildNumber(queueId));
  const file: Blob = await admin.download("demo-project/go", build.number, "service");
  const labels: AgentLabel[] = await admin.labels();
  const repository: GitRepository = await client.createGitRepository("app", { url: "https://g/a.git", credential: "c" });
  const updated: GitRepository = await client.updateGitRepository(await client.getGitRepository(repository));
  const all: GitRepository[] = await client.gitRepositories();
  await client.deleteGitRepository("app");
  void [jobs, file, labels, updated, all, admin.isAdmin];
  return (await proxy.console("demo-project/go", 1)) + (updated.spec.url ?? "");
}
// @ts-expect-error: a GitRepository needs its URL
async function noUrl(client: Client) { await client.createGitRepository("app", { provider: "git" }); }
// @ts-expect-error: the filter is "origin" or "pull-requests"
async function badFilter(client: Client) { await client.branches("p", { filter: "forks" }); }
function onEvent(event: RunEvent): string { return `${event.change} ${event.run.metadata.name}`; }
// @ts-expect-error: until is "paused" or "finished"
async function badWait(client: Client) { await client.wait("r", { until: "later" }); }
// @ts-expect-error: a project is needed
connect({ url: "http://127.0.0.1:9090" });
// @ts-expect-error: layouts are "v4" or "v3"
buildRequest("list_pipelines", {}, "v5");
// @ts-expect-error: parameters are {name, value} objects
buildRequest("create_pipeline_run", { parameters: ["A=1"] });
// @ts-expect-error: secret is true or false
buildRequest("create_pipeline_run", { parameters: [{ name: "A", value: "1", secret: "yes" }] });
export { method, query, headers, url, curl, curlWithToken, v4, noArgs, secret, json, bodyText, decoded, kindOf, workflow, resources, direct, noUrl, badFilter, onEvent, badWait };

import { parseJenkinsfile, checkParameters, parameterKind, type JenkinsfileReport, type ParameterValue, type ParameterKind } from "ksdevops";
const widget: ParameterKind = parameterKind("ChoiceParameterDefinition");
void widget;
const report: JenkinsfileReport = parseJenkinsfile("pipeline {}");
const payload: ParameterValue[] = checkParameters(report.parameters, { A: "1" }, true);
const firstLine: number | undefined = report.diagnostics[0]?.line;
export { payload, firstLine };

import { runState, nodeState, type OverallState, type StateOf } from "ksdevops";
function stateWords(run: PipelineRun, stage: NodeDetail): [OverallState, string, boolean] {
  const shown: StateOf = runState(run);
  return [shown.state, nodeState(stage).word, shown.finished];
}
// @ts-expect-error: not a state the core has
const notAState: OverallState = "SUCCESS";
export { stateWords, notAState };
