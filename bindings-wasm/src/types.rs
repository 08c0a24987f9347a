//! TypeScript declarations for the values that cross the boundary as plain objects: the
//! server's objects as the core's models normalise them, the client's options and results.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &'static str = r#"
/** Which generation of the KubeSphere API the server speaks: 4.x ("v4") or 3.x ("v3"). */
export type Layout = "v4" | "v3";

export type HttpMethod = "GET" | "POST" | "PUT" | "DELETE";

/**
 * One `{name, value}` parameter of a run or an input submit. `secret: true` marks a password
 * parameter: its value is sent as given but shown as `***` by `toCurl`.
 */
export interface ParameterValue { name: string; value: string | number | boolean; secret?: boolean; }

/** Operation arguments, named as in tests/vectors/README.md. Each operation reads the ones it needs. */
export interface RequestArgs {
  devops?: string;
  pipeline?: string | Record<string, unknown>;
  run?: string;
  run_id?: string | number;
  branch?: string;
  /** A tag of a multi-branch pipeline (`create_pipeline_run_resource`). */
  tag?: string;
  node?: string;
  step?: string;
  input_id?: string;
  parameters?: ParameterValue[];
  cluster?: string;
  page?: number;
  limit?: number;
  start?: number;
  filter?: string;
  filename?: string;
  jenkinsfile?: string;
  mode?: "raw" | "json";
  credential?: string | Record<string, unknown>;
  workspace?: string;
  abort?: boolean;
  creator?: string;
  token?: string;
  resource_version?: string;
  keep_jenkins_record?: boolean;
  username?: string;
  password?: string;
  client_id?: string;
  client_secret?: string;
  refresh_token?: string;
  /** A DevOps project object (`update_devops_project`). */
  project?: Record<string, unknown>;
  /** `service_proxy`: the Service, its port (number or name), a plain-text path and the method. */
  namespace?: string;
  service?: string;
  port?: string;
  path?: string;
  method?: HttpMethod;
  [other: string]: unknown;
}

/** A parameter as Jenkins' REST API shows it. */
/** A value Jenkins only knows once the build runs; `source` is the Groovy it evaluates. It
 * stands in the place of the value: a parameter's name, description, choices or default. */
export interface Unresolved { unresolved: true; source: string; }

export interface ParameterDefinition {
  name: string | Unresolved;
  /** The Jenkins class name (`StringParameterDefinition`, ...) or KubeSphere's simplified type. */
  type: string;
  description?: string | Unresolved;
  /** `value` is absent for passwords. */
  defaultParameterValue?: { name?: string | Unresolved; value?: unknown };
  choices?: string[] | Unresolved;
  [other: string]: unknown;
}

/** A message about the Jenkinsfile at a 1-based line and column. */
export interface Diagnostic { line: number; column: number; severity: "error" | "warning" | "info"; message: string; }

/** The parameters an `input` asks for when a run reaches it. */
export interface InputParameters {
  stagePath: string[];
  id?: string;
  source: "directive" | "step";
  line: number;
  parameters: ParameterDefinition[];
}

/** What `parseJenkinsfile` returns. `accepted`: whether Jenkins would accept the file. */
export interface JenkinsfileReport {
  parameters: ParameterDefinition[];
  inputParameters: InputParameters[];
  diagnostics: Diagnostic[];
  accepted: boolean;
}

/** What `Request.toJSON()` returns: the body with every secret shown as `***`. */
export interface RequestJson {
  method: HttpMethod;
  /** The base URL of another server than KubeSphere's (Jenkins' own URL), when it has one. */
  base?: string;
  path: string;
  query: [string, string][];
  headers: Record<string, string>;
  body: unknown;
}

/** Response headers: a plain object, a `Headers` instance or [name, value] pairs. */
export type ResponseHeaders = Record<string, string> | Headers | Iterable<[string, string]> | null | undefined;

/** The kinds of `KsDevOpsError`. */
export type ErrorKind =
  | "invalid_input" | "not_found" | "conflict" | "unauthorized" | "forbidden"
  | "refused" | "server" | "transport" | "decode" | "timeout";

