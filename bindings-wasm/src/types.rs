//! TypeScript declarations for the values that cross the boundary as plain objects.

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
"#;
