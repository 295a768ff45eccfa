// A programmable HTTP peer on 127.0.0.1 for the fault, security and CORS
// suites: a proxy in front of a real SDK server (servers/sdk-server.mjs)
// whose answers a test can replace, one request at a time; plus a small
// OAuth 2.1 authorization server (loopback http) for the auth faults.
//
//   const peer = await startFaultPeer({ upstream: await startServer({ mode: 'json' }) });
//   peer.on({ rpc: 'tools/call' }, async (ctx) => sse(ctx.res, [...]));   // next matching request only
//   peer.url, peer.log, peer.rules(), await peer.close()
import { createServer, request as httpRequest } from 'node:http';
import { createHash, randomBytes } from 'node:crypto';

const MAX_BODY = 1 << 20;
const MAX_LOG = 2000;

/// Starts the peer. upstream: a server with `url` (and forgetSessions());
/// every request no rule claims is proxied there, streaming. cors: see
/// corsHeaders(). auth: an auth server from startAuthServer(): /mcp then
/// needs one of its access tokens (401 with a resource_metadata challenge).
export async function startFaultPeer({ upstream, cors, auth } = {}) {
  const rules = [];
  const log = [];
  const sockets = new Set();
  let peerUrl;

  const http = createServer(async (req, res) => {
    const path = new URL(req.url, 'http://x').pathname;
    const body = await readBody(req);
    const rpc = parseRpc(body);
    const entry = { method: req.method, path, headers: { ...req.headers }, rpc: rpc && { method: rpc.method, id: rpc.id } };
    log.push(entry);
    if (log.length > MAX_LOG) log.shift();
    if (cors) {
      for (const [k, v] of Object.entries(corsHeaders(cors, req))) res.setHeader(k, v);
      if (req.method === 'OPTIONS') return res.writeHead(204).end();
    }
    if (auth && path.startsWith('/.well-known/oauth-protected-resource')) {
      const doc = { resource: peerUrl, authorization_servers: [auth.issuer], scopes_supported: ['mcp'] };
      return sendJson(res, 200, api.tweakPrm ? api.tweakPrm(doc) : doc);
    }
    const ctx = { req, res, body, rpc, path, entry, forward: () => forward(upstream.url, req, body), closed: closedPromise(res) };
    const i = rules.findIndex((r) => r.match(ctx));
    if (i >= 0) {
      const rule = rules[i];
      if (--rule.times <= 0) rules.splice(i, 1);
      try {
        await rule.handler(ctx);
      } catch (e) {
        if (!res.headersSent) sendJson(res, 500, { error: String(e?.message ?? e) });
        else res.destroy();
      }
      return;
    }
    if (auth && path === '/mcp') {
      const m = /^Bearer (.+)$/.exec(req.headers.authorization ?? '');
      if (!m || !auth.accepts(m[1])) {
        res.writeHead(401, { 'www-authenticate': `Bearer resource_metadata="${new URL(peerUrl).origin}/.well-known/oauth-protected-resource/mcp"`,
          'content-type': 'application/json' });
        return res.end(JSON.stringify({ error: 'invalid_token' }));
      }
    }
    pipe(upstream.url, req, res, body);
  });
  http.on('connection', (s) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
  await new Promise((resolve, reject) => { http.once('error', reject); http.listen(0, '127.0.0.1', resolve); });
  peerUrl = `http://127.0.0.1:${http.address().port}/mcp`;

  const api = {
    url: peerUrl,
    origin: new URL(peerUrl).origin,
    /// auth: a function(doc) -> doc that changes the protected-resource metadata.
    tweakPrm: null,
    log,
    upstream,
    /// Claims the next `times` requests that match: {http: 'POST', rpc: 'tools/call', path} or a function(ctx).
    on(match, handler, { times = 1 } = {}) {
      const fn = typeof match === 'function' ? match : (ctx) =>
        (!match.http || ctx.req.method === match.http) && (!match.path || ctx.path === match.path) &&
        (!match.rpc || ctx.rpc?.method === match.rpc);
      rules.push({ match: fn, handler, times });
    },
    pendingRules: () => rules.length,
    clearRules: () => { rules.length = 0; },
    openSockets: () => sockets.size,
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => http.close(resolve));
    },
  };
  return api;
}

