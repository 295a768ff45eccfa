// CORS diagnosis for browsers (issue 8). A fetch that CORS blocks fails as
// an opaque `TypeError: Failed to fetch`, the same as a refused connection;
// the page cannot read why. What a page CAN learn, and this file does:
//  - a `no-cors` request that succeeds proves the server is reachable, so
//    the failure was the CORS check;
//  - a simple CORS request (no custom headers, no preflight) that fails
//    proves the server's answers lack Access-Control-Allow-Origin for us;
//  - a preflighted request carrying ONE of the failed request's headers that
//    fails while a simple one works names a header Access-Control-Allow-Headers
//    must list.
// Probes are HEAD requests with placeholder header values (never the real
// token), run only after a failure, at most once per origin + header set.
// Response headers a server did not expose are invisible (headers.get gives
// null, exactly as if they were absent): for those the client can only say
// "if the server sent it, it must expose it", attached to the error the
// missing header then causes.

const PROBE_TIMEOUT_MS = 5000;
const SIMPLE_METHODS = new Set(['GET', 'HEAD', 'POST']);
const SIMPLE_CONTENT_TYPES = new Set(['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain']);
const MAX_CACHED = 32;

function pageOrigin() {
  const o = globalThis.location?.origin;
  return typeof o === 'string' && o !== 'null' ? o : null;
}

function originOf(url) {
  try { return new URL(String(url)).origin; } catch { return null; }
}

// Request headers that make the browser send a preflight (Fetch §2.2.2 CORS-safelisted request-header).
function preflightedHeaders(headers) {
  const names = [];
  for (const [k, v] of Object.entries(headers ?? {})) {
    const name = k.toLowerCase();
    if (name === 'accept' || name === 'accept-language' || name === 'content-language') continue;
    if (name === 'content-type' && SIMPLE_CONTENT_TYPES.has(String(v).split(';')[0].trim().toLowerCase())) continue;
    names.push(name);
  }
  return names.sort();
}

/** One client's diagnosis state: what its cross-origin answers could not show. */
export function corsDiagnosis(fetchImpl) {
  const cache = new Map();  // origin|method|headers -> Promise<string>
  const hidden = { sessionId: false, wwwAuthenticate: false, retryAfter: false };

  async function probe(url, init) {
    const ok = (extra) => fetchImpl(url, { credentials: 'omit', cache: 'no-store', signal: AbortSignal.timeout(PROBE_TIMEOUT_MS), ...extra })
      .then(() => true, () => false);
    const server = originOf(url);
    const here = pageOrigin();
    if (!(await ok({ method: 'HEAD', mode: 'no-cors' }))) {
      return `${server} did not answer even without CORS (connection refused, DNS, TLS, or blocked by the browser): not a CORS problem`;
    }
    if (!(await ok({ method: 'HEAD', mode: 'cors' }))) {
      return `CORS: ${server} must answer with Access-Control-Allow-Origin: ${here} (or *); its answers lack it`;
    }
    const names = preflightedHeaders(init?.headers);
    const value = (n) => (n === 'content-type' ? 'application/json' : 'mcpw-cors-probe');
    const refused = [];
    await Promise.all(names.map(async (n) => { if (!(await ok({ method: 'HEAD', mode: 'cors', headers: { [n]: value(n) } }))) refused.push(n); }));
    refused.sort();
    if (refused.length && refused.length === names.length) {
      return `CORS: ${server} refuses the preflight (OPTIONS needs Access-Control-Allow-Origin and Access-Control-Allow-Headers: ${names.join(', ')})`;
    }
    if (refused.length) return `CORS: ${server} must list ${refused.join(', ')} in Access-Control-Allow-Headers`;
    const method = String(init?.method ?? 'GET').toUpperCase();
    if (!SIMPLE_METHODS.has(method)) return `CORS: ${server} probably must list ${method} in Access-Control-Allow-Methods`;
    return `probably CORS: ${server} accepts each header alone; check Access-Control-Allow-Headers (${names.join(', ')}) and Allow-Origin`;
  }

  return {
    /** A fetch rejected: in a browser, across origins, find out why before the core sees it. */
    failed(error, url, init) {
      const here = pageOrigin();
      const server = originOf(url);
      if (!here || !server || here === server || !(error instanceof TypeError) || init?.signal?.aborted) return Promise.reject(error);
      const key = `${server}|${init?.method}|${preflightedHeaders(init?.headers).join(',')}`;
      if (!cache.has(key)) {
        if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value);
        cache.set(key, probe(url, init).catch(() => 'probably CORS (the diagnosis failed)'));
      }
      return cache.get(key).then((why) => Promise.reject(new TypeError(`${error.message}; ${why}`)));
    },
    /** A response arrived: note the headers a cross-origin answer should have shown. */
    seen(res, init) {
      if (res.type !== 'cors') return;
      const h = res.headers;
      if (res.status === 401 && h.get('www-authenticate') == null) hidden.wwwAuthenticate = true;
      if (res.status === 429 && h.get('retry-after') == null) hidden.retryAfter = true;
      if (res.ok && typeof init?.body === 'string' && init.body.includes('"method":"initialize"') && h.get('mcp-session-id') == null) {
        hidden.sessionId = true;
      }
    },
    /** Adds what the hidden headers imply to the error they probably caused. */
    explain(error) {
      const expose = (name) => ` (CORS: no ${name} was readable; if the server sent one, it must list ${name} in Access-Control-Expose-Headers)`;
      const status = error?.status;
      if (hidden.sessionId && (status === 400 || status === 404)) error.message += expose('Mcp-Session-Id');
      else if (hidden.wwwAuthenticate && (status === 401 || String(error?.code).startsWith('auth.'))) error.message += expose('WWW-Authenticate');
      else if (hidden.retryAfter && status === 429 && error.retryAfterMs == null) error.message += expose('Retry-After');
      return error;
    },
  };
}
