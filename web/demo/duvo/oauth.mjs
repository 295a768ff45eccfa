// Duvo-in-a-box's own small OAuth 2.1 authorization server, so hosts that
// sign a person in can be tried end to end:
//   RFC 9728 protected-resource metadata (/.well-known/oauth-protected-resource/<resource path>),
//   RFC 8414 metadata (/.well-known/oauth-authorization-server),
//   RFC 7591 Dynamic Client Registration (/oauth/register),
//   authorization code + PKCE S256 (/oauth/authorize) with RFC 9207 `iss`,
//   tokens and rotating refresh tokens (/oauth/token), RFC 7009 revocation (/oauth/revoke).
// `autoApprove: true` (tests, headless demos) answers /oauth/authorize with the
// redirect at once; otherwise a consent page with Allow / Deny is shown.
import { createHash, randomBytes } from 'node:crypto';

export const SCOPES = ['read', 'write'];
const MAX_ENTRIES = 10000;
const CODE_TTL_MS = 60000;

const b64url = (buf) => Buffer.from(buf).toString('base64url');
const token = (prefix) => prefix + randomBytes(24).toString('base64url');
const escapeHtml = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function remember(map, key, value) {
  if (map.size >= MAX_ENTRIES) map.delete(map.keys().next().value);
  map.set(key, value);
}

