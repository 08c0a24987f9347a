// The package's types: the generated declarations of the wasm module, and the entry points
// the package adds (connect, ready, KsDevOpsError).
import type {
  Client, ConnectOptions, DecodedResponses, KsDevOpsError as KsDevOpsErrorShape, Operation, ResponseHeaders,
} from "./ksdevops_wasm.js";

export type * from "./ksdevops_wasm.js";
export {
  Client,
  Jenkins,
  LogStream,
  ArtifactStream,
  RunEventStream,
  Request,
  buildRequest,
  parseJenkinsfile,
  checkParameters,
  parameterKind,
  runState,
  nodeState,
} from "./ksdevops_wasm.js";

/**
 * Decodes the server's answer to `operation` into the value it means (typed per operation),
 * or throws the KsDevOpsError it means. `headers`: an object, a `Headers` or [name, value]
 * pairs; `body`: text or bytes.
 */
export declare function decodeResponse<Op extends Operation>(
  operation: Op,
  status: number,
  headers: ResponseHeaders,
  body: string | Uint8Array | null | undefined,
): DecodedResponses[Op];

/** Connects to a KubeSphere DevOps server (loading the wasm module first, once). */
export declare function connect(options: ConnectOptions): Promise<Client>;

/**
 * Resolves once the wasm module is loaded. Only the synchronous functions (buildRequest,
 * decodeResponse, parseJenkinsfile, checkParameters, runState, nodeState) in a browser need it, when no `connect`
 * came first; in Node they load the module themselves.
 */
export declare function ready(): Promise<void>;

/** Every error the package throws or rejects with. */
export interface KsDevOpsError extends KsDevOpsErrorShape {}
export declare const KsDevOpsError: {
  new (message: string): KsDevOpsError;
  readonly prototype: KsDevOpsError;
};