/// CORS headers for `cors`: {allowOrigin: true (echo) | '*' | false,
/// allowHeaders: [...] | '*', exposeHeaders: [...], allowMethods: [...]}.
export function corsHeaders(cors, req) {
  const h = {};
  if (cors.allowOrigin) h['access-control-allow-origin'] = cors.allowOrigin === true ? (req.headers.origin ?? '*') : cors.allowOrigin;
  if (req.method === 'OPTIONS') {
    const allow = cors.allowHeaders === '*' ? (req.headers['access-control-request-headers'] ?? '') : (cors.allowHeaders ?? []).join(', ');
    if (allow) h['access-control-allow-headers'] = allow;
    h['access-control-allow-methods'] = (cors.allowMethods ?? ['GET', 'POST', 'DELETE']).join(', ');
    h['access-control-max-age'] = '0';
  } else if (cors.exposeHeaders?.length) {
    h['access-control-expose-headers'] = cors.exposeHeaders.join(', ');
  }
  return h;
}

/// Writes an SSE answer: events are {id, retry, event, data (string or object)}
/// or raw strings. end=false leaves the stream open; cut=N sends only the
/// first N bytes and then destroys the connection (a drop mid-event).
export function sse(res, events, { status = 200, headers = {}, end = true, cut } = {}) {
  let text = '';
  for (const e of events) {
    if (typeof e === 'string') { text += e; continue; }
    if (e.id !== undefined) text += `id: ${e.id}\n`;
    if (e.retry !== undefined) text += `retry: ${e.retry}\n`;
    if (e.event) text += `event: ${e.event}\n`;
    text += `data: ${typeof e.data === 'string' ? e.data : JSON.stringify(e.data)}\n\n`;
  }
  res.writeHead(status, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', ...headers });
  if (cut !== undefined) {
    res.write(text.slice(0, cut), () => setTimeout(() => res.destroy(), 20));
    return;
  }
  res.write(text);
  if (end) res.end();
}

export function sendJson(res, status, value, headers = {}) {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(text);
}

/// The JSON-RPC answer to `rpc` with `result`.
export function answer(rpc, result) { return { jsonrpc: '2.0', id: rpc.id, result }; }

function closedPromise(res) {
  return new Promise((resolve) => res.on('close', () => resolve(!res.writableFinished)));
}

async function readBody(req) {
  const chunks = [];
  let size = 0;
  for await (const c of req) {
    size += c.length;
    if (size <= MAX_BODY) chunks.push(c);
  }
  return Buffer.concat(chunks);
}

function parseRpc(body) {
  if (!body.length) return null;
  try {
    const v = JSON.parse(body.toString('utf8'));
    return v && typeof v === 'object' && !Array.isArray(v) ? v : null;
  } catch { return null; }
}

function upstreamOptions(url, req, body) {
  const u = new URL(url);
  const headers = { ...req.headers, host: u.host };
  delete headers['content-length'];
  delete headers.authorization;  // the peer checked it; the SDK server takes none
  if (body.length) headers['content-length'] = String(body.length);
  return { host: u.hostname, port: u.port, path: u.pathname, method: req.method, headers };
}

// Streams the request to the upstream and its answer back (SSE included).
function pipe(url, req, res, body) {
  const up = httpRequest(upstreamOptions(url, req, body), (r) => {
    const headers = { ...r.headers };
    res.writeHead(r.statusCode, headers);
    r.pipe(res);
    res.on('close', () => r.destroy());
  });
  up.on('error', () => res.destroy());
  res.on('close', () => up.destroy());
  up.end(body);
}

/// The upstream's whole answer: {status, headers, text, json}. In SSE mode
/// `json` is the last event's data.
export function forward(url, req, body) {
  return new Promise((resolve, reject) => {
    const up = httpRequest(upstreamOptions(url, req, body), async (r) => {
      const chunks = [];
      for await (const c of r) chunks.push(c);
      const text = Buffer.concat(chunks).toString('utf8');
      let json = null;
      try {
        json = JSON.parse(/^data: (.*)$/m.test(text) ? [...text.matchAll(/^data: (.*)$/mg)].pop()[1] : text);
      } catch { /* not JSON */ }
      resolve({ status: r.statusCode, headers: r.headers, text, json });
    });
    up.on('error', reject);
    up.end(body);
  });
}

/// A small OAuth 2.1 authorization server on 127.0.0.1 (RFC 8414 metadata,
/// RFC 7591 registration, authorization code + PKCE S256 answered at once
/// with a 302, refresh tokens rotated on use). `tweak` lets a test change
/// its documents, redirects and grants: {metadata(m), callback(params), token(grant) -> error code}.
export async function startAuthServer({ tokenTtlS = 3600 } = {}) {
  const codes = new Map();     // code -> {challenge, clientId, redirectUri}
  const access = new Set();
  const refresh = new Map();   // refresh token -> client id
  const clients = new Map();   // client id -> secret
  const grants = [];           // every token request: {grant_type, ok}
  const issued = [];           // every secret seen or handed out (codes, verifiers, tokens, client secrets)
  const log = [];
  const tweak = {};
  let issuer;
  const http = createServer(async (req, res) => {
    const u = new URL(req.url, 'http://x');
    const body = (await readBody(req)).toString('utf8');
    log.push({ method: req.method, path: u.pathname, headers: { ...req.headers }, body });
    if (u.pathname === '/.well-known/oauth-authorization-server' || u.pathname === '/.well-known/openid-configuration') {
      let m = {
        issuer, authorization_endpoint: `${issuer}/authorize`, token_endpoint: `${issuer}/token`,
        registration_endpoint: `${issuer}/register`, response_types_supported: ['code'],
        grant_types_supported: ['authorization_code', 'refresh_token'], code_challenge_methods_supported: ['S256'],
        token_endpoint_auth_methods_supported: ['none', 'client_secret_post', 'client_secret_basic'],
        authorization_response_iss_parameter_supported: true,
      };
      if (tweak.metadata) m = tweak.metadata(m);
      return sendJson(res, 200, m);
    }
    if (u.pathname === '/register' && req.method === 'POST') {
      const meta = JSON.parse(body || '{}');
      const id = 'client-' + randomBytes(6).toString('hex');
      const secret = 'secret-' + randomBytes(12).toString('hex');
      clients.set(id, secret);
      issued.push(secret);
      return sendJson(res, 201, { ...meta, client_id: id, client_secret: secret, token_endpoint_auth_method: 'client_secret_post' });
    }
    if (u.pathname === '/authorize') {
      const p = u.searchParams;
      const code = 'code-' + randomBytes(12).toString('hex');
      issued.push(code);
      codes.set(code, { challenge: p.get('code_challenge'), clientId: p.get('client_id'), redirectUri: p.get('redirect_uri') });
      let params = { code, state: p.get('state'), iss: issuer };
      if (tweak.callback) params = tweak.callback(params);
      const to = new URL(p.get('redirect_uri'));
      for (const [k, v] of Object.entries(params)) if (v != null) to.searchParams.set(k, v);
      res.writeHead(302, { location: to.href }).end();
      return;
    }
    if (u.pathname === '/token' && req.method === 'POST') {
      const p = new URLSearchParams(body);
      const grant = p.get('grant_type');
      const fail = (error) => { grants.push({ grant, ok: false }); sendJson(res, 400, { error }); };
      const refused = tweak.token?.(grant);  // a test makes this grant fail with this error code
      if (refused) return fail(refused);
      if (clients.has(p.get('client_id')) && clients.get(p.get('client_id')) !== p.get('client_secret')) return fail('invalid_client');
      if (grant === 'authorization_code') {
        const c = codes.get(p.get('code'));
        codes.delete(p.get('code'));
        const verifier = p.get('code_verifier') ?? '';
        issued.push(verifier);
        const s256 = createHash('sha256').update(verifier).digest('base64url');
        if (!c || c.challenge !== s256 || c.redirectUri !== p.get('redirect_uri')) return fail('invalid_grant');
      } else if (grant === 'refresh_token') {
        if (!refresh.has(p.get('refresh_token'))) return fail('invalid_grant');
        refresh.delete(p.get('refresh_token'));  // rotated: each refresh token works once
      } else {
        return fail('unsupported_grant_type');
      }
      const token = 'at-' + randomBytes(16).toString('hex');
      const rt = 'rt-' + randomBytes(16).toString('hex');
      access.add(token);
      refresh.set(rt, p.get('client_id'));
      issued.push(token, rt);
      grants.push({ grant, ok: true });
      return sendJson(res, 200, { access_token: token, token_type: 'Bearer', expires_in: tokenTtlS, refresh_token: rt, scope: 'mcp' },
        { 'cache-control': 'no-store' });
    }
    sendJson(res, 404, { error: 'not found' });
  });
  await new Promise((resolve, reject) => { http.once('error', reject); http.listen(0, '127.0.0.1', resolve); });
  issuer = `http://127.0.0.1:${http.address().port}`;
  return {
    issuer, log, grants, tweak,
    accepts: (t) => access.has(t),
    /// Every access token stops working (as after expiry or a restart of the AS's store).
    revokeAll: () => access.clear(),
    /// Every secret this server handed out (for the no-secret-in-errors scan).
    secrets: () => issued.filter((s) => s.length >= 8),
    close: () => { http.closeAllConnections(); return new Promise((resolve) => http.close(resolve)); },
  };
}
