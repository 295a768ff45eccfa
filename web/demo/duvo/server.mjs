// Duvo-in-a-box: a local server on 127.0.0.1 that behaves like Duvo's
// (../../../../shared/DUVO.md), for the demo, the CLI and the tests.
//   /v2/mcp                 MCP, Streamable HTTP (JSON or SSE answers: mcpMode)
//   /v1/mcp                 MCP, the legacy HTTP+SSE transport (GET stream, POST /v1/mcp/messages),
//                           with the older ~380-tool catalog (legacy-catalog.mjs), listed in pages
//   /v1/..., /v2/teams/...  the REST API itself (openapi.json), e.g. GET /v1/agents
//   /openapi.json           the document, its server set to this origin
//   /.well-known/..., /oauth/...   its own OAuth authorization server (oauth.mjs)
// Every MCP and REST request needs `Authorization: Bearer <key or token>`: an
// API key (dv_..., never any OAuth) or an access token from the OAuth server.
// Keys starting with dv_readonly_ only have the `read` scope: a write tool
// (any non-GET operation) answers 403. Rate limit: `rateLimit` requests per
// minute per key (REST requests and tools/call), 429 with Retry-After beyond.
//
//   node demo/duvo/server.mjs [--port N] [--mode json|sse] [--step-ms N] [--auto-approve]
import { createServer } from 'node:http';
import { randomUUID, createHash } from 'node:crypto';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { SSEServerTransport } from '@modelcontextprotocol/sdk/server/sse.js';
import { createDuvoRest } from './rest.mjs';
import { createAuthServer, SCOPES } from './oauth.mjs';
import { makeToolSet, makeMcpServer } from './mcp.mjs';

export { IDS, TEAM_ID, TERMINAL, RUN_STATUSES } from './rest.mjs';
export { SERVER_INFO } from './mcp.mjs';

/// The keys a server accepts unless told otherwise.
export const DEMO_API_KEY = 'dv_demo_0123456789abcdef';
export const DEMO_READONLY_KEY = 'dv_readonly_demo_0123456789';

const MAX_BODY = 8 << 20;
const MAX_SESSIONS = 200;
const MAX_LOG = 10000;

// apiKeys: strings (dv_readonly_... -> read only) or {key, scopes}.
function keyTable(apiKeys) {
  const table = new Map();
  for (const k of apiKeys) {
    const entry = typeof k === 'string' ? { key: k, scopes: k.startsWith('dv_readonly_') ? ['read'] : SCOPES } : k;
    if (!entry.key?.startsWith('dv_')) throw new Error(`API keys start with dv_ (got ${String(entry.key).slice(0, 6)}...)`);
    table.set(entry.key, new Set(entry.scopes));
  }
  return table;
}

function rateLimiter(option) {
  if (option === false || option === 0) return () => null;
  const { limit = 300, windowMs = 60000 } = typeof option === 'number' ? { limit: option } : option ?? {};
  const windows = new Map();  // key -> {start, count}
  return (key) => {
    const now = Date.now();
    let w = windows.get(key);
    if (!w || now - w.start >= windowMs) {
      if (windows.size > 10000) windows.clear();
      w = { start: now, count: 0 };
      windows.set(key, w);
    }
    w.count++;
    const reset = Math.max(1, Math.ceil((w.start + windowMs - now) / 1000));
    const headers = { 'x-ratelimit-limit': String(limit), 'x-ratelimit-remaining': String(Math.max(0, limit - w.count)), 'x-ratelimit-reset': String(reset) };
    return w.count > limit ? { retryAfter: reset, headers, limit, windowMs } : { headers };
  };
}

/**
 * Starts Duvo-in-a-box. Options: host ('127.0.0.1'), port (0: any),
 * apiKeys ([DEMO_API_KEY, DEMO_READONLY_KEY]), rateLimit (300 per minute;
 * a number, {limit, windowMs} or false), runStepMs (1000: one run status step),
 * oauth ({autoApprove, accessTokenTtlS, refreshTokenTtlS}, or false: API keys only),
 * mcpMode ('json' or 'sse': how /v2/mcp answers POSTs), legacyToolCount (380:
 * the /v1/mcp catalog, the API's tools plus integration tools, in pages of 100).
 * Resolves with { url (origin), mcpUrl, legacyMcpUrl, restUrl, openapiUrl,
 * apiKey, readOnlyKey, tools, rest, auth, log, sessionCount(), close() }.
 */