/** Every function throws this shape: a JS Error named "KsDevOpsError". */
export interface KsDevOpsError extends Error {
  name: "KsDevOpsError";
  kind: ErrorKind;
  /** The argument at fault, when the error is about an argument. */
  field: string | null;
  /** The HTTP status the server answered with, when it answered. */
  status: number | null;
}
/** Kubernetes object metadata. */
export interface ObjectMeta {
  name?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  [other: string]: unknown;
}

/** A pipeline (regular or multi-branch), as `devops.kubesphere.io/v1alpha3` has it. */
export interface Pipeline {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  spec: {
    type: "pipeline" | "multi-branch-pipeline" | string;
    pipeline?: { name: string; description?: string; jenkinsfile?: string; [other: string]: unknown };
    multi_branch_pipeline?: { name: string; source_type?: string; script_path?: string; [other: string]: unknown };
    [other: string]: unknown;
  };
  status?: Record<string, unknown>;
  [other: string]: unknown;
}

/** The phase of a PipelineRun. */
export type RunPhase = "Pending" | "Running" | "Succeeded" | "Failed" | "Cancelled" | "Unknown";

/** A run: a PipelineRun object. Its Jenkins state is in its annotations. */
export interface PipelineRun {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  spec: {
    pipelineRef: { name?: string; [other: string]: unknown };
    parameters?: { name: string; value: string }[];
    scm?: { refType: string; refName: string };
    action?: string;
    [other: string]: unknown;
  };
  status?: {
    startTime?: string;
    completionTime?: string;
    updateTime?: string;
    phase?: RunPhase;
    conditions?: { type: string; status: string; reason?: string; message?: string }[];
    [other: string]: unknown;
  };
  [other: string]: unknown;
}

/** A run given by its name or as the object. */
export type RunRef = string | PipelineRun;

/** Jenkins' state and result words. */
export type RunState = "QUEUED" | "RUNNING" | "PAUSED" | "SKIPPED" | "NOT_BUILT" | "FINISHED" | "UNKNOWN" | (string & {});
export type RunResult = "SUCCESS" | "UNSTABLE" | "FAILURE" | "NOT_BUILT" | "ABORTED" | "UNKNOWN" | (string & {});

/** The state of a run, stage or step, in one word (`runState`, `nodeState`). */
export type OverallState =
  | "queued" | "running" | "waiting_for_input" | "succeeded" | "failed" | "unstable" | "aborted"
  | "not_built" | "skipped" | "finished" | "not_started" | "unknown";
/** What `runState` and `nodeState` give: the state, its words for people ("waiting for input"),
 *  and whether nothing more will happen. */
export interface StateOf { state: OverallState; word: string; finished: boolean; }

/** An `input` step's question. */
export interface Input {
  id?: string;
  message?: string;
  ok?: string;
  parameters?: ParameterDefinition[];
  submitter?: string;
  [other: string]: unknown;
}

/** A step of a stage. */
export interface Step {
  id?: string;
  displayName?: string;
  displayDescription?: string;
  type?: string;
  state?: RunState;
  result?: RunResult;
  startTime?: string;
  durationInMillis?: number;
  input?: Input;
  approvable?: boolean;
  [other: string]: unknown;
}

/** A stage (or parallel branch) of a run, with its steps. */
export interface NodeDetail {
  id?: string;
  displayName?: string;
  displayDescription?: string;
  type?: string;
  state?: RunState;
  result?: RunResult;
  startTime?: string;
  durationInMillis?: number;
  causeOfBlockage?: string;
  edges?: { id?: string; type?: string }[];
  firstParent?: string;
  steps?: Step[];
  [other: string]: unknown;
}

/** A step waiting for an answer. */
export interface PendingInput {
  /** The stage (node) id. */
  node: string;
  stage?: string;
  step: string;
  input: Input;
  /** Whether the server says the caller may answer (not reliable on 4.x). */
  approvable?: boolean;
}

