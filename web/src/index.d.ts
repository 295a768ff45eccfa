// Types of the mcp-wasm package (every runtime entry exports the same API).

export interface Implementation { name: string; version: string; [key: string]: unknown }

export interface Tool {
  name: string;
  title?: string;
  description?: string;
  inputSchema: Record<string, unknown>;
  outputSchema?: Record<string, unknown>;
  annotations?: Record<string, unknown>;
  _meta?: Record<string, unknown>;
  [key: string]: unknown;
}

export interface ContentBlock { type: string; [key: string]: unknown }

export interface CallToolResult {
  content: ContentBlock[];
  structuredContent?: unknown;
  isError?: boolean;
  _meta?: Record<string, unknown>;
  [key: string]: unknown;
}

/** A notification the server sent (progress, logging, list_changed, ...). */
export interface ServerNotification { method: string; params: Record<string, unknown> | null }

/** OAuth 2.1 sign-in (RFC 9728 discovery, CIMD or DCR, PKCE); API keys go in `headers` instead. */
export interface OAuthOptions {
  /** Where the authorization server sends the browser back (a loopback URL, chrome.identity's, ...). */
  redirectUri?: string;
  /** Opens the authorization URL and resolves with the URL it redirected back to (null: cancelled). */
  onAuthorize?: (authorizationUrl: string) => Promise<string | null> | string | null;
  /** A pre-registered client. */
  clientId?: string;
  clientSecret?: string;
  tokenEndpointAuthMethod?: 'client_secret_basic' | 'client_secret_post' | 'none' | 'private_key_jwt';
  preRegisteredIssuer?: string;
  /** An https URL hosting this client's metadata document (CIMD). */
  clientMetadataUrl?: string;
  clientName?: string;
  applicationType?: 'native' | 'web';
  grant?: 'authorization_code' | 'client_credentials' | 'jwt_bearer' | 'enterprise';
  /** jwt_bearer (workload identity): the JWT to present. */
  assertion?: string;
  /** enterprise: the user's ID token, and this client at the IdP (RFC 8693 token exchange for an ID-JAG). */
  idToken?: string;
  idpTokenEndpoint?: string;
  idpClientId?: string;
  idpClientSecret?: string;
  /** Refresh and sign in under a Web Lock shared by every tab and worker of this origin. */
  useLocks?: boolean;
  /** DPoP (RFC 9449): sender-constrained tokens with a key pair made for this client. */
  dpop?: boolean;
  /** private_key_jwt: the key id the core asks to sign with, and the CryptoKeys by id (ES256). */
  signingKeyId?: string;
  signingKeys?: Record<string, CryptoKey>;
  wantRefresh?: boolean;
  /** Where tokens and registrations live (default: memory of this process). */
  storage?: { get(key: string): unknown; set(key: string, value: string): unknown; delete(key: string): unknown };
  storagePrefix?: string;
}

export interface ClientOptions {
  /** A static bearer token (an API key such as Duvo's dv_...), or a getter asked again once after a 401. OAuth never runs. */
  bearer?: string | (() => string | Promise<string>);
  oauth?: OAuthOptions;
  /**
   * Replaces the transport (a proxy, an extension relay, a test peer). Default: in Node, node:http(s) with
   * keep-alive agents and fetch's redirect rules; elsewhere globalThis.fetch.
   */
  fetch?: (input: string, init: RequestInit) => Promise<Response>;
  /** Extra headers on every request, e.g. `{ Authorization: 'Bearer dv_...' }`. */
  headers?: Record<string, string>;
  clientInfo?: Implementation;
  capabilities?: Record<string, unknown>;
  /**
   * "auto" (default): server/discover first (2026-07-28), falling back to the
   * 2025 initialize handshake; "2026-07-28": the stateless protocol only; a
   * 2025 revision ("2025-11-25", "2025-06-18", "2025-03-26"): initialize offering it.
   */
  protocolVersion?: string;
  /** Per-request timeout in ms (default 60000). */
  timeoutMs?: number;
  /** Largest response body (or SSE event) accepted, in bytes. */
  maxBodyBytes?: number;
  /** Open the GET stream for server-initiated messages (list_changed, logs) once connected (default true). */
  listen?: boolean;
  /** Absolute cap on a request's time when progress restarts its timeout (default 600000). */
  maxTotalTimeoutMs?: number;
  onNotification?: (notification: ServerNotification) => void;
  /** Connection state changes: "connecting", "ready", "reconnecting", "failed", "closed". */
  onStateChange?: (state: string) => void;
  /** Opt-in trace of HTTP exchanges (request, response, end, error), credentials redacted, no bodies. */
  onTrace?: (record: Record<string, unknown>) => void;
  /**
   * Response validation: each result against its method's shape for the
   * negotiated revision, and a tool result's structuredContent against the
   * outputSchema from the latest listTools() (results with isError are not).
   * "strict" (default): a failure rejects with ValidationError; "warn": the
   * result is returned and onWarning hears of it; "off": nothing is checked.
   */
  validation?: 'strict' | 'warn' | 'off';
  /** Check callTool arguments against the listed inputSchema before sending (default false). */
  validateArguments?: boolean;
  /** Validation warnings ("warn" mode, uncompilable tool schemas); default: console.warn. */
  onWarning?: (warning: { code: string; message: string; method?: string; tool?: string; errors?: SchemaError[] }) => void;
  /** Answers elicitation/create (form or URL mode); declares the elicitation capability. */
  onElicit?: (params: Record<string, unknown>) => unknown | Promise<unknown>;
  /** Fill in the requested schema's defaults on accepted form answers (default true). */
  elicitationDefaults?: boolean;
  /** Answers sampling/createMessage; declares the sampling capability. */
  onSample?: (params: Record<string, unknown>) => unknown | Promise<unknown>;
  /** Answers roots/list; declares the roots capability. */
  roots?: Array<{ uri: string; name?: string }> | (() => Array<{ uri: string; name?: string }> | Promise<Array<{ uri: string; name?: string }>>);
  signal?: AbortSignal;
}

