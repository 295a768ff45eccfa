// REST operations called as tools (issue 6): an OpenAPI document's
// operations through the client's session against a small REST server on
// 127.0.0.1 written for these tests (and Duvo-in-a-box for OAuth): flat
// arguments to requests, HTTP errors as isError results, 429 handling,
// credentials to the MCP server's origin only, 401 flows, typed failures.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import {
  Client, ClientStateError, ValidationError, TimeoutError, AbortError, TransportError, headlessRedirect, memoryStorage,
} from 'mcp-wasm';
import { startServer } from './servers/sdk-server.mjs';
import { startDuvo } from '../demo/duvo/server.mjs';
import { closedPort, settlesWithin } from './helpers.mjs';

const T = { timeout: 30000 };
const ok = { '200': { description: 'ok', content: { 'application/json': { schema: { type: 'object' } } } } };
const any = { default: { description: 'any' } };

const DOC = {
  openapi: '3.1.0',
  info: { title: 'rest test', version: '1' },
  servers: [{ url: 'https://api.example.invalid/v1' }],
  paths: {
    '/files/{path}': {
      get: {
        operationId: 'getFile',
        parameters: [
          { name: 'path', in: 'path', required: true, schema: { type: 'string' }, 'x-mcpw-allow-slash': true },
          { name: 'version', in: 'query', schema: { type: 'integer' } },
        ],
        responses: ok,
      },
    },
    '/items': {
      get: {
        operationId: 'listItems',
        parameters: [
          { name: 'q', in: 'query', schema: { type: 'string' } },
          { name: 'tags', in: 'query', schema: { type: 'array', items: { type: 'string' } } },
        ],
        responses: { '200': { description: 'ok', content: { 'application/json': { schema: { type: 'array', items: { type: 'string' } } } } } },
      },
    },
    '/folders/{folder_id}': {
      patch: {
        operationId: 'moveFolder',
        parameters: [{ name: 'folder_id', in: 'path', required: true, schema: { type: 'string' } }],
        requestBody: {
          content: {
            'application/json': {
              schema: { type: 'object', properties: { name: { type: 'string' }, parent_folder_id: { type: ['string', 'null'] }, note: { type: 'string' } } },
            },
          },
        },
        responses: ok,
      },
    },
    '/status/{code}': {
      get: { operationId: 'status', parameters: [{ name: 'code', in: 'path', required: true, schema: { type: 'integer' } }], responses: any },
    },
    '/limited': { get: { operationId: 'limitedGet', responses: any }, post: { operationId: 'limitedPost', responses: any } },
    '/slow': { get: { operationId: 'slow', responses: any } },
    '/secure': { get: { operationId: 'secure', responses: ok } },
    '/text': { get: { operationId: 'text', responses: any } },
    '/upload': {
      post: {
        operationId: 'upload',
        requestBody: {
          content: {
            'multipart/form-data': {
              schema: { type: 'object', properties: { title: { type: 'string' }, file: { type: 'string', format: 'binary' } } },
            },
          },
        },
        responses: ok,
      },
    },
  },
};

// The REST server: every request logged; /secure wants `validToken`.
function startRest() {
  const log = [];
  const held = new Set();
  const state = { limitedLeft: 0, validToken: 'k1' };
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c) => { body += c; });
    req.on('end', () => {
      const url = new URL(req.url, 'http://x');
      log.push({ method: req.method, url: req.url, headers: req.headers, body });
      const json = (status, value, headers = {}) => {
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(JSON.stringify(value));
      };
      const path = url.pathname.replace(/^\/v1/, '');
      if (path.startsWith('/files/')) return json(200, { rawPath: path.slice('/files/'.length), version: url.searchParams.get('version') });
      if (path === '/items') return json(200, [url.searchParams.get('q'), ...url.searchParams.getAll('tags')]);
      if (path.startsWith('/folders/')) return json(200, { id: path.slice('/folders/'.length), received: JSON.parse(body || 'null'), contentType: req.headers['content-type'] });
      if (path.startsWith('/status/')) {
        const code = Number(path.slice('/status/'.length));
        if (code >= 500) { res.writeHead(code, { 'content-type': 'text/plain' }); return res.end('kaboom'); }
        return json(code, { error: `status ${code}` });
      }
      if (path === '/limited') {
        if (state.limitedLeft > 0) {
          state.limitedLeft--;
          res.writeHead(429, { 'content-type': 'text/plain', 'retry-after': '1' });
          return res.end('slow down');
        }
        return json(200, { ok: true });
      }
      if (path === '/slow') { held.add(res); return undefined; }
      if (path === '/secure') {
        if (req.headers.authorization === `Bearer ${state.validToken}`) return json(200, { secret: 42 });
        return json(401, { error: 'unauthorized' }, { 'www-authenticate': 'Bearer error="invalid_token"' });
      }
      if (path === '/upload') return json(200, { contentType: req.headers['content-type'], body });
      if (path === '/text') { res.writeHead(200, { 'content-type': 'text/plain' }); return res.end('plain ✓'); }
      return json(404, { error: 'no route' });
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => {
    const url = `http://127.0.0.1:${server.address().port}/v1`;
    resolve({
      url, log, state,
      close: () => new Promise((r) => { for (const res of held) res.destroy(); server.closeAllConnections(); server.close(r); }),
    });
  }));
}

