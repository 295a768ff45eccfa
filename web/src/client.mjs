// The JS face of the core: one Embind Driver per Client, plain values across
// the boundary (JSON text), typed errors, every call settled exactly once.
import { McpError, ClientStateError, fromCoreError } from './errors.mjs';
import { memoryStorage } from './oauth-adapters.mjs';
import { corsDiagnosis } from './cors.mjs';
import { openApi } from './rest.mjs';  // REST operations as tools (issue 6)
import { callAndPoll } from './poll.mjs';
import { toHex, withDpopKey, signJwt } from './webcrypto.mjs';

let loadModule = () => Promise.reject(new Error('mcp-wasm: no module loader (import the package entry, not client.mjs)'));

/** Set by each runtime entry: returns the instantiated Emscripten module (memoised). */
export function setModuleLoader(loader) { loadModule = loader; }

// The fetch a client uses when options.fetch is not given: the runtime
// entry's (Node: node-fetch.mjs), else globalThis.fetch.
let defaultFetch = null;
export function setDefaultFetch(f) { defaultFetch = f; }
export const getModule = () => loadModule();  // compileSchema (schema.mjs) shares the entry's module

function describeError(e) {
  try {
    if (e instanceof Error) {
      const cause = e.cause && (e.cause.code || e.cause.message);
      return cause ? `${e.name}: ${e.message} (${cause})` : `${e.name}: ${e.message}`;
    }
    return String(e);
  } catch {
    return 'unknown error';
  }
}

function invalidArgument(message) {
  return new ClientStateError(message, { code: 'support.invalid_argument', kind: 'local' });
}

const MODERN = '2026-07-28';

// Default OAuth storage: this process only (pass oauth.storage to persist).
const defaultStorage = memoryStorage();

// The options the core reads (functions and keys stay on this side).
function oauthOptions(o) {
  const { storage, onAuthorize, signingKeys, dpop, ...plain } = o;
  return plain;
}

// The response heads the core reads (transport::RESPONSE_HEADERS), per module.
const headerNames = new WeakMap();
function responseHeaderNames(module) {
  let names = headerNames.get(module);
  if (!names) headerNames.set(module, (names = module.responseHeaderNames().split('\n').filter(Boolean)));
  return names;
}

const utf8 = new TextDecoder();

const ResponseType = typeof Response === 'function' ? Response : class {};

// Whether a response's body may be read whole (`type`: its Content-Type): not an event stream, not
// encoded (fetch inflates: a small compressed body can inflate without
// bound), with a Content-Length within `max` bytes. Not for a CORS response
// in a browser: Content-Encoding is not a safelisted header there, so a
// compressed answer could pass for an unencoded one.
function wholeBody(res, type, max) {
  if (res.type === 'cors' || res.type === 'opaque') return false;
  const headers = res.headers;
  if (type && /^\s*text\/event-stream/i.test(type)) return false;
  const encoding = headers.get('content-encoding');
  if (encoding && encoding.trim().toLowerCase() !== 'identity') return false;
  const length = headers.get('content-length');
  if (!length || !/^\d{1,15}$/.test(length.trim())) return false;
  return Number(length) <= max;
}

const eraByOrigin = new Map();  // origin -> protocol version that worked there

function originOf(url) {
  try { return new URL(String(url)).origin; } catch { return undefined; }
}

// Jitter for retries comes from the host's randomness (the core draws none).
function randomSeed() {
  const u = new Uint32Array(2);
  globalThis.crypto.getRandomValues(u);
  return u[0] * 2097152 + (u[1] & 0x1fffff);  // < 2^53: exact in JSON
}

// Handlers for requests the server may send (spec: client/roots, client/sampling, client/elicitation).
function serverRequestHandlers(options) {
  const h = new Map();
  if (options.onElicit) h.set('elicitation/create', options.onElicit);
  if (options.onSample) h.set('sampling/createMessage', options.onSample);
  if (options.roots) {
    const roots = options.roots;
    h.set('roots/list', async () => ({ roots: typeof roots === 'function' ? await roots() : roots }));
  }
  return h;
}

// The capabilities that go with those handlers.
function capabilitiesFor(options) {
  const caps = {};
  if (options.onElicit) caps.elicitation = { form: { applyDefaults: options.elicitationDefaults ?? true }, url: {} };
  if (options.onSample) caps.sampling = {};
  if (options.roots) caps.roots = { listChanged: false };
  return caps;
}