export interface RequestOptions {
  signal?: AbortSignal;
  /** This request's timeout in ms (default: the client's timeoutMs). */
  timeoutMs?: number;
  /** Receives notifications/progress for this request (a progressToken is added). */
  onProgress?: (progress: { progress: number; total?: number; message?: string; progressToken: string | number }) => void;
  /** Each progress notification restarts the timeout (default true). */
  resetTimeoutOnProgress?: boolean;
  /** Absolute cap when progress restarts the timeout. */
  maxTotalTimeoutMs?: number;
  /** tools/call: check the arguments against the listed inputSchema first (default: the client's validateArguments). */
  validateArguments?: boolean;
}

export declare class Client {
  /** Connects and runs the initialize handshake. */
  static connect(url: string | URL, options?: ClientOptions): Promise<Client>;
  /** The negotiated protocol revision. */
  readonly protocolVersion: string;
  readonly serverInfo: Implementation;
  readonly serverCapabilities: Record<string, unknown>;
  readonly state: 'idle' | 'connecting' | 'ready' | 'reconnecting' | 'failed' | 'closed';
  /** Every tool, all pages; cached until tools/list_changed, the ttlMs, or `refresh: true`. */
  listTools(options?: RequestOptions & { refresh?: boolean }): Promise<Tool[]>;
  listResources(options?: RequestOptions): Promise<Array<Record<string, unknown>>>;
  listResourceTemplates(options?: RequestOptions): Promise<Array<Record<string, unknown>>>;
  readResource(uri: string, options?: RequestOptions): Promise<{ contents: Array<Record<string, unknown>> }>;
  subscribeResource(uri: string, options?: RequestOptions): Promise<unknown>;
  unsubscribeResource(uri: string, options?: RequestOptions): Promise<unknown>;
  listPrompts(options?: RequestOptions): Promise<Array<Record<string, unknown>>>;
  getPrompt(name: string, args?: Record<string, string>, options?: RequestOptions): Promise<{ messages: unknown[]; description?: string }>;
  complete(ref: Record<string, unknown>, argument: { name: string; value: string }, context?: Record<string, unknown>, options?: RequestOptions): Promise<{ completion: { values: string[]; total?: number; hasMore?: boolean } }>;
  setLoggingLevel(level: 'debug' | 'info' | 'notice' | 'warning' | 'error' | 'critical' | 'alert' | 'emergency', options?: RequestOptions): Promise<unknown>;
  callTool(name: string, args?: Record<string, unknown>, options?: RequestOptions): Promise<CallToolResult>;
  /** Any request; resolves with its result. */
  request(method: string, params?: Record<string, unknown>, options?: RequestOptions): Promise<unknown>;
  ping(options?: RequestOptions): Promise<unknown>;
  close(): Promise<void>;
  /** Leak checks: pending operations, open exchanges, fetches in flight, live jobs. */
  stats(): { pendingOperations: number; openExchanges: number; fetchesInFlight: number; liveJobs: number; listMemoHits: number } | null;
}

