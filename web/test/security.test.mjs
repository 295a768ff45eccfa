// Security: credentials go to their own origin only (redirects included),
// OAuth endpoints must be https unless loopback, the authorization callback's
// `state` and `iss` are checked, and no secret (token, refresh token, client
// secret, code, PKCE verifier, API key) appears in any error, state event or
// trace these tests produce (every one is collected and scanned at the end).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Client, memoryStorage, headlessRedirect, McpError } from 'mcp-wasm';
import { startServer } from './servers/sdk-server.mjs';
import { startFaultPeer, startAuthServer } from './servers/fault-peer.mjs';
import { settlesWithin } from './helpers.mjs';

const T = { timeout: 30000 };
const API_KEY = 'sk-h8-very-secret-api-key-000111';
let upstream, as, mcp, elsewhere;
const emitted = [];   // every error, trace record and state event of this file
const secrets = new Set([API_KEY]);

before(async () => {
  upstream = await startServer({ mode: 'json' });
  as = await startAuthServer();
  mcp = await startFaultPeer({ upstream, auth: as });
  elsewhere = await startFaultPeer({ upstream });  // another origin (another port), no auth
});
after(async () => {
  for (const s of [mcp, elsewhere, as, upstream]) await s?.close();
});

/// Client options that record everything the client emits, and every request it makes.
function observed(extra = {}) {
  const requests = [];
  return {
    requests,
    options: {
      timeoutMs: 5000, listen: false,
      onTrace: (t) => emitted.push(t), onStateChange: (s) => emitted.push(s),
      fetch: (input, init) => { requests.push({ url: String(input), headers: { ...init?.headers } }); return fetch(input, init); },
      ...extra,
    },
  };
}

function oauthOptions(storage = memoryStorage()) {
  return { redirectUri: 'http://localhost:3000/callback', onAuthorize: headlessRedirect(), storage };
}

async function settle(p) {
  try { return { ok: true, value: await settlesWithin(p, 10000, 'call') }; } catch (error) {
    if (/did not settle/.test(error.message)) throw error;
    emitted.push(error);
    return { ok: false, error };
  }
}

/// `location` for the next tools/call: a 307 to `to` (same path).
function redirectNextCall(peer, to) {
  peer.on({ rpc: 'tools/call' }, (ctx) => ctx.res.writeHead(307, { location: to }).end());
}

test('a static API key is not sent across a 307 to another origin (and is, to the same origin)', T, async () => {
  const o = observed({ bearer: API_KEY });
  // The plain peer checks no token; the key must still only reach its own origin.
  const client = await Client.connect(elsewhere.url, o.options);
  const target = await startFaultPeer({ upstream });
  try {
    const n = target.log.length;
    redirectNextCall(elsewhere, target.url);
    const r = await settle(client.callTool('echo', { text: 'redirected' }));
    assert.equal(r.value?.content[0].text, 'redirected', r.error?.message);
    const there = target.log.slice(n);
    assert.equal(there.length, 1, 'the redirect was followed');
    assert.equal(there[0].headers.authorization, undefined, 'no Authorization on the other origin');
    assert.ok(!JSON.stringify(there).includes(API_KEY), 'the key appears nowhere in what the other origin got');
    // Control: a 307 within the origin keeps it (so the check above can fail).
    const m = elsewhere.log.length;
    elsewhere.on({ rpc: 'tools/call' }, (ctx) => ctx.res.writeHead(307, { location: elsewhere.url + '?again=1' }).end());
    assert.equal((await settle(client.callTool('echo', { text: 'same origin' }))).value?.content[0].text, 'same origin');
    const again = elsewhere.log.slice(m).filter((x) => x.rpc?.method === 'tools/call');
    assert.equal(again.length, 2);
    assert.equal(again[1].headers.authorization, `Bearer ${API_KEY}`);
  } finally {
    await client.close();
    await target.close();
  }
});

test('OAuth: the access token goes to the MCP origin only; the AS and a redirect target never see it', T, async () => {
  const o = observed({ oauth: oauthOptions() });
  const client = await Client.connect(mcp.url, o.options);
  const target = await startFaultPeer({ upstream });
  try {
    const token = /^Bearer (.+)$/.exec(mcp.log.at(-1).headers.authorization ?? '')?.[1];
    assert.ok(token && as.accepts(token), 'signed in');
    redirectNextCall(mcp, target.url);
    const r = await settle(client.callTool('echo', { text: 'x' }));
    assert.ok(r.ok || r.error instanceof McpError);
    const asOrigin = new URL(as.issuer).origin;
    for (const req of o.requests) {
      const auth = req.headers.Authorization ?? req.headers.authorization;
      if (auth) assert.equal(new URL(req.url).origin, mcp.origin, `Authorization sent to ${req.url}`);
    }
    assert.ok(!as.log.some((x) => JSON.stringify(x).includes(token)), 'the AS never got the access token');
    assert.ok(!target.log.some((x) => JSON.stringify(x).includes(token)), 'the redirect target never got it');
    assert.ok(!mcp.log.some((x) => as.secrets().some((s) => s.startsWith('rt-') && JSON.stringify(x).includes(s))),
      'the MCP server never got a refresh token');
    assert.ok(o.requests.some((x) => new URL(x.url).origin === asOrigin), 'the AS was used');
  } finally {
    await client.close();
    await target.close();
  }
});