/// origin: "http://127.0.0.1:PORT"; resources: the protected resources (full URLs).
/// registration: false leaves Dynamic Client Registration out (hosts must be
/// pre-registered: `clients`, [{client_id, client_secret?, redirect_uris}]).
export function createAuthServer({ origin, resources, autoApprove = false, accessTokenTtlS = 3600, refreshTokenTtlS = 30 * 86400, scopes = SCOPES,
  registration = true, clients: preRegistered = [] }) {
  const clients = new Map(preRegistered.map((c) => [c.client_id, { token_endpoint_auth_method: c.client_secret ? 'client_secret_basic' : 'none', ...c }]));
  const codes = new Map();     // code -> grant
  const access = new Map();    // access token -> { clientId, scopes, resource, expiresAt }
  const refresh = new Map();   // refresh token -> { clientId, scopes, resource, expiresAt }
  const stats = { registrations: 0, authorizations: 0, tokens: 0, refreshes: 0, revocations: 0 };

  const metadata = {
    issuer: origin,
    authorization_endpoint: `${origin}/oauth/authorize`,
    token_endpoint: `${origin}/oauth/token`,
    ...(registration ? { registration_endpoint: `${origin}/oauth/register` } : {}),
    revocation_endpoint: `${origin}/oauth/revoke`,
    response_types_supported: ['code'],
    response_modes_supported: ['query'],
    grant_types_supported: ['authorization_code', 'refresh_token'],
    code_challenge_methods_supported: ['S256'],
    token_endpoint_auth_methods_supported: ['none', 'client_secret_post', 'client_secret_basic'],
    revocation_endpoint_auth_methods_supported: ['none', 'client_secret_post', 'client_secret_basic'],
    scopes_supported: scopes,
    authorization_response_iss_parameter_supported: true,
  };

  /// The resource URL a well-known path describes, or null.
  function resourceFor(pathname) {
    const prefix = '/.well-known/oauth-protected-resource';
    if (!pathname.startsWith(prefix)) return null;
    const want = origin + pathname.slice(prefix.length);
    return resources.find((r) => r === want || (want === origin && r === origin + '/')) ?? null;
  }

  function issue(grant) {
    const at = token('duvo_at_');
    const now = Date.now();
    remember(access, at, { clientId: grant.clientId, scopes: grant.scopes, resource: grant.resource, expiresAt: now + accessTokenTtlS * 1000 });
    const rt = token('duvo_rt_');
    remember(refresh, rt, { clientId: grant.clientId, scopes: grant.scopes, resource: grant.resource, expiresAt: now + refreshTokenTtlS * 1000 });
    stats.tokens++;
    return { access_token: at, token_type: 'Bearer', expires_in: accessTokenTtlS, refresh_token: rt, scope: grant.scopes.join(' ') };
  }

  // Client authentication at the token and revocation endpoints (RFC 6749 §2.3).
  function authenticateClient(req, form) {
    let id = form.get('client_id'), secret = form.get('client_secret');
    const basic = /^Basic (.+)$/i.exec(req.headers.authorization ?? '');
    if (basic) {
      const [u, p = ''] = Buffer.from(basic[1], 'base64').toString('utf8').split(/:(.*)/s);
      id = decodeURIComponent(u);
      secret = decodeURIComponent(p);
    }
    const client = id && clients.get(id);
    if (!client) return null;
    if (client.token_endpoint_auth_method !== 'none' && client.client_secret !== secret) return null;
    return client;
  }

  function redirectWith(res, redirectUri, params) {
    const u = new URL(redirectUri);
    for (const [k, v] of Object.entries(params)) if (v != null) u.searchParams.set(k, v);
    u.searchParams.set('iss', origin);
    res.writeHead(302, { location: u.href, 'cache-control': 'no-store' }).end();
  }

  // Checks an authorization request; answers errors itself. Returns the request or null.
  function readAuthorization(res, q) {
    const client = clients.get(q.get('client_id') ?? '');
    const redirectUri = q.get('redirect_uri') ?? client?.redirect_uris[0];
    if (!client || !client.redirect_uris.includes(redirectUri)) {
      // Never redirect to a URI that was not registered (RFC 6749 §4.1.2.1).
      page(res, 400, 'Sign-in failed', 'Unknown client or redirect URI. Register the client first (Dynamic Client Registration).');
      return null;
    }
    const state = q.get('state');
    const fail = (error, description) => { redirectWith(res, redirectUri, { error, error_description: description, state }); return null; };
    if (q.get('response_type') !== 'code') return fail('unsupported_response_type', 'only response_type=code');
    if (!q.get('code_challenge') || q.get('code_challenge_method') !== 'S256') return fail('invalid_request', 'PKCE with S256 is required');
    const resource = q.get('resource');
    if (resource && !resources.includes(resource)) return fail('invalid_target', `unknown resource ${resource}`);
    const asked = (q.get('scope') ?? '').split(' ').filter(Boolean);
    const granted = asked.length ? asked.filter((s) => scopes.includes(s)) : [...scopes];
    if (asked.length && granted.length === 0) return fail('invalid_scope', `scopes are ${scopes.join(', ')}`);
    return { client, redirectUri, state, resource: resource ?? resources[0], scopes: granted, challenge: q.get('code_challenge') };
  }

  function approve(res, a) {
    const code = token('duvo_code_');
    remember(codes, code, { ...a, clientId: a.client.client_id, expiresAt: Date.now() + CODE_TTL_MS });
    stats.authorizations++;
    redirectWith(res, a.redirectUri, { code, state: a.state });
  }

  function consent(res, q, a) {
    const hidden = [...q].map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`).join('');
    page(res, 200, 'Sign in to Duvo-in-a-box',
      `<b>${escapeHtml(a.client.client_name ?? a.client.client_id)}</b> asks for: ${escapeHtml(a.scopes.join(', '))}.`,
      `<form method="post" action="/oauth/authorize">${hidden}<button name="decision" value="allow">Allow</button> <button name="decision" value="deny">Deny</button></form>`);
  }

  async function tokenEndpoint(req, res, form) {
    const client = authenticateClient(req, form);
    if (!client) return oauthError(res, 401, 'invalid_client', 'unknown client or wrong secret');
    const type = form.get('grant_type');
    if (type === 'authorization_code') {
      const grant = codes.get(form.get('code') ?? '');
      codes.delete(form.get('code') ?? '');  // single use
      if (!grant || grant.expiresAt < Date.now() || grant.clientId !== client.client_id) return oauthError(res, 400, 'invalid_grant', 'unknown, used or expired code');
      if (form.get('redirect_uri') && form.get('redirect_uri') !== grant.redirectUri) return oauthError(res, 400, 'invalid_grant', 'redirect_uri differs from the authorization request');
      const verifier = form.get('code_verifier') ?? '';
      if (b64url(createHash('sha256').update(verifier).digest()) !== grant.challenge) return oauthError(res, 400, 'invalid_grant', 'PKCE verification failed');
      if (form.get('resource') && form.get('resource') !== grant.resource) return oauthError(res, 400, 'invalid_target', 'resource differs from the authorization request');
      return json(res, 200, issue(grant));
    }
    if (type === 'refresh_token') {
      const rt = form.get('refresh_token') ?? '';
      const grant = refresh.get(rt);
      if (!grant || grant.expiresAt < Date.now() || grant.clientId !== client.client_id) return oauthError(res, 400, 'invalid_grant', 'unknown, revoked or expired refresh token');
      refresh.delete(rt);  // rotation (OAuth 2.1 §4.3.1)
      stats.refreshes++;
      return json(res, 200, issue(grant));
    }
    return oauthError(res, 400, 'unsupported_grant_type', `grant_type ${type} is not supported`);
  }

  return {
    metadata,
    stats,
    /// The caller of an access token ({ clientId, scopes: Set, resource }) or null.
    verify(accessToken, resource) {
      const t = access.get(accessToken);
      if (!t) return null;
      if (t.expiresAt < Date.now()) { access.delete(accessToken); return null; }
      if (resource && t.resource !== resource) return null;  // another audience (RFC 8707)
      return { clientId: t.clientId, scopes: new Set(t.scopes), resource: t.resource, expiresAt: t.expiresAt };
    },
    /// Tests: make every access token expire now (the refresh tokens stay).
    expireAccessTokens() { for (const t of access.values()) t.expiresAt = 0; },
    /// Handles an OAuth or well-known request; false when the path is not one of them.
    async handle(req, res, url, readBody) {
      const p = url.pathname;
      if (p === '/.well-known/oauth-authorization-server' && req.method === 'GET') return json(res, 200, metadata), true;
      const resource = resourceFor(p);
      if (resource && req.method === 'GET') {
        return json(res, 200, { resource, authorization_servers: [origin], scopes_supported: scopes,
          bearer_methods_supported: ['header'], resource_name: 'Duvo-in-a-box' }), true;
      }
      if (p === '/oauth/register' && req.method === 'POST' && registration) {
        let body;
        try { body = JSON.parse(await readBody()); } catch { return oauthError(res, 400, 'invalid_client_metadata', 'the body is not JSON'), true; }
        const uris = body?.redirect_uris;
        if (!Array.isArray(uris) || uris.length === 0 || !uris.every((u) => { try { return ['http:', 'https:'].includes(new URL(u).protocol) || /^[a-z][a-z0-9+.-]*:/.test(u); } catch { return false; } })) {
          return oauthError(res, 400, 'invalid_redirect_uri', 'redirect_uris must list absolute URIs'), true;
        }
        const method = body.token_endpoint_auth_method ?? 'client_secret_basic';
        if (!metadata.token_endpoint_auth_methods_supported.includes(method)) return oauthError(res, 400, 'invalid_client_metadata', `token_endpoint_auth_method ${method} is not supported`), true;
        const client = { ...body, client_id: token('duvo_client_'), client_id_issued_at: Math.floor(Date.now() / 1000), redirect_uris: uris,
          token_endpoint_auth_method: method, grant_types: body.grant_types ?? ['authorization_code', 'refresh_token'], response_types: ['code'] };
        if (method !== 'none') Object.assign(client, { client_secret: token('duvo_secret_'), client_secret_expires_at: 0 });
        remember(clients, client.client_id, client);
        stats.registrations++;
        return json(res, 201, client), true;
      }
      if (p === '/oauth/authorize' && req.method === 'GET') {
        const a = readAuthorization(res, url.searchParams);
        if (a) (autoApprove ? approve(res, a) : consent(res, url.searchParams, a));
        return true;
      }
      if (p === '/oauth/authorize' && req.method === 'POST') {
        const form = new URLSearchParams(await readBody());
        const a = readAuthorization(res, form);
        if (a) (form.get('decision') === 'allow' ? approve(res, a) : redirectWith(res, a.redirectUri, { error: 'access_denied', error_description: 'the user said no', state: a.state }));
        return true;
      }
      if (p === '/oauth/token' && req.method === 'POST') return await tokenEndpoint(req, res, new URLSearchParams(await readBody())), true;
      if (p === '/oauth/revoke' && req.method === 'POST') {
        const form = new URLSearchParams(await readBody());
        const client = authenticateClient(req, form);
        if (!client) return oauthError(res, 401, 'invalid_client', 'unknown client or wrong secret'), true;
        const t = form.get('token') ?? '';
        for (const map of [access, refresh]) if (map.get(t)?.clientId === client.client_id) { map.delete(t); stats.revocations++; }
        res.writeHead(200).end();
        return true;
      }
      return false;
    },
  };
}

function json(res, status, obj) {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(obj));
}

function oauthError(res, status, error, description) {
  json(res, status, { error, error_description: description });
}

function page(res, status, title, text, extra = '') {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' })
    .end(`<!doctype html><meta charset="utf-8"><title>${escapeHtml(title)}</title><h1>${escapeHtml(title)}</h1><p>${text}</p>${extra}`);
}