export class Client {
  #driver;
  #pending = new Map();  // op id -> {resolve, reject}
  #early = new Map();    // op id -> outcome settled before its promise existed
  #timer;
  #bodyPtr = 0;          // the core's body buffer in Wasm memory (bodyBuffer) and its size
  #bodyCap = 0;
  #maxBodyBytes = 0;     // the core's limit on a body (Driver.maxBodyBytes)
  #cors;                 // browsers: why a cross-origin fetch failed (cors.mjs)
  #info;
  #onNotification;
  #oauth;                // the host side of OAuth: storage, onAuthorize, signing keys
  #state = 'idle';
  #bearer;               // the static token getter, when `bearer` is a function
  #releases = new Map(); // held Web Locks: key -> release
  #handlers;             // server request method -> async (params) => result
  #progress = new Map(); // progress token -> onProgress
  #toolCache = null;     // {tools, at, ttlMs} until tools/list_changed or the ttl
  #nextToken = 0;
  #module;
  #fetch;                // host fetch: (url, init) -> Promise<Response> (checked in #runFetch)
  #fetches = new Map();  // exchange id -> {controller, reader} of each fetch the core wants
  #headerNames;

  /**
   * Connects and resolves with a ready Client. By default the protocol is
   * negotiated: the 2026-07-28 stateless protocol when the server speaks it,
   * else the 2025 initialize handshake; the outcome is remembered per origin
   * (and probed again when a remembered choice stops working).
   */
  static async connect(url, options = {}) {
    const module = await loadModule();
    const origin = originOf(url);
    const remembered = options.protocolVersion ? undefined : eraByOrigin.get(origin);
    try {
      return await Client.#connectWith(module, url, { ...options, protocolVersion: options.protocolVersion ?? remembered ?? 'auto' }, origin);
    } catch (e) {
      if (!remembered) throw e;
      eraByOrigin.delete(origin);
      return Client.#connectWith(module, url, { ...options, protocolVersion: 'auto' }, origin);
    }
  }

  static async #connectWith(module, url, options, origin) {
    if (typeof options.bearer === 'function') options = { ...options, bearerToken: await options.bearer() };
    if (options.oauth?.dpop === true) options = { ...options, oauth: await withDpopKey(options.oauth) };
    const client = new Client(module, url, options);
    try {
      await client.#call((d) => d.connect(), options);
    } catch (e) {
      client.#dispose();
      throw e;
    }
    client.#info = JSON.parse(client.#driver.info());
    if (options.protocolVersion === 'auto' && origin) {
      eraByOrigin.set(origin, client.#info.protocolVersion === MODERN ? MODERN : client.#info.protocolVersion);
    }
    return client;
  }