export async function startDuvo({ host = '127.0.0.1', port = 0, apiKeys = [DEMO_API_KEY, DEMO_READONLY_KEY], rateLimit = { limit: 300, windowMs: 60000 },
  runStepMs = 1000, oauth = {}, mcpMode = 'json', legacyToolCount = 380 } = {}) {
  if (mcpMode !== 'json' && mcpMode !== 'sse') throw new Error(`mcpMode must be json or sse, not ${mcpMode}`);
  const keys = keyTable(apiKeys);
  const limited = rateLimiter(rateLimit);
  const rest = createDuvoRest({ runStepMs });
  const toolSet = await makeToolSet(rest.document, { legacyToolCount });
  const sessions = new Map();        // streamable session id -> { transport, owner }
  const legacySessions = new Map();  // legacy session id -> { transport, owner }
  const log = [];
  let origin, auth = null;

  const http = createServer((req, res) => {
    handle(req, res).catch((e) => {
      if (!res.headersSent) send(res, 500, { error: 'internal', message: e.message });
      else res.destroy();
    });
  });

  async function handle(req, res) {
    const url = new URL(req.url, origin);
    const entry = { method: req.method, path: url.pathname, headers: { ...req.headers } };
    log.push(entry);
    if (log.length > MAX_LOG) log.shift();
    res.once('finish', () => { entry.status = res.statusCode; });
    const body = lazyBody(req);

    if (auth && (await auth.handle(req, res, url, async () => { const b = await body(); return b === TOO_BIG ? '' : b.toString('utf8'); }))) return;
    if (url.pathname === '/openapi.json' && req.method === 'GET') {
      return send(res, 200, { ...rest.document, servers: [{ url: origin, description: 'Duvo-in-a-box' }] });
    }
    if (url.pathname === '/' && req.method === 'GET') {
      return send(res, 200, { name: 'Duvo-in-a-box', mcp: `${origin}/v2/mcp`, legacy_mcp: `${origin}/v1/mcp`, rest: origin, openapi: `${origin}/openapi.json`, tools: toolSet.tools.length });
    }
    const isMcp = url.pathname === '/v2/mcp' || url.pathname === '/v1/mcp' || url.pathname === '/v1/mcp/messages';
    if (!isMcp && !/^\/v[12]\//.test(url.pathname)) return send(res, 404, { error: 'not_found', message: `nothing at ${url.pathname}` });

    const resource = url.pathname === '/v2/mcp' ? `${origin}/v2/mcp` : isMcp ? `${origin}/v1/mcp` : origin;
    const principal = authenticate(req, resource);
    entry.principal = principal?.id;
    if (!principal) {
      await body();
      const presented = /^Bearer\s+\S/i.test(req.headers.authorization ?? '');
      const challenge = [auth ? `Bearer resource_metadata="${origin}/.well-known/oauth-protected-resource${new URL(resource).pathname.replace(/\/$/, '')}"` : 'Bearer realm="duvo"'];
      if (presented) challenge.push('error="invalid_token"', 'error_description="the key or token is unknown, expired or for another audience"');
      return send(res, 401, { error: 'unauthorized', message: presented ? 'The API key or token is invalid, expired or for another audience: sign in again or make a new key.' : 'Authentication required: send Authorization: Bearer <API key or token>.' },
        { 'www-authenticate': challenge.join(', ') });
    }

    if (!isMcp) {
      const text = await body();
      if (text === TOO_BIG) return send(res, 413, { error: 'too_large', message: `request body over ${MAX_BODY} bytes` });
      if (tooMany(res, principal)) return;
      const out = await rest.dispatch({ method: req.method, target: url.pathname + url.search, headers: req.headers, body: text, principal });
      res.writeHead(out.status, out.headers);
      return res.end(out.body === null ? undefined : JSON.stringify(out.body));
    }

    req.auth = { token: principal.token, clientId: principal.id, scopes: [...principal.scopes], extra: { principal } };
    if (url.pathname === '/v1/mcp') return legacyStream(req, res, principal);
    if (req.method !== 'POST' && req.method !== 'GET' && req.method !== 'DELETE') return send(res, 405, { error: 'method_not_allowed', message: `${req.method} is not allowed here` }, { allow: 'GET, POST, DELETE' });
    let message;
    if (req.method === 'POST') {
      const text = await body();
      if (text === TOO_BIG) return rpcError(res, 413, -32600, `Request body over ${MAX_BODY} bytes`);
      try { message = JSON.parse(text.toString('utf8')); } catch { return rpcError(res, 400, -32700, 'Parse error'); }
      if (message?.method === 'tools/call') {
        if (tooMany(res, principal)) return;
        const name = String(message.params?.name);
        const scope = toolSet.scopeOf(name);
        if (scope && !principal.scopes.has(scope)) {
          return send(res, 403, { error: 'forbidden', message: `${name} needs the ${scope} scope, which this ${principal.kind === 'key' ? 'API key' : 'sign-in'} does not have` });
        }
      }
    }
    if (url.pathname === '/v1/mcp/messages') return legacyPost(req, res, url, principal, message);
    return streamable(req, res, principal, message);
  }

  function authenticate(req, resource) {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
    if (!m) return null;
    const scopes = keys.get(m[1]);
    if (scopes) return { kind: 'key', id: `key:${createHash('sha256').update(m[1]).digest('base64url').slice(0, 16)}`, rateKey: m[1], token: m[1], scopes };
    const t = auth?.verify(m[1], resource);
    return t ? { kind: 'oauth', id: `oauth:${t.clientId}`, rateKey: `oauth:${t.clientId}`, token: m[1], scopes: t.scopes } : null;
  }

  function tooMany(res, principal) {
    const r = limited(principal.rateKey);
    if (!r) return false;
    for (const [k, v] of Object.entries(r.headers)) res.setHeader(k, v);
    if (!r.retryAfter) return false;
    send(res, 429, { error: 'rate_limited', message: `Rate limit of ${r.limit} requests per ${r.windowMs / 1000} s exceeded; retry after ${r.retryAfter} s.` },
      { 'retry-after': String(r.retryAfter) });
    return true;
  }

  async function streamable(req, res, principal, message) {
    const sid = req.headers['mcp-session-id'];
    const s = sid && sessions.get(sid);
    if (sid && (!s || s.owner !== principal.id)) return rpcError(res, 404, -32001, 'Session not found');
    let transport = s?.transport;
    if (!transport) {
      if (req.method !== 'POST' || message?.method !== 'initialize') return rpcError(res, 400, -32000, 'Bad Request: no session id');
      if (sessions.size >= MAX_SESSIONS) return rpcError(res, 503, -32000, 'Too many sessions');
      transport = new StreamableHTTPServerTransport({
        sessionIdGenerator: randomUUID,
        enableJsonResponse: mcpMode === 'json',
        onsessioninitialized: (id) => sessions.set(id, { transport, owner: principal.id }),
      });
      transport.onclose = () => sessions.delete(transport.sessionId);
      await makeMcpServer(toolSet, rest).connect(transport);
    }
    await transport.handleRequest(req, res, message);
  }

  // Legacy HTTP+SSE (2024-11-05): GET opens the stream, whose first event
  // names the POST endpoint; a POST to /v1/mcp itself is 405 (clients fall back).
  async function legacyStream(req, res, principal) {
    if (req.method !== 'GET') return send(res, 405, { error: 'method_not_allowed', message: '/v1/mcp is the legacy HTTP+SSE endpoint: GET it for the event stream (new connections use /v2/mcp)' }, { allow: 'GET' });
    if (legacySessions.size >= MAX_SESSIONS) return send(res, 503, { error: 'unavailable', message: 'too many sessions' });
    const transport = new SSEServerTransport('/v1/mcp/messages', res);
    legacySessions.set(transport.sessionId, { transport, owner: principal.id });
    transport.onclose = () => legacySessions.delete(transport.sessionId);
    await makeMcpServer(toolSet, rest, { legacy: true }).connect(transport);
  }

  async function legacyPost(req, res, url, principal, message) {
    if (req.method !== 'POST') return send(res, 405, { error: 'method_not_allowed', message: 'POST messages here' }, { allow: 'POST' });
    const s = legacySessions.get(url.searchParams.get('sessionId') ?? '');
    if (!s || s.owner !== principal.id) return send(res, 404, { error: 'not_found', message: 'Session not found' });
    await s.transport.handlePostMessage(req, res, message);
  }

  await new Promise((resolve, reject) => {
    http.once('error', reject);
    http.listen(port, host, resolve);
  });
  const addr = http.address();
  origin = `http://${addr.family === 'IPv6' ? `[${addr.address}]` : addr.address}:${addr.port}`;
  if (oauth !== false) auth = createAuthServer({ origin, resources: [`${origin}/v2/mcp`, `${origin}/v1/mcp`, origin], ...oauth });

  return {
    url: origin,
    mcpUrl: `${origin}/v2/mcp`,
    legacyMcpUrl: `${origin}/v1/mcp`,
    restUrl: origin,
    openapiUrl: `${origin}/openapi.json`,
    apiKey: [...keys].find(([, s]) => s.has('write'))?.[0],
    readOnlyKey: [...keys].find(([, s]) => !s.has('write'))?.[0],
    tools: toolSet.tools,
    diagnostics: toolSet.diagnostics,
    rest,
    auth,
    log,
    sessionCount: () => sessions.size + legacySessions.size,
    async close() {
      rest.close();
      await Promise.allSettled([...sessions.values(), ...legacySessions.values()].map((s) => s.transport.close()));
      http.closeAllConnections();
      await new Promise((resolve) => http.close(resolve));
    },
  };
}

const TOO_BIG = Symbol('too big');

// Reads the body once, on first use (bounded; read to the end so the connection stays usable).
function lazyBody(req) {
  let p;
  return () => (p ??= (async () => {
    if (req.method === 'GET' || req.method === 'HEAD') return Buffer.alloc(0);
    const chunks = [];
    let size = 0;
    for await (const c of req) {
      size += c.length;
      if (size <= MAX_BODY) chunks.push(c);
    }
    return size > MAX_BODY ? TOO_BIG : Buffer.concat(chunks);
  })());
}

function send(res, status, obj, headers = {}) {
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(obj));
}