let rest;
before(async () => { rest = await startRest(); });
after(async () => { await rest.close(); });

test('REST-only client: tools from the document, "/" kept where allowed, query, JSON body with null kept', T, async () => {
  const api = await Client.openApi(DOC, { baseUrl: rest.url });
  try {
    assert.deepEqual(api.tools.map((t) => t.name).sort(),
      ['getFile', 'limitedGet', 'limitedPost', 'listItems', 'moveFolder', 'secure', 'slow', 'status', 'text', 'upload']);
    assert.ok(api.tools.every((t) => t.inputSchema && !('binding' in t)));
    assert.deepEqual(api.diagnostics, []);

    const file = await api.callTool('getFile', { path: 'docs/a b/ü.txt', version: 3 });
    assert.equal(file.isError, false);
    assert.deepEqual(file.structuredContent, { rawPath: 'docs/a%20b/%C3%BC.txt', version: '3' });
    assert.equal(JSON.parse(file.content[0].text).rawPath, 'docs/a%20b/%C3%BC.txt');
    assert.equal(rest.log.at(-1).url, '/v1/files/docs/a%20b/%C3%BC.txt?version=3');

    const items = await api.callTool('listItems', { q: 'x y&z', tags: ['a', 'b'] });
    assert.deepEqual(items.structuredContent, { result: ['x y&z', 'a', 'b'] });  // outputSchema wraps the array
    assert.equal(rest.log.at(-1).method, 'GET');

    const moved = await api.callTool('moveFolder', { folder_id: 'f/1', parent_folder_id: null, name: 'Renamed' });
    assert.equal(moved.isError, false);
    assert.equal(rest.log.at(-1).method, 'PATCH');
    assert.equal(rest.log.at(-1).url, '/v1/folders/f%2F1');  // no x-mcpw-allow-slash: "/" escaped
    assert.deepEqual(moved.structuredContent.received, { name: 'Renamed', parent_folder_id: null });
    assert.match(moved.structuredContent.contentType, /^application\/json/);

    const up = await api.callTool('upload', { title: 'notes', file: { data: Buffer.from('hello ✓').toString('base64'), mimeType: 'text/plain', filename: 'n.txt' } });
    assert.equal(up.isError, false);
    assert.match(up.structuredContent.contentType, /^multipart\/form-data; boundary=/);
    assert.match(up.structuredContent.body, /filename="n.txt"[\s\S]*hello ✓/);
    // Bytes that are not UTF-8 cannot cross the text boundary yet: refused, not altered.
    await assert.rejects(api.callTool('upload', { file: { data: Buffer.from([0xff, 0xfe, 0x00]).toString('base64') } }),
      (e) => e instanceof ClientStateError && /binary/.test(e.message));

    const text = await api.callTool('text', {});
    assert.deepEqual(text, { content: [{ type: 'text', text: 'plain ✓' }], isError: false });
  } finally {
    await api.close();
  }
});

test('4xx and 5xx are isError results carrying status and body', T, async () => {
  const api = await Client.openApi(DOC, { baseUrl: rest.url });
  try {
    for (const code of [400, 404, 409, 422]) {
      const r = await api.callTool('status', { code });
      assert.equal(r.isError, true);
      assert.deepEqual(r.structuredContent, { status: code, body: { error: `status ${code}` } });
      assert.equal(r.content[0].type, 'text');
      assert.match(r.content[0].text, new RegExp(`^HTTP ${code}: .*status ${code}`));
    }
    const r = await api.callTool('status', { code: 503 });
    assert.deepEqual(r.structuredContent, { status: 503, body: 'kaboom' });
    assert.equal(r.content[0].text, 'HTTP 503: kaboom');
  } finally {
    await api.close();
  }
});