  constructor(module, url, options = {}) {
    const fetchImpl = options.fetch ?? defaultFetch ?? ((input, init) => globalThis.fetch(input, init));
    this.#cors = corsDiagnosis(fetchImpl);
    this.#onNotification = options.onNotification;
    this.#handlers = serverRequestHandlers(options);
    // Every function here is called from C++ and must never throw.
    this.#module = module;
    this.#headerNames = responseHeaderNames(module);
    this.#fetch = fetchImpl;
    const host = {
      fetch: (ex, method, url, headerText, body) => this.#startFetch(ex, method, url, headerText, body),
      abort: (ex) => this.#abortFetch(ex),
      settle: (op, ok, bytes) => this.#settle(op, ok, utf8.decode(bytes)),  // a view of Wasm memory: decoded now
      notify: (text) => {
        try {
          const n = JSON.parse(text);
          const onProgress = n.method === 'notifications/progress' && this.#progress.get(n.params?.progressToken);
          if (n.method === 'notifications/tools/list_changed') this.#toolCache = null;
          if (onProgress) onProgress(n.params);
          else this.#onNotification?.(n);
        } catch { /* a throwing handler must not reach C++ */ }
      },
      serverRequest: (handle, method, paramsText) => this.#answer(handle, method, paramsText),
      authEffect: (kind, payloadText) => this.#authEffect(kind, payloadText),
      state: (state) => {
        this.#state = state;
        try { options.onStateChange?.(state); } catch { /* never into C++ */ }
      },
      trace: (text) => {
        try { options.onTrace?.(JSON.parse(text)); } catch { /* never into C++ */ }
      },
      warning: (text) => {
        try {
          const w = JSON.parse(text);
          if (typeof options.onWarning === 'function') options.onWarning(w);
          else console.warn(`mcp-wasm: ${w.message}`);
        } catch { /* never into C++ */ }
      },
      // The core's one timer (bindings/driver.cpp re-arms it only for an
      // earlier deadline). keepAlive: whether it must keep Node running (no
      // fetch in flight does); timers elsewhere have no such notion.
      setTimer: (ms, keepAlive) => {
        clearTimeout(this.#timer);
        this.#timer = setTimeout(() => { this.#timer = undefined; this.#driver?.onTimer(); }, ms);
        if (!keepAlive) this.#timer.unref?.();
      },
      keepTimer: (keepAlive) => {
        if (this.#timer === undefined) return;
        if (keepAlive) this.#timer.ref?.();
        else this.#timer.unref?.();
      },
      now: () => Date.now(),
      describeError,
    };
    this.#oauth = options.oauth;
    this.#bearer = options.bearer;
    const opts = {
      url: String(url),
      oauth: options.oauth ? oauthOptions(options.oauth) : null,
      bearer: options.bearer
        ? { token: typeof options.bearer === 'function' ? options.bearerToken : options.bearer, refreshable: typeof options.bearer === 'function' }
        : null,
      headers: options.headers ?? null,
      clientInfo: options.clientInfo,
      capabilities: { ...capabilitiesFor(options), ...options.capabilities },
      handlers: [...this.#handlers.keys()],
      maxTotalTimeoutMs: options.maxTotalTimeoutMs ?? null,
      randomSeed: randomSeed(),
      listen: options.listen ?? true,
      trace: typeof options.onTrace === 'function',
      timeoutMs: options.timeoutMs ?? null,
      protocolVersion: options.protocolVersion ?? 'auto',
      maxBodyBytes: options.maxBodyBytes ?? null,
      validation: options.validation ?? null,
      validateArguments: options.validateArguments ?? null,
    };
    this.#driver = new module.Driver(JSON.stringify(opts), host);
    const configError = this.#driver.configError();
    if (configError) {
      this.#dispose();
      throw fromCoreError(JSON.parse(configError));
    }
    this.#maxBodyBytes = this.#driver.maxBodyBytes();
  }

  get protocolVersion() { return this.#info?.protocolVersion; }
  /** "connecting", "ready", "reconnecting", "failed" or "closed". */
  get state() { return this.#state; }
  get serverInfo() { return this.#info?.serverInfo; }
  get serverCapabilities() { return this.#info?.serverCapabilities; }

  /**
   * Every tool of the server, all pages (spec: server/tools#listing-tools).
   * Cached until notifications/tools/list_changed arrives, the result's
   * `ttlMs` passes, or `{ refresh: true }` is given.
   */
  async listTools(options = {}) {
    const c = this.#toolCache;
    if (c && !options.refresh && (c.ttlMs == null || Date.now() - c.at < c.ttlMs)) return c.tools;
    const result = await this.#listAll('tools/list', 'tools', options);
    this.#toolCache = { tools: result.tools, at: Date.now(), ttlMs: Number.isFinite(result.ttlMs) ? result.ttlMs : null };
    return result.tools;
  }

  /** Every resource, all pages (spec: server/resources). */
  async listResources(options = {}) { return (await this.#listAll('resources/list', 'resources', options)).resources; }
  /** Every resource template, all pages. */
  async listResourceTemplates(options = {}) {
    return (await this.#listAll('resources/templates/list', 'resourceTemplates', options)).resourceTemplates;
  }
  readResource(uri, options = {}) { return this.request('resources/read', { uri }, options); }
  subscribeResource(uri, options = {}) { return this.request('resources/subscribe', { uri }, options); }
  unsubscribeResource(uri, options = {}) { return this.request('resources/unsubscribe', { uri }, options); }
  /** Every prompt, all pages (spec: server/prompts). */
  async listPrompts(options = {}) { return (await this.#listAll('prompts/list', 'prompts', options)).prompts; }
  getPrompt(name, args = {}, options = {}) { return this.request('prompts/get', { name, arguments: args }, options); }
  /** Argument completion (spec: server/utilities/completion). */
  complete(ref, argument, context, options = {}) {
    return this.request('completion/complete', context ? { ref, argument, context } : { ref, argument }, options);
  }
  /** spec: server/utilities/logging */
  setLoggingLevel(level, options = {}) { return this.request('logging/setLevel', { level }, options); }

  #listAll(method, key, options) {
    return this.#call((d) => d.listAll(method, key, '{}'), options);
  }

  /** Calls a tool; resolves with its CallToolResult (isError results resolve too). */
  callTool(name, args = {}, options = {}) {
    return this.request('tools/call', { name, arguments: args }, options);
  }

  // ---- REST operations as tools (issue 6; web/src/rest.mjs) ----
  /**
   * An OpenAPI document's operations as tools, called through this client's
   * session: same fetch, credentials (to this server's origin only), 401
   * flow, 429 handling, timeouts and typed errors. `baseUrl` replaces the
   * document's server. Resolves with {tools, diagnostics, callTool(name, args, {signal, timeoutMs})}.
   */
  openApi(document, options = {}) {
    return openApi(document, options, { send: (req, o) => this.#restSend(req, o) });
  }

  #restSend(request, options = {}) {
    let text;
    try { text = JSON.stringify(request); } catch (e) { return Promise.reject(invalidArgument('request is not JSON: ' + e.message)); }
    return this.#call((d) => d.rest(text, JSON.stringify({ timeoutMs: options.timeoutMs ?? null })), options);
  }

  /**
   * The same without an MCP server: a client for `options.baseUrl` (else the
   * document's first absolute server) that never connects; `options` are
   * Client.connect's (bearer, oauth, headers, timeoutMs, fetch...). The
   * result has close().
   */
  static async openApi(document, options = {}) {
    const module = await loadModule();
    return openApi(document, options, async (url) => {
      let o = { ...options, listen: false };
      if (typeof o.bearer === 'function') o = { ...o, bearerToken: await o.bearer() };
      if (o.oauth?.dpop === true) o = { ...o, oauth: await withDpopKey(o.oauth) };
      const client = new Client(module, url, o);
      return { send: (req, co) => client.#restSend(req, co), close: () => client.close() };
    });
  }
  // ---- end REST ----

  /**
   * Sends any request; resolves with its result. Options: signal, timeoutMs,
   * onProgress (progress notifications; by default each one restarts the
   * timeout: resetTimeoutOnProgress), maxTotalTimeoutMs (absolute cap).
   */
  request(method, params = {}, options = {}) {
    let token;
    if (typeof options.onProgress === 'function') {
      token = `mcpw-${++this.#nextToken}`;
      params = { ...params, _meta: { ...params?._meta, progressToken: token } };
    }
    let text;
    let opts = '';  // every option at its default
    try {
      text = JSON.stringify(params ?? {});
      if (options.timeoutMs != null || options.maxTotalTimeoutMs != null || options.resetTimeoutOnProgress != null ||
          options.validateArguments != null) {
        opts = JSON.stringify({ timeoutMs: options.timeoutMs ?? null, maxTotalTimeoutMs: options.maxTotalTimeoutMs ?? null,
                                resetTimeoutOnProgress: options.resetTimeoutOnProgress ?? true,
                                validateArguments: options.validateArguments ?? null });
      }
    } catch (e) {
      return Promise.reject(invalidArgument('params are not JSON: ' + e.message));
    }
    if (token) this.#progress.set(token, options.onProgress);
    const done = this.#call((d) => d.request(String(method), text, opts, Date.now()), options);
    if (token) done.then(() => this.#progress.delete(token), () => this.#progress.delete(token));
    return done;
  }

  /**
   * Starts a job with one tool and polls a status tool until a terminal status
   * (Duvo's startRun/getRun by default; see poll.mjs). The returned Promise also
   * has `started`, `cancelWait()` (stop waiting) and `stopJob()` (stop the job).
   */
  callAndPoll(startTool, args = {}, options = {}) { return callAndPoll(this, startTool, args, options); }

  /** Liveness check (spec: basic/utilities/ping). */
  ping(options = {}) { return this.request('ping', {}, options); }

  /** Ends the session (DELETE when the server gave one) and frees the module's state. */
  async close() {
    if (!this.#driver) return;
    try {
      await this.#call((d) => d.close(), {});
    } finally {
      this.#dispose();
    }
  }

  /** Leak checks for tests: pending operations, open exchanges, live fetch jobs; list pages settled from the memo of an identical page. */
  stats() { return this.#driver ? JSON.parse(this.#driver.stats()) : null; }

  #call(start, { signal } = {}) {
    if (!this.#driver) return Promise.reject(new ClientStateError('the client is closed', { code: 'client.closed', kind: 'local' }));
    return new Promise((resolve, reject) => {
      const op = start(this.#driver);
      const early = this.#early.get(op);
      if (early) {
        this.#early.delete(op);
        early.ok ? resolve(early.value) : reject(early.error);
        return;
      }
      this.#pending.set(op, { resolve, reject });
      if (signal) {
        const onAbort = () => this.#driver?.cancel(op);
        if (signal.aborted) onAbort();
        else signal.addEventListener('abort', onAbort, { once: true });
      }
    });
  }

  // An authorization effect from the core. Answers always go back
  // asynchronously: never into the core while it is running.
  #authEffect(kind, payloadText) {
    const p = JSON.parse(payloadText);
    const o = this.#oauth ?? {};
    const storage = o.storage ?? defaultStorage;
    const later = (f) => Promise.resolve().then(f);
    if (kind === 'open') {
      later(() => (o.onAuthorize ? o.onAuthorize(p.url) : null)).then(
        (cb) => (cb ? this.#driver?.authRedirect(String(cb)) : this.#driver?.authRedirectCancelled()),
        () => this.#driver?.authRedirectCancelled());
    } else if (kind === 'store') {
      later(() => (p.value == null ? storage.delete(p.key) : storage.set(p.key, p.value))).catch(() => {});
    } else if (kind === 'load') {
      later(() => storage.get(p.key)).then(
        (v) => this.#driver?.authLoaded(p.key, v != null, v == null ? '' : String(v)),
        () => this.#driver?.authLoaded(p.key, false, ''));
    } else if (kind === 'random') {
      const bytes = globalThis.crypto.getRandomValues(new Uint8Array(p.bytes));
      later(() => this.#driver?.authRandom(toHex(bytes)));
    } else if (kind === 'token') {
      // The static bearer's getter, asked again after a 401.
      later(() => (typeof this.#bearer === 'function' ? this.#bearer() : null)).then(
        (t) => this.#driver?.authStaticToken(t != null && t !== '', t == null ? '' : String(t)),
        () => this.#driver?.authStaticToken(false, ''));
    } else if (kind === 'lock') {
      // One refresh / sign-in at a time across tabs and workers (Web Locks).
      const locks = globalThis.navigator?.locks;
      if (!locks) { later(() => this.#driver?.authLockAcquired(p.key)); return; }
      locks.request(p.key, () => new Promise((release) => {
        this.#releases.set(p.key, release);
        this.#driver?.authLockAcquired(p.key);
      })).catch(() => {});
    } else if (kind === 'unlock') {
      this.#releases.get(p.key)?.();
      this.#releases.delete(p.key);
    } else if (kind === 'sign') {
      const answer = (sig) => (p.proof ? this.#driver?.authProofSignature(p.proof, sig) : this.#driver?.authSignature(sig));
      later(() => signJwt(o.signingKeys?.[p.keyId], p.alg, p.input)).then(answer, () => answer(''));
    }
  }

  // A server request: run the host's handler, answer exactly once.
  #answer(handle, method, paramsText) {
    const handler = this.#handlers.get(method);
    const fail = (e) => this.#driver?.respond(handle, false, JSON.stringify({
      message: String(e?.message ?? e), code: Number.isInteger(e?.code) ? e.code : undefined }));
    Promise.resolve()
      .then(() => handler(JSON.parse(paramsText)))
      .then((result) => {
        let text;
        try { text = JSON.stringify(result ?? {}); } catch (e) { fail(e); return; }
        this.#driver?.respond(handle, true, text);
      }, fail);
  }

  #settle(op, ok, text) {
    let outcome;
    try {
      const value = JSON.parse(text);
      outcome = ok ? { ok: true, value } : { ok: false, error: this.#cors.explain(fromCoreError(value)) };
    } catch {
      outcome = { ok: false, error: new McpError('unreadable result from the core', { code: 'support.internal', kind: 'local' }) };
    }
    const p = this.#pending.get(op);
    if (!p) { this.#early.set(op, outcome); return; }
    this.#pending.delete(op);
    outcome.ok ? p.resolve(outcome.value) : p.reject(outcome.error);
  }

  // ---- the core's HTTP exchanges, run here (bindings/fetch_job.cpp) ----
  // Called from C++ (never throws): starts exchange `ex`; its head, body
  // bytes and end go back into the driver until the core aborts it. Exactly
  // one of onEnd / onError / module.fetchEnded() ends it (the live-job count).
  #startFetch(ex, method, url, headerText, body) {
    const x = { controller: new AbortController(), reader: null };
    this.#fetches.set(ex, x);
    const headers = {};
    const parts = headerText.split('\n');
    for (let i = 0; i + 1 < parts.length; i += 2) headers[parts[i]] = parts[i + 1];
    const init = { method, headers, signal: x.controller.signal };
    if (body) init.body = body;
    this.#runFetch(ex, x, url, init);
  }

  async #runFetch(ex, x, url, init) {
    let ended = false;
    let res;
    try {
      const fetchImpl = this.#fetch;  // called as a plain function: a bare window.fetch needs that
      try {
        res = await fetchImpl(url, init);
      } catch (e) {
        res = await this.#cors.failed(e, url, init);  // rejects, with the browser's CORS diagnosis
      }
      if (!res || typeof res.status !== 'number' || !res.headers || typeof res.headers.get !== 'function') {
        throw new TypeError('fetch did not return a Response');
      }
      this.#cors.seen(res, init);
      if (this.#fetches.get(ex) !== x) return;
      let head = '';
      let type = null;
      const h = res.headers;
      for (const name of this.#headerNames) {
        const v = h.get(name);
        if (v !== null && v !== undefined) {
          head += name + '\n' + v + '\n';
          if (name === 'content-type') type = v;
        }
      }
      this.#driver.onHead(ex, res.status, head, Date.now());
      if (this.#fetches.get(ex) !== x) return;
      // An answer of known length within the core's limit (wholeBody) is
      // read in one go: in workerd each read() is an I/O turn of its own
      // (~45 µs of CPU per tools/call there). Anything else goes chunk by
      // chunk, so the core can stop it at its limit. The runtime's own
      // Responses only: Node's transport (node-fetch.mjs) reads chunks itself
      // anyway, and `res.body` is not touched on this path (workerd makes a
      // stream for it).
      if (res instanceof ResponseType && wholeBody(res, type, this.#maxBodyBytes)) {
        const value = new Uint8Array(await res.arrayBuffer());
        if (this.#fetches.get(ex) !== x) return;
        if (value.length > 0 && !this.#deliver(ex, x, value)) return;
      } else if (res.body) {
        const reader = (x.reader = res.body.getReader());
        for (;;) {
          const { done, value } = await reader.read();
          if (this.#fetches.get(ex) !== x) return;
          if (done) break;
          if (!this.#deliver(ex, x, value)) return;
        }
      }
      this.#fetches.delete(ex);
      ended = true;
      this.#driver.onEnd(ex, Date.now());
    } catch (e) {
      if (this.#fetches.get(ex) !== x) return;
      this.#fetches.delete(ex);
      ended = true;
      this.#driver.onError(ex, describeError(e), Date.now());
    } finally {
      if (!ended) {
        if (res?.body && !x.reader) res.body.cancel().catch(() => {});
        this.#module.fetchEnded();
      }
    }
  }

  // Body bytes of exchange `ex` into the core: written straight into Wasm
  // memory (the buffer grows only when a chunk does not fit). False when the
  // core no longer wants the exchange.
  #deliver(ex, x, value) {
    const d = this.#driver;
    const n = value.length;
    if (n > this.#bodyCap) {
      this.#bodyPtr = d.bodyBuffer(n);
      this.#bodyCap = n;
    }
    if (n > 0) this.#module.HEAPU8.set(value, this.#bodyPtr);
    d.onBody(ex, n, Date.now());
    return this.#fetches.get(ex) === x;
  }

  // Called from C++: the core no longer wants exchange `ex`. Node 20's fetch
  // (undici) leaves a pending body read unsettled forever when the request
  // is aborted after the whole body arrived: cancelling the reader settles it.
  #abortFetch(ex) {
    const x = this.#fetches.get(ex);
    if (!x) return;
    this.#fetches.delete(ex);
    try { x.controller.abort(); } catch { /* never into C++ */ }
    x.reader?.cancel().catch(() => {});
  }

  #dispose() {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const driver = this.#driver;
    this.#driver = undefined;
    for (const ex of [...this.#fetches.keys()]) this.#abortFetch(ex);
    driver?.delete();
    for (const [, p] of this.#pending) p.reject(new ClientStateError('the client is closed', { code: 'client.closed', kind: 'local' }));
    this.#pending.clear();
  }
}