/** An archived file of a run. */
export interface Artifact {
  id?: string;
  name?: string;
  path?: string;
  size?: number;
  url?: string;
  downloadable?: boolean;
  [other: string]: unknown;
}

/** A Jenkins run (what stop and replay give). */
export interface JenkinsRun {
  id?: string;
  name?: string;
  pipeline?: string;
  state?: RunState;
  result?: RunResult;
  startTime?: string;
  endTime?: string;
  durationInMillis?: number;
  [other: string]: unknown;
}

/** A known cause of a failed or stuck run. */
export type Cause =
  | { kind: "agent_label_not_found"; label?: string; available: string[] }
  | { kind: "tool_not_found"; tool?: string }
  | { kind: "artifact_in_another_stage"; pattern?: string }
  | { kind: "permission_denied" }
  | { kind: "pipeline_not_synced"; message?: string }
  | { kind: "queued_no_executor"; blockage?: string };

/** Why a run failed or is stuck. */
export interface Diagnosis {
  run: string;
  phase?: RunPhase;
  state?: RunState;
  result?: RunResult;
  stage?: string;
  step?: string;
  log_tail: string;
  cause?: Cause;
  hint: string;
}

/** A repository scan's outcome (`log` and `finished` only when waited for). */
export interface Scan { log: string; finished: boolean; succeeded: boolean; }

/** A stored credential: a Kubernetes Secret whose secret values the server blanks. */
export interface CredentialSecret {
  metadata: ObjectMeta;
  type: string;
  data?: Record<string, string>;
  [other: string]: unknown;
}

/** A credential to create. */
export type CredentialInput = { name: string; description?: string } & (
  | { kind: "basic-auth"; username: string; password: string }
  | { kind: "ssh-auth"; username: string; private_key: string; passphrase?: string }
  | { kind: "secret-text"; secret: string }
  | { kind: "kubeconfig"; content: string }
);

/** A change of a run, from `watchRuns`. */
export interface RunEvent { change: "added" | "modified" | "deleted"; run: PipelineRun; }

/** What `connect` takes. */
export interface ConnectOptions {
  /** The KubeSphere API server, e.g. "https://ks.example.com"; in a page, its origin by default. */
  url?: string;
  /** The DevOps project to work in. */
  project: string;
  /** A bearer access token; or `username` and `password` (OAuth password grant, renewed on 401). */
  token?: string;
  username?: string;
  password?: string;
  /** A member cluster, when not the host cluster. */
  cluster?: string;
  /** The API generation; detected when "auto" (the default). */
  layout?: "auto" | Layout;
  /** "include" sends the browser's cookies (a view embedded in the console, no token). */
  credentials?: "omit" | "include";
  /** Jenkins' own URL (http(s)://host[:port][/prefix]), for `jenkinsAdmin()`. */
  jenkinsUrl?: string;
}

/** A Jenkins job or folder. */
export interface JenkinsJob { name: string; url?: string; color?: string; _class?: string; [other: string]: unknown; }
/** A Jenkins build as `api/json` gives it (a password parameter's value never shows). */
export interface JenkinsBuild {
  number: number; building: boolean; result?: string | null; duration: number; timestamp: number; url?: string; queueId?: number;
  artifacts: { fileName: string; relativePath: string; [other: string]: unknown }[];
  actions?: unknown[]; [other: string]: unknown;
}
/** An agent label of the dashboard. */
export interface AgentLabel { label: string; [other: string]: unknown; }
export interface JenkinsBuildOptions { secretNames?: string[]; }
/** A GitRepository resource: the repository URL, its provider and the credential that reads it. */
export interface GitRepository {
  apiVersion?: string; kind?: string; metadata: ObjectMeta;
  spec: { provider?: string; url?: string; secret?: { name: string; namespace?: string }; [other: string]: unknown };
  status?: Record<string, unknown>; [other: string]: unknown;
}
export interface GitRepositoryOptions { url: string; provider?: string; credential?: string; }

/** Parameter values by name. */
export type ParameterValues = Record<string, string | number | boolean> | Map<string, string | number | boolean>;