test('429: an idempotent GET waits Retry-After and is sent again; a POST answers isError with retryAfterMs', T, async () => {
  const api = await Client.openApi(DOC, { baseUrl: rest.url });
  try {
    rest.state.limitedLeft = 1;
    const before = rest.log.length;
    const t0 = Date.now();
    const r = await api.callTool('limitedGet', {});
    assert.equal(r.isError, false);
    assert.deepEqual(r.structuredContent, { ok: true });
    assert.ok(Date.now() - t0 >= 900, `waited ${Date.now() - t0} ms`);
    assert.equal(rest.log.length - before, 2);

    rest.state.limitedLeft = 1;
    const p = await api.callTool('limitedPost', {});
    assert.equal(p.isError, true);
    assert.deepEqual(p.structuredContent, { status: 429, body: 'slow down', retryAfterMs: 1000 });
    assert.equal(rest.log.length - before, 3);  // not sent again

    rest.state.limitedLeft = 5;  // more than the retries allowed (2)
    const g = await api.callTool('limitedGet', {});
    assert.equal(g.isError, true);
    assert.equal(g.structuredContent.status, 429);
    assert.equal(rest.log.length - before, 6);
    rest.state.limitedLeft = 0;
  } finally {
    await api.close();
  }
});

test('credentials go to the MCP server\'s origin only', T, async () => {
  const mcp = await startServer({ mode: 'json', acceptToken: (t) => t === 'dv_mcp' });
  try {
    const client = await Client.connect(mcp.url, { bearer: 'dv_mcp', headers: { 'X-Api-Key': 'mcp-secret' }, listen: false });
    try {
      const api = await client.openApi(DOC, { baseUrl: rest.url });
      const r = await api.callTool('listItems', { q: 'cross' });
      assert.equal(r.isError, false);
      const seen = rest.log.at(-1);
      assert.equal(seen.headers.authorization, undefined);
      assert.equal(seen.headers['x-api-key'], undefined);
      assert.equal(seen.headers['mcp-session-id'], undefined);
      // A 401 from that other origin is its answer: no token getter, no OAuth.
      const s = await api.callTool('secure', {});
      assert.equal(s.isError, true);
      assert.equal(s.structuredContent.status, 401);
      assert.ok(mcp.log.every((q) => q.headers.authorization === 'Bearer dv_mcp'));
      assert.equal((await client.callTool('echo', { text: 'still fine' })).content[0].text, 'still fine');
    } finally {
      await client.close();
    }
  } finally {
    await mcp.close();
  }
  // A REST-only client's credentials belong to its baseUrl's origin.
  rest.state.validToken = 'dv_rest';
  const api = await Client.openApi(DOC, { baseUrl: rest.url, bearer: 'dv_rest' });
  try {
    assert.deepEqual((await api.callTool('secure', {})).structuredContent, { secret: 42 });
    assert.equal(rest.log.at(-1).headers.authorization, 'Bearer dv_rest');
  } finally {
    await api.close();
  }
});

test('401 from the server: the bearer getter is asked again and the request sent once more', T, async () => {
  rest.state.validToken = 'k1';
  let current = 'k1';
  let asked = 0;
  const api = await Client.openApi(DOC, { baseUrl: rest.url, bearer: async () => { asked++; return current; } });
  try {
    assert.equal(asked, 1);
    assert.equal((await api.callTool('secure', {})).isError, false);
    rest.state.validToken = 'k2';
    current = 'k2';
    const before = rest.log.length;
    const r = await api.callTool('secure', {});
    assert.deepEqual(r.structuredContent, { secret: 42 });
    assert.equal(asked, 2);
    assert.deepEqual(rest.log.slice(before).map((q) => q.headers.authorization), ['Bearer k1', 'Bearer k2']);
  } finally {
    await api.close();
  }
});

