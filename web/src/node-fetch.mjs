// Node's default transport for the core's HTTP exchanges: node:http(s) with
// keep-alive agents behind the small part of fetch() that client.mjs uses
// (status, headers.get, a body reader, abort through a signal). Node's own
// fetch (undici) costs several times more CPU per request here and ~50 ms to
// load in a fresh process (bench/README.md). Pass `fetch` to use another.
//
// Follows fetch's rules where they matter (WHATWG Fetch §4.4 "HTTP-redirect
// fetch"): redirects are followed (at most 20); 303, and 301/302 after a
// POST, become a GET without a body; a redirect to another origin drops
// Authorization, Proxy-Authorization and Cookie; a network error rejects with
// TypeError("fetch failed", {cause}); an abort rejects with the signal's
// reason, before or during the body.
import http from 'node:http';
import https from 'node:https';

const agents = {
  'http:': new http.Agent({ keepAlive: true }),
  'https:': new https.Agent({ keepAlive: true }),
};
const MAX_REDIRECTS = 20;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const NULL_BODY = new Set([101, 103, 204, 205, 304]);
const CROSS_ORIGIN_DROPPED = new Set(['authorization', 'proxy-authorization', 'cookie']);

const networkError = (cause) => new TypeError('fetch failed', { cause });
const abortReason = (signal) => signal.reason ?? new DOMException('This operation was aborted', 'AbortError');

class ResponseHeaders {
  #raw;
  constructor(raw) { this.#raw = raw; }  // node's lower-cased names -> string | string[]
  get(name) {
    const v = this.#raw[String(name).toLowerCase()];
    if (v === undefined) return null;
    return Array.isArray(v) ? v.join(', ') : String(v);
  }
  has(name) { return this.get(name) !== null; }
}

// A ReadableStream-like body over the IncomingMessage: one reader.
class Body {
  #res;
  #signal;
  #iterator = null;
  constructor(res, signal) { this.#res = res; this.#signal = signal; }
  getReader() {
    const it = (this.#iterator ??= this.#res[Symbol.asyncIterator]());
    return {
      read: async () => {
        if (this.#signal?.aborted) throw abortReason(this.#signal);
        try {
          const { done, value } = await it.next();
          return done ? { done: true, value: undefined } : { done: false, value };
        } catch (e) {
          throw this.#signal?.aborted ? abortReason(this.#signal) : networkError(e);
        }
      },
      cancel: async () => { this.cancel(); },
      releaseLock() {},
    };
  }
  cancel() {
    this.#res.destroy();
    return Promise.resolve();
  }
}

class NodeResponse {
  constructor(res, url, redirected, signal, method) {
    this.status = res.statusCode;
    this.statusText = res.statusMessage ?? '';
    this.ok = this.status >= 200 && this.status <= 299;
    this.type = 'basic';
    this.url = url;
    this.redirected = redirected;
    this.headers = new ResponseHeaders(res.headers);
    if (method === 'HEAD' || NULL_BODY.has(this.status)) {
      res.resume();
      this.body = null;
    } else {
      this.body = new Body(res, signal);
    }
  }
  async arrayBuffer() {
    if (!this.body) return new ArrayBuffer(0);
    const chunks = [];
    const reader = this.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
    }
    const all = Buffer.concat(chunks);
    return all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength);
  }
  async text() { return new TextDecoder().decode(await this.arrayBuffer()); }
  async json() { return JSON.parse(await this.text()); }
}

function bodyBytes(body) {
  if (body === undefined || body === null) return null;
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  if (body instanceof ArrayBuffer) return Buffer.from(body);
  if (ArrayBuffer.isView(body)) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  throw new TypeError('this transport sends string or byte bodies only');
}

// One request, no redirects: resolves with the IncomingMessage.
function send(url, method, headers, bytes, signal) {
  return new Promise((resolve, reject) => {
    const agent = agents[url.protocol];
    if (!agent) {
      reject(networkError(new Error(`unsupported scheme ${url.protocol}`)));
      return;
    }
    const h = { ...headers };
    if (bytes) h['content-length'] = String(bytes.length);
    let req;
    const onAbort = () => req?.destroy(abortReason(signal));
    try {
      req = (url.protocol === 'https:' ? https : http).request(url, { method, headers: h, agent });
    } catch (e) {
      reject(networkError(e));
      return;
    }
    signal?.addEventListener('abort', onAbort, { once: true });
    req.on('response', (res) => {
      // The abort listener stays while the body is read: it ends the body too.
      res.on('close', () => signal?.removeEventListener('abort', onAbort));
      resolve(res);
    });
    req.on('error', (e) => {
      signal?.removeEventListener('abort', onAbort);
      reject(signal?.aborted ? abortReason(signal) : networkError(e));
    });
    req.end(bytes ?? undefined);
  });
}

/** fetch(url, {method, headers, body, signal, redirect}) over node:http(s). */
export async function nodeFetch(input, init = {}) {
  const signal = init.signal ?? null;
  if (signal?.aborted) throw abortReason(signal);
  let url;
  try { url = new URL(String(input)); } catch (e) { throw new TypeError('Invalid URL', { cause: e }); }
  let method = String(init.method ?? 'GET').toUpperCase();
  let headers = {};
  for (const [k, v] of Object.entries(init.headers ?? {})) headers[k.toLowerCase()] = String(v);
  let bytes = bodyBytes(init.body);
  const redirect = init.redirect ?? 'follow';
  for (let hops = 0; ; ++hops) {
    const res = await send(url, method, headers, bytes, signal);
    const location = res.headers.location;
    if (redirect === 'manual' || !REDIRECTS.has(res.statusCode) || location === undefined) {
      return new NodeResponse(res, url.href, hops > 0, signal, method);
    }
    res.resume();  // the redirect's own body is not wanted
    if (redirect === 'error') throw networkError(new Error(`redirect to ${location}`));
    if (hops >= MAX_REDIRECTS) throw networkError(new Error('too many redirects'));
    let next;
    try { next = new URL(location, url); } catch (e) { throw networkError(e); }
    if (next.protocol !== 'http:' && next.protocol !== 'https:') throw networkError(new Error(`redirect to ${next.protocol}`));
    if ((res.statusCode === 303 && method !== 'HEAD') || ((res.statusCode === 301 || res.statusCode === 302) && method === 'POST')) {
      method = 'GET';
      bytes = null;
      for (const name of ['content-type', 'content-length', 'content-encoding', 'content-language', 'content-location']) delete headers[name];
    }
    if (next.origin !== url.origin) {
      headers = Object.fromEntries(Object.entries(headers).filter(([k]) => !CROSS_ORIGIN_DROPPED.has(k)));
    }
    url = next;
  }
}