function rpcError(res, status, code, message) {
  send(res, status, { jsonrpc: '2.0', error: { code, message }, id: null });
}

/// `node demo/duvo/server.mjs [--port N] [--mode json|sse] [--step-ms N] [--auto-approve]`.
export function parseDuvoArgs(argv) {
  const o = { port: 0 };
  const value = (i) => {
    if (i + 1 >= argv.length) throw new Error(`${argv[i]} needs a value`);
    return argv[i + 1];
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--port') o.port = Number(value(i++));
    else if (a === '--mode') o.mcpMode = value(i++);
    else if (a === '--step-ms') o.runStepMs = Number(value(i++));
    else if (a === '--auto-approve') o.oauth = { autoApprove: true };
    else throw new Error(`unknown argument ${a} (use --port N --mode json|sse --step-ms N --auto-approve)`);
  }
  if (!Number.isInteger(o.port) || o.port < 0 || o.port > 65535) throw new Error('bad --port');
  if (o.runStepMs !== undefined && !(o.runStepMs >= 0)) throw new Error('bad --step-ms');
  return o;
}

/// Runs Duvo-in-a-box until SIGINT/SIGTERM; prints its MCP URL on stdout, the rest on stderr.
export async function runDuvoCli(argv) {
  let opts;
  try { opts = parseDuvoArgs(argv); } catch (e) { console.error(e.message); process.exit(2); }
  const srv = await startDuvo(opts);
  console.log(srv.mcpUrl);
  console.error(`Duvo-in-a-box: ${srv.tools.length} tools at ${srv.mcpUrl} (legacy ${srv.legacyMcpUrl}), REST at ${srv.restUrl}/v1/...`);
  console.error(`API key: ${srv.apiKey}   read-only key: ${srv.readOnlyKey}   or sign in with OAuth (${srv.url}/.well-known/oauth-authorization-server)`);
  const stop = () => srv.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return srv;
}

if (import.meta.url === `file://${process.argv[1]}`) await runDuvoCli(process.argv.slice(2));