export declare class McpError extends Error {
  /** The core's stable error id, e.g. "http.status", "client.timeout", "json.too_deep". */
  readonly code: string;
  /** "local": the caller misused the API; "remote": the server or network broke the contract. */
  readonly kind: 'local' | 'remote';
  readonly data: unknown;
  readonly status?: number;
}
export declare class HttpError extends McpError { readonly status: number }
export declare class UnauthorizedError extends HttpError {}
export declare class ForbiddenError extends HttpError {}
export declare class RateLimitedError extends HttpError {
  /** The wait the server asked for (Retry-After), in ms; null when it gave none. */
  readonly retryAfterMs: number | null;
}
export declare class TransportError extends McpError {}
export declare class ProtocolError extends McpError {}
export declare class RpcError extends McpError { readonly rpcCode: number }
export declare class TimeoutError extends McpError {}
export declare class AbortError extends McpError {}
export declare class ClientStateError extends McpError {}
export interface SchemaError { instanceLocation: string; keywordLocation: string; message: string }
/** A value failed a JSON Schema (result shape, outputSchema, inputSchema). */
export declare class ValidationError extends McpError { readonly errors: SchemaError[] }

/** Instantiates the module ahead of the first connect (memoised). */
export declare function loadModule(): Promise<unknown>;
/** Instantiates the flattener's own module (dist/mcpw-flatten.wasm) ahead of
 * the first flattenOpenApi/buildRequest/parseRequest/adaptTools (memoised;
 * they load it themselves on first use). */
export declare function loadFlattenModule(): Promise<unknown>;

/** OAuth storage adapters (`oauth.storage`). */
export interface OAuthStorage { get(key: string): unknown; set(key: string, value: string): unknown; delete(key: string): unknown }
export declare function memoryStorage(): OAuthStorage;
export declare function webStorage(store?: Storage): OAuthStorage;
export declare function chromeStorage(area?: unknown): OAuthStorage;
export declare function kvStorage(kv: { get(k: string): unknown; put(k: string, v: string): unknown; delete(k: string): unknown }): OAuthStorage;
/** OAuth redirect adapters (`oauth.onAuthorize`). */
export declare function headlessRedirect(options?: { fetch?: typeof fetch }): (url: string) => Promise<string | null>;
export declare function chromeIdentityRedirect(options?: { identity?: unknown; interactive?: boolean }): (url: string) => Promise<string | null>;
export declare function popupRedirect(options: { redirectUri: string; features?: string; timeoutMs?: number; pollMs?: number }): (url: string) => Promise<string | null>;
export declare function callbackRedirect(options?: { sendUserTo?: (url: string) => unknown; timeoutMs?: number }): {
  onAuthorize(url: string): Promise<string | null>;
  handleCallback(callbackUrl: string): boolean;
};

/** compileSchema options. */
export interface CompileSchemaOptions {
  /** "annotate" (default): `format` is not checked; "assert": it is (2020-12 validation §7.2). */
  formats?: 'annotate' | 'assert';
  /** "basic" (default): invalid results list their errors; "flag": the verdict only (fastest). */
  output?: 'flag' | 'basic';
  /** The dialect when the root has no `$schema`: "2020-12" (default), "2019-09" or "draft-07" (or its metaschema URI). */
  defaultDialect?: string;
  /** Documents for remote `$ref`s, by absolute URI (nothing is fetched). */
  schemas?: Record<string, unknown>;
}
export type SchemaResult = { valid: true } | { valid: false; errors: SchemaError[] };
/** A schema compiled into a Wasm program: immutable, reusable. */
export interface CompiledSchema {
  /** JSON text (a string) or a value. Throws ValidationError (code json.* / schema.eval_* / schema.regex_budget) when the instance cannot be judged. */
  validate(instance: string | unknown): SchemaResult;
  /** Throws ValidationError (code "validation.failed", `errors`) unless valid. */
  assert(instance: string | unknown): void;
  /** Frees the program (a FinalizationRegistry does it eventually otherwise). */
  dispose(): void;
}
/** Compiles a JSON Schema (2020-12, 2019-09, draft-07) with no eval; rejects with ClientStateError (code schema.*, json.*) for a bad schema. */
export declare function compileSchema(schema: object | boolean | string, options?: CompileSchemaOptions): Promise<CompiledSchema>;