export interface BranchOptions { branch?: string; }
export interface TriggerOptions { branch?: string; tag?: string; runName?: string; }
/** What a parameter type is, for a form: `parameterKind(definition.type)`. */
export type ParameterKind = "string" | "text" | "boolean" | "choice" | "password" | "file" | "other";
export interface BranchListOptions { filter?: "origin" | "pull-requests"; }
export interface DeleteRunOptions { keepJenkinsRecord?: boolean; }
export interface WaitOptions { until?: "paused" | "finished"; timeoutMs?: number; }
export interface InputOptions { input?: string; }
export interface SyncOptions { waitSynced?: boolean; timeoutMs?: number; }
export interface WaitSyncedOptions { syncedBefore?: string; timeoutMs?: number; }
export interface ScanOptions { wait?: boolean; timeoutMs?: number; }
export interface WatchOptions { pipeline?: string; }

export interface LogStream extends AsyncIterableIterator<string, undefined> {}
export interface ArtifactStream extends AsyncIterableIterator<Uint8Array, undefined> {}
export interface RunEventStream extends AsyncIterableIterator<RunEvent, undefined> {}
/** A list answer of the KubeSphere API (`"items": null` reads as `[]`). */
export interface ListOf<T> { items: T[]; totalItems: number; [other: string]: unknown; }

/** A DevOps project (a namespace-backed object). */
export interface DevOpsProject { apiVersion?: string; kind?: string; metadata: ObjectMeta; spec?: Record<string, unknown>; status?: Record<string, unknown>; [other: string]: unknown; }

/** A branch (or pull request) of a multi-branch pipeline, as Jenkins lists it. */
export interface Branch { name?: string; displayName?: string; latestRun?: JenkinsRun; parameters?: ParameterDefinition[]; [other: string]: unknown; }

/** One answer of a progressive log. */
export interface LogChunk { text: string; text_size: number | null; more_data: boolean; }

/** An OAuth token answer. */
export interface TokenAnswer { access_token: string; token_type?: string; refresh_token?: string; id_token?: string; expires_in?: number; }

/** What `decodeResponse` gives for each operation: the values of the core's models, the same
 * ones the client works with. */
export interface DecodedResponses {
  list_pipelines: ListOf<Pipeline>;
  get_pipeline: Pipeline;
  create_pipeline: Pipeline;
  update_pipeline: Pipeline;
  update_jenkinsfile: unknown;
  delete_pipeline: unknown;
  list_credentials: ListOf<CredentialSecret>;
  get_credential: CredentialSecret;
  create_credential: CredentialSecret;
  update_credential: CredentialSecret;
  delete_credential: unknown;
  list_devops_projects: ListOf<DevOpsProject>;
  get_devops_project: DevOpsProject;
  create_devops_project: DevOpsProject;
  update_devops_project: DevOpsProject;
  delete_devops_project: unknown;
  list_branches: ListOf<Branch>;
  get_branch: Branch;
  list_pipeline_runs: ListOf<PipelineRun>;
  create_pipeline_run: JenkinsRun;
  get_pipeline_run: PipelineRun;
  get_node_details: NodeDetail[];
  download_artifact: { filename: string | null; size: number; content_base64: string };
  delete_pipeline_run: unknown;
  create_pipeline_run_resource: PipelineRun;
  get_pipeline_run_resource: PipelineRun;
  watch_pipeline_runs: ({ type: "ADDED" | "MODIFIED" | "DELETED"; object: PipelineRun } | { type: "BOOKMARK" | "ERROR"; object: Record<string, unknown> })[];
  scan_repository: string | null;
  get_scan_log: string | null;
  get_run_log: LogChunk;
  get_step_log: LogChunk;
  list_artifacts: Artifact[];
  get_run_nodes_detail: NodeDetail[];
  submit_input: unknown;
  stop_run: JenkinsRun;
  replay_run: JenkinsRun;
  list_agent_labels: string[];
  service_proxy: string | null;
  login: TokenAnswer;
  refresh_token: TokenAnswer;
}

/** The operations `buildRequest` and `decodeResponse` know. */
export type Operation = keyof DecodedResponses;
"#;
