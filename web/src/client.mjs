// The JS face of the core: one Embind Driver per Client, plain values across
// the boundary (JSON text), typed errors, every call settled exactly once.
import { McpError, ClientStateError, fromCoreError } from './errors.mjs';

let loadModule = () => Promise.reject(new Error('mcp-wasm: no module loader (import the package entry, not client.mjs)'));

/** Set by each runtime entry: returns the instantiated Emscripten module (memoised). */
export function setModuleLoader(loader) { loadModule = loader; }

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

export class Client {
  #driver;
  #pending = new Map();  // op id -> {resolve, reject}
  #early = new Map();    // op id -> outcome settled before its promise existed
  #timer;
  #info;
  #onNotification;

  /** Connects: runs the initialize handshake and resolves with a ready Client. */
  static async connect(url, options = {}) {
    const module = await loadModule();
    const client = new Client(module, url, options);
    try {
      await client.#call((d) => d.connect(), options);
    } catch (e) {
      client.#dispose();
      throw e;
    }
    client.#info = JSON.parse(client.#driver.info());
    return client;
  }

  constructor(module, url, options = {}) {
    const fetchImpl = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.#onNotification = options.onNotification;
    // Every function here is called from C++ and must never throw.
    const host = {
      fetch: (input, init) => {
        let p;
        try { p = Promise.resolve(fetchImpl(input, init)); } catch (e) { p = Promise.reject(e); }
        return p.then((res) => {
          if (!res || typeof res.status !== 'number' || !res.headers || typeof res.headers.get !== 'function') {
            throw new TypeError('fetch did not return a Response');
          }
          return res;
        });
      },
      settle: (op, ok, text) => this.#settle(op, ok, text),
      notify: (text) => {
        try { this.#onNotification?.(JSON.parse(text)); } catch { /* a throwing handler must not reach C++ */ }
      },
      setTimer: (ms) => {
        clearTimeout(this.#timer);
        this.#timer = undefined;
        if (ms >= 0) this.#timer = setTimeout(() => { this.#timer = undefined; this.#driver?.onTimer(); }, ms);
      },
      now: () => Date.now(),
      describeError,
    };
    const opts = {
      url: String(url),
      headers: options.headers ?? null,
      clientInfo: options.clientInfo,
      capabilities: options.capabilities,
      timeoutMs: options.timeoutMs ?? null,
      protocolVersion: options.protocolVersion,
      maxBodyBytes: options.maxBodyBytes ?? null,
    };
    this.#driver = new module.Driver(JSON.stringify(opts), host);
    const configError = this.#driver.configError();
    if (configError) {
      this.#dispose();
      throw fromCoreError(JSON.parse(configError));
    }
  }

  get protocolVersion() { return this.#info?.protocolVersion; }
  get serverInfo() { return this.#info?.serverInfo; }
  get serverCapabilities() { return this.#info?.serverCapabilities; }

  /** Every tool of the server, all pages (spec: server/tools#listing-tools). */
  async listTools(options = {}) {
    const result = await this.#call((d) => d.listAll('tools/list', 'tools', '{}'), options);
    return result.tools;
  }

  /** Calls a tool; resolves with its CallToolResult (isError results resolve too). */
  callTool(name, args = {}, options = {}) {
    return this.request('tools/call', { name, arguments: args }, options);
  }

  /** Sends any request; resolves with its result. */
  request(method, params = {}, options = {}) {
    let text;
    try { text = JSON.stringify(params ?? {}); } catch (e) { return Promise.reject(invalidArgument('params are not JSON: ' + e.message)); }
    return this.#call((d) => d.request(String(method), text), options);
  }

  /** Ends the session (DELETE when the server gave one) and frees the module's state. */
  async close() {
    if (!this.#driver) return;
    try {
      await this.#call((d) => d.close(), {});
    } finally {
      this.#dispose();
    }
  }

  /** Leak checks for tests: pending operations, open exchanges, live fetch jobs. */
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

  #settle(op, ok, text) {
    let outcome;
    try {
      const value = JSON.parse(text);
      outcome = ok ? { ok: true, value } : { ok: false, error: fromCoreError(value) };
    } catch {
      outcome = { ok: false, error: new McpError('unreadable result from the core', { code: 'support.internal', kind: 'local' }) };
    }
    const p = this.#pending.get(op);
    if (!p) { this.#early.set(op, outcome); return; }
    this.#pending.delete(op);
    outcome.ok ? p.resolve(outcome.value) : p.reject(outcome.error);
  }

  #dispose() {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const driver = this.#driver;
    this.#driver = undefined;
    driver?.delete();
    for (const [, p] of this.#pending) p.reject(new ClientStateError('the client is closed', { code: 'client.closed', kind: 'local' }));
    this.#pending.clear();
  }
}