// callAndPoll (src/poll.mjs): start a job with one tool, poll a status tool until a terminal status.
/** A status report: attempt 0 is the start tool's answer, then one per status call. */
export interface PollProgress {
  jobId: unknown;
  status: unknown;
  /** The payload (structuredContent, else the first text block as JSON). */
  result: unknown;
  attempt: number;
  elapsedMs: number;
  /** The pending human-in-the-loop request, when the status carries one. */
  humanRequest?: Record<string, unknown>;
}
export interface HumanRequest {
  id: string;
  title?: string;
  description?: string;
  questions?: Array<{ question: string; header?: string; multi_select?: boolean; options?: Array<{ label: string; description?: string }> }>;
  [key: string]: unknown;
}
/** Defaults are Duvo's (startRun / getRun / respondToHumanRequest / stopRun, `run.id`, `run.status`). */
export interface PollOptions {
  statusTool?: string;
  respondTool?: string | null;
  stopTool?: string | null;
  statusArgs?: (jobId: any) => Record<string, unknown>;
  stopArgs?: (jobId: any) => Record<string, unknown>;
  respondArgs?: (jobId: any, request: any, answer: any) => Record<string, unknown>;
  /** CallToolResult -> payload (default: structuredContent, else the first text block as JSON). */
  payload?: (result: CallToolResult) => any;
  jobId?: (startPayload: any) => unknown;
  status?: (statusPayload: any) => unknown;
  /** Default: completed, failed, interrupted, stopped, needs_attention. */
  isTerminal?: (status: any, payload: any) => boolean;
  humanRequest?: (statusPayload: any) => HumanRequest | null | undefined;
  onProgress?: (progress: PollProgress) => void;
  /** Asked once per request id; its answer (e.g. {answers: {...}} or {approved: true}) goes to respondTool; null: not answered. */
  onHumanRequest?: (request: HumanRequest, context: { jobId: unknown; status: unknown; result: unknown }) => unknown | Promise<unknown>;
  /** First wait between status calls (default 1000 ms). */
  intervalMs?: number;
  /** Each unchanged status multiplies the wait (default 1.5); a change resets it. */
  backoffFactor?: number;
  maxIntervalMs?: number;
  /** Random fraction added to or taken from each wait (default 0.2). */
  jitter?: number;
  /** The whole wait (default 1 h); the job is not stopped when it passes. */
  timeoutMs?: number;
  maxAttempts?: number;
  /** Consecutive 429 / network / timeout failures retried (default 5); 429 honours Retry-After. */
  maxTransientErrors?: number;
  /** Per tool call. */
  callTimeoutMs?: number;
  /** Stops the wait (AbortError "poll.wait_cancelled"), not the job. */
  signal?: AbortSignal;
}
export interface PollResult {
  jobId: unknown;
  status: unknown;
  result: any;
  callResult: CallToolResult;
  attempts: number;
  elapsedMs: number;
}
export interface PollHandle extends Promise<PollResult> {
  readonly started: Promise<{ jobId: unknown; result: any }>;
  /** Stop waiting; the promise rejects with an AbortError; the job runs on. */
  cancelWait(reason?: unknown): void;
  /** Call the stop tool; the wait goes on until the job reports its terminal status. */
  stopJob(): Promise<unknown>;
}
export interface Client {
  callAndPoll(startTool: string, args?: Record<string, unknown>, options?: PollOptions): PollHandle;
}

/** OpenAPI flattening (src/flatten): operations as flat tools, requests both ways, provider schemas. */
export interface FlatBinding {
  method: string; path: string; server: string; body: 'none' | 'json' | 'form' | 'multipart' | 'text' | 'binary';
  mediaType: string; bodyRequired: boolean; bodySpread: boolean; bodyAdditional: boolean; outputWrapped: boolean;
  defs?: Record<string, unknown>;
  keys: Array<{ key: string; in: 'path' | 'query' | 'header' | 'cookie' | 'bodyField' | 'body'; name: string; style: string;
    explode: boolean; allowReserved: boolean; allowSlash: boolean; contentJson: boolean; required: boolean;
    nullable: boolean; file: boolean; schema: unknown }>;
}
export interface FlatTool {
  name: string;
  title?: string;
  description: string;
  inputSchema: Record<string, unknown>;
  outputSchema?: Record<string, unknown>;
  /** Plain JSON: where each flat key goes; store it, pass it to buildRequest / parseRequest. */
  binding: FlatBinding;
}
export interface FlattenDiagnostic { operation?: string; message: string; code: string }
export interface FlattenOptions { maxOperations?: number }
/** OpenAPI 3.0 / 3.1 (object or JSON text) -> one flat tool per operation. Rejects with an McpError (`flatten.not_openapi`, `json.*`, `flatten.too_large`). */
export declare function flattenOpenApi(document: object | string, options?: FlattenOptions): Promise<{ tools: FlatTool[]; diagnostics: FlattenDiagnostic[] }>;
export interface FlatRequest { method: string; url: string; headers: Record<string, string>; body?: string | Uint8Array }
/**
 * Flat arguments -> an HTTP request for fetch(). `baseUrl` replaces the document's server (required when that one is
 * relative). Multipart files are `{data (base64), mimeType?, filename?}`. Bad arguments reject with a ValidationError
 * (`validation.arguments`; unknown keys name the closest known one).
 */