for (const [what, tweak] of [
  ['token endpoint', (m) => ({ ...m, token_endpoint: 'http://auth.example.test/token' })],
  ['authorization endpoint', (m) => ({ ...m, authorization_endpoint: 'http://auth.example.test/authorize' })],
  ['registration endpoint', (m) => ({ ...m, registration_endpoint: 'http://auth.example.test/register' })],
]) {
  test(`OAuth: a plain-http ${what} that is not loopback is refused, never contacted`, T, async () => {
    as.tweak.metadata = tweak;
    const o = observed({ oauth: oauthOptions() });
    try {
      const r = await settle(Client.connect(mcp.url, o.options));
      assert.ok(!r.ok, 'connect must fail');
      assert.equal(r.error.code, 'auth.insecure_endpoint', r.error.message);
      assert.ok(!o.requests.some((x) => x.url.includes('example.test')), 'nothing was sent there');
    } finally {
      as.tweak.metadata = null;
    }
  });
}

test('OAuth: a protected resource naming a plain-http, non-loopback authorization server is refused', T, async () => {
  mcp.tweakPrm = (doc) => ({ ...doc, authorization_servers: ['http://auth.example.test'] });
  const o = observed({ oauth: oauthOptions() });
  try {
    const r = await settle(Client.connect(mcp.url, o.options));
    assert.equal(r.error?.code, 'auth.insecure_endpoint', r.error?.message);
    assert.ok(!o.requests.some((x) => x.url.includes('example.test')));
  } finally {
    mcp.tweakPrm = null;
  }
});

for (const [what, callback, code] of [
  ['a forged state', (p) => ({ ...p, state: 'forged-state' }), 'auth.state_mismatch'],
  ['no state', (p) => ({ ...p, state: null }), 'auth.state_mismatch'],
  ['another issuer (iss)', (p) => ({ ...p, iss: 'http://127.0.0.1:9/' }), 'auth.issuer_mismatch'],
  ['no iss although the AS promises it (RFC 9207)', (p) => ({ ...p, iss: null }), 'auth.issuer_mismatch'],
]) {
  test(`OAuth: a callback with ${what} is refused and its code never exchanged`, T, async () => {
    as.tweak.callback = callback;
    const o = observed({ oauth: oauthOptions() });
    const before = as.grants.length;
    try {
      const r = await settle(Client.connect(mcp.url, o.options));
      assert.ok(!r.ok, 'connect must fail');
      assert.equal(r.error.code, code, r.error.message);
      assert.deepEqual(as.grants.slice(before), [], 'no token request');
    } finally {
      as.tweak.callback = null;
    }
  });
}

test('OAuth: a refused refresh and a refused sign-in report errors without secrets', T, async () => {
  const storage = memoryStorage();
  const o = observed({ oauth: oauthOptions(storage) });
  const client = await Client.connect(mcp.url, o.options);
  try {
    as.revokeAll();
    as.tweak.token = () => 'invalid_grant';  // the refresh and the new sign-in's code exchange both fail
    const before = as.grants.length;
    const r = await settle(client.callTool('echo', { text: 'x' }));
    assert.ok(!r.ok && r.error instanceof McpError, 'the call fails with a typed error');
    assert.equal(r.error.code, 'auth.token_error', r.error.message);
    assert.deepEqual(as.grants.slice(before).map((g) => g.grant), ['refresh_token', 'authorization_code']);
  } finally {
    as.tweak.token = null;
    await client.close();
  }
});

test('no secret appears in any error, state event or trace of this file (or of the failures above)', () => {
  for (const s of as.secrets()) secrets.add(s);
  assert.ok(secrets.size > 5, 'the scan has secrets to look for');
  assert.ok(emitted.length > 50, `the scan has material: ${emitted.length} records`);
  const leaks = (records) => {
    const text = JSON.stringify(records.map((e) => (e instanceof Error ? { name: e.name, message: e.message, data: e.data, stack: e.stack } : e)));
    return [...secrets].filter((s) => text.includes(s)).map((s) => `${s.slice(0, 6)}...`);
  };
  assert.deepEqual(leaks([new McpError('x', { data: { token: [...secrets].at(-1) } })]).length, 1, 'the scan finds a planted secret');
  assert.deepEqual(leaks(emitted), []);
});