test('OAuth: a 401 from the REST API signs in (RFC 9728 discovery, DCR, PKCE), an expired token is refreshed', T, async () => {
  const duvo = await startDuvo({ oauth: { autoApprove: true }, runStepMs: 50 });
  const doc = JSON.parse(readFileSync(new URL('../demo/duvo/openapi.json', import.meta.url), 'utf8'));
  try {
    let opened = 0;
    const oauth = {
      redirectUri: 'http://127.0.0.1:9/callback',
      clientName: 'rest-test',
      storage: memoryStorage(),
      onAuthorize: async (url) => { opened++; return headlessRedirect()(url); },
    };
    const api = await Client.openApi(doc, { baseUrl: duvo.restUrl, oauth });
    try {
      const r = await api.callTool('listAgentFolders', {});
      assert.equal(r.isError, false, r.content[0].text);
      assert.equal(opened, 1);
      assert.equal(duvo.auth.stats.tokens, 1);
      duvo.auth.expireAccessTokens();
      const again = await api.callTool('listAgentFolders', {});
      assert.equal(again.isError, false, again.content[0].text);
      assert.equal(opened, 1);
      assert.equal(duvo.auth.stats.refreshes, 1);
    } finally {
      await api.close();
    }
  } finally {
    await duvo.close();
  }
});

test('network error, timeout and abort reject with the typed errors; bad calls are typed too', T, async () => {
  const port = await closedPort();
  const dead = await Client.openApi(DOC, { baseUrl: `http://127.0.0.1:${port}` });
  try {
    await assert.rejects(dead.callTool('text', {}), TransportError);
  } finally {
    await dead.close();
  }
  const api = await Client.openApi(DOC, { baseUrl: rest.url, timeoutMs: 10000 });
  try {
    const t0 = Date.now();
    await assert.rejects(api.callTool('slow', {}, { timeoutMs: 300 }), TimeoutError);
    assert.ok(Date.now() - t0 < 5000);
    const ac = new AbortController();
    const p = api.callTool('slow', {}, { signal: ac.signal });
    setTimeout(() => ac.abort(), 50);
    await assert.rejects(settlesWithin(p, 5000, 'aborted call'), AbortError);
    await assert.rejects(api.callTool('getFiles', {}), (e) => e instanceof ClientStateError && /did you mean "getFile"/.test(e.message));
    await assert.rejects(api.callTool('getFile', { path: 'x', versoin: 1 }), (e) => e instanceof ValidationError && /version/.test(e.message));
    await assert.rejects(api.callTool('getFile', {}), ValidationError);  // path is required
  } finally {
    await api.close();
  }
  await assert.rejects(Client.openApi({ ...DOC, servers: [{ url: '/relative' }] }), ClientStateError);
  await assert.rejects(api.callTool('text', {}), (e) => e.code === 'client.closed');
});

test('every call settles exactly once; nothing is left pending', T, async () => {
  const mcp = await startServer({ mode: 'sse' });
  const client = await Client.connect(mcp.url, { listen: false });
  try {
    const api = await client.openApi(DOC, { baseUrl: rest.url });
    rest.state.limitedLeft = 2;
    const ac = new AbortController();
    const calls = [];
    for (let i = 0; i < 8; ++i) {
      calls.push(api.callTool('getFile', { path: `p/${i}` }));
      calls.push(api.callTool('status', { code: [400, 402, 404, 405, 406, 409, 410, 418][i] }));  // not 407: undici's fetch fails on it
      calls.push(api.callTool('slow', {}, { signal: ac.signal }));
      calls.push(client.callTool('echo', { text: String(i) }));
    }
    calls.push(api.callTool('limitedGet', {}));
    setTimeout(() => ac.abort(), 100);
    let settled = 0;
    const outcomes = await settlesWithin(Promise.allSettled(calls.map((c) => c.finally(() => { settled++; }))), 15000, 'all calls');
    assert.equal(settled, calls.length);
    const rejected = outcomes.filter((o) => o.status === 'rejected');
    assert.equal(rejected.length, 8, outcomes.map((o, i) => o.status === 'rejected' && !(o.reason instanceof AbortError) ? `#${i} ${o.reason.name} ${o.reason.code} ${o.reason.message}` : '').join(''));  // the aborted ones
    assert.ok(outcomes.filter((o) => o.status === 'rejected').every((o) => o.reason instanceof AbortError));
    const stats = client.stats();
    assert.equal(stats.pendingOperations, 0);
    assert.equal(stats.openExchanges, 0);
  } finally {
    await client.close();
    await mcp.close();
  }
});