export declare function buildRequest(tool: FlatTool | FlatBinding, args: Record<string, unknown>, options?: { baseUrl?: string }): Promise<FlatRequest>;
/** The inverse of buildRequest: the flat arguments a request carries (McpError `flatten.bad_request` when it does not match). */
export declare function parseRequest(tool: FlatTool | FlatBinding,
  request: { method: string; url: string; headers?: Record<string, string> | Headers | Array<[string, string]>; body?: string | Uint8Array | ArrayBuffer },
  options?: { baseUrl?: string }): Promise<Record<string, unknown>>;
export type ModelProvider = 'openai' | 'openai-strict' | 'anthropic' | 'gemini';
export interface ProviderToolSchema { name: string; description: string; parameters: Record<string, unknown> }
export interface AdaptedTools {
  tools: ProviderToolSchema[];
  /** Tools left out (the provider cannot express their schema); the rest work. */
  diagnostics: Array<{ tool: string; message: string; code: string }>;
  /** True when the list was above the limit and the three meta tools stand for it. */
  meta: boolean;
  /** A model's call -> the original tool and arguments; search_tools / describe_tool also carry their answer. */
  toOriginal(name: string, args: Record<string, unknown>): Promise<{ name: string; arguments: Record<string, unknown>; result?: unknown }>;
}
/** Tools (MCP Tool objects or FlatTools) -> schemas the provider accepts; above `limit` (default 128) search / describe / call. */
export declare function adaptTools(tools: Array<{ name: string; description?: string; inputSchema: object; outputSchema?: object }>,
  provider: ModelProvider, options?: { limit?: number }): Promise<AdaptedTools>;

// ---- REST operations as tools (issue 6; web/src/rest.mjs) ----
export interface OpenApiOptions {
  /** Replaces the document's server for every operation (required when that one is relative). */
  baseUrl?: string;
  flatten?: FlattenOptions;
}
/** Per call: like RequestOptions, without progress (a REST call has none). */
export interface RestCallOptions { signal?: AbortSignal; timeoutMs?: number }
/**
 * A CallToolResult from an HTTP answer. 2xx: the body as text, and as structuredContent when it is a JSON object
 * (a non-object JSON body as `{result}` when the outputSchema wraps it). Other statuses: isError with structuredContent
 * `{status, body (parsed when JSON), retryAfterMs? (429)}`. Network, timeout and abort failures reject with
 * TransportError, TimeoutError, AbortError; bad arguments with ValidationError; an unknown tool with ClientStateError.
 */
export interface RestCallToolResult extends CallToolResult {
  isError: boolean;
  structuredContent?: Record<string, unknown> & { status?: number; body?: unknown; retryAfterMs?: number };
}
export interface OpenApiTools {
  /** MCP Tool objects, one per operation (bindings stay inside). */
  tools: Tool[];
  diagnostics: FlattenDiagnostic[];
  /** Builds the request from flat arguments and sends it through the client's session. */
  callTool(name: string, args?: Record<string, unknown>, options?: RestCallOptions): Promise<RestCallToolResult>;
  /** Only from the static Client.openApi: frees the client made for it. */
  close?(): Promise<void>;
}
export declare interface Client {
  /**
   * The document's operations as tools through this client's session: its fetch, credentials (sent to this MCP
   * server's origin only), 401 flow with one retry, 429 Retry-After for GET/HEAD/PUT/DELETE/OPTIONS, timeouts.
   */
  openApi(document: object | string, options?: OpenApiOptions): Promise<OpenApiTools>;
}
export declare namespace Client {
  /**
   * Without an MCP server: a client for `baseUrl` (else the document's first absolute server) that never connects;
   * its credentials (bearer, oauth, headers) go to that origin only. The result has close().
   */
  function openApi(document: object | string, options?: OpenApiOptions & ClientOptions): Promise<OpenApiTools & { close(): Promise<void> }>;
}
// ---- end REST ----
