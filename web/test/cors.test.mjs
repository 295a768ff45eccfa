// CORS diagnosis in Chromium (playwright-core): a page served from one
// loopback origin uses the package against an MCP server on another loopback
// port (servers/fault-peer.mjs in front of the SDK server) whose CORS headers
// leave one thing out. A blocked fetch is opaque to the page; the client
// probes (web/src/cors.mjs) and its TransportError names what the server must
// allow. Response headers it did not expose are invisible: the error they
// cause says which header must be exposed, if the server sent it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startServer } from './servers/sdk-server.mjs';
import { startFaultPeer, sendJson } from './servers/fault-peer.mjs';

const T = { timeout: 60000 };
const WEB = fileURLToPath(new URL('..', import.meta.url));
const REQUEST_HEADERS = ['content-type', 'mcp-session-id', 'mcp-protocol-version', 'authorization', 'mcp-method', 'mcp-name', 'last-event-id'];
const EXPOSED = ['Mcp-Session-Id', 'WWW-Authenticate', 'Retry-After', 'MCP-Protocol-Version'];
const TYPES = { '.mjs': 'text/javascript', '.js': 'text/javascript', '.wasm': 'application/wasm', '.html': 'text/html' };
const tmp = mkdtempSync(path.join(tmpdir(), 'mcpw-cors-'));
let upstream, site, siteUrl, browser, page;
const peers = [];

/// The page's origin: serves an empty page and the package's src/ and dist/.
async function startSite() {
  const http = createServer(async (req, res) => {
    const p = new URL(req.url, 'http://x').pathname;
    if (p === '/') return res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>cors</title>');
    if (!/^\/(src|dist)\/[\w.-]+$/.test(p)) return res.writeHead(404).end();
    try {
      const body = await readFile(path.join(WEB, p));
      res.writeHead(200, { 'content-type': TYPES[path.extname(p)] ?? 'application/octet-stream' }).end(body);
    } catch { res.writeHead(404).end(); }
  });
  await new Promise((resolve) => http.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${http.address().port}/`, close: () => new Promise((r) => { http.closeAllConnections(); http.close(r); }) };
}

before(async () => {
  upstream = await startServer({ mode: 'json' });
  site = await startSite();
  siteUrl = site.url;
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'], timeout: 60000 });
  page = await browser.newPage();
  await page.goto(siteUrl, { timeout: 20000 });
});

after(async () => {
  await browser?.close();
  for (const p of peers) await p.close();
  await site?.close();
  await upstream?.close();
  rmSync(tmp, { recursive: true, force: true });
});

/// A server on its own port with these CORS headers (the defaults are all correct).
async function serverWith(cors) {
  const p = await startFaultPeer({ upstream, cors: { allowOrigin: true, allowHeaders: REQUEST_HEADERS, exposeHeaders: EXPOSED, ...cors } });
  peers.push(p);
  return p;
}

/// In the page: connect with `options`, call echo, close. Returns the outcome as plain data.
function inPage(url, options = {}) {
  return page.evaluate(async ({ url, options }) => {
    const { Client } = await import('/src/entry-browser.mjs');
    let client;
    try {
      client = await Client.connect(url, { timeoutMs: 8000, listen: false, ...options });
      const r = await client.callTool('echo', { text: 'through CORS' });
      return { ok: true, text: r.content?.[0]?.text, protocolVersion: client.protocolVersion };
    } catch (e) {
      return { ok: false, name: e.name, code: e.code, message: e.message, status: e.status ?? null, retryAfterMs: e.retryAfterMs ?? null };
    } finally {
      await client?.close().catch(() => {});
    }
  }, { url, options });
}

const without = (name) => REQUEST_HEADERS.filter((h) => h !== name);

test('control: a server with every CORS header right works from another origin', T, async () => {
  const p = await serverWith({});
  const r = await inPage(p.url);
  assert.deepEqual(r, { ok: true, text: 'through CORS', protocolVersion: '2025-11-25' });
  assert.ok(p.log.some((x) => x.method === 'OPTIONS'), 'the browser sent preflights');
  assert.equal(p.log.find((x) => x.method === 'POST').headers.origin, new URL(siteUrl).origin);
});

test('no Access-Control-Allow-Origin: the TransportError says the server must send it', T, async () => {
  const p = await serverWith({ allowOrigin: false });
  const r = await inPage(p.url);
  assert.equal(r.name, 'TransportError', JSON.stringify(r));
  assert.match(r.message, /must answer with Access-Control-Allow-Origin: http:\/\/127\.0\.0\.1:\d+ \(or \*\)/);
});

for (const header of ['mcp-protocol-version', 'mcp-method', 'mcp-session-id']) {
  test(`${header} not in Access-Control-Allow-Headers: the TransportError names it`, T, async () => {
    const p = await serverWith({ allowHeaders: without(header) });
    const r = await inPage(p.url);
    assert.equal(r.name, 'TransportError', JSON.stringify(r));
    assert.match(r.message, new RegExp(`must list ${header} in Access-Control-Allow-Headers`), r.message);
  });
}

test('authorization not in Access-Control-Allow-Headers (an API key): the TransportError names it, not the key', T, async () => {
  const p = await serverWith({ allowHeaders: without('authorization') });
  const r = await inPage(p.url, { bearer: 'sk-cors-secret-key' });
  assert.equal(r.name, 'TransportError', JSON.stringify(r));
  assert.match(r.message, /must list authorization in Access-Control-Allow-Headers/);
  assert.ok(!r.message.includes('sk-cors-secret-key'));
  assert.ok(!p.log.some((x) => JSON.stringify(x.headers).includes('sk-cors-secret-key')), 'the probes never carried the key');
});

test('mcp-name not in Access-Control-Allow-Headers (2026-07-28 server): the tool call\'s TransportError names it', T, async () => {
  const p = await serverWith({ allowHeaders: without('mcp-name') });
  p.on({ rpc: 'server/discover' }, (ctx) => sendJson(ctx.res, 200, { jsonrpc: '2.0', id: ctx.rpc.id, result: {
    supportedVersions: ['2026-07-28'], capabilities: { tools: {} }, serverInfo: { name: 'modern', version: '1' } } }));
  const r = await inPage(p.url);
  assert.equal(r.name, 'TransportError', JSON.stringify(r));
  assert.match(r.message, /must list mcp-name in Access-Control-Allow-Headers/);
});

test('Mcp-Session-Id not exposed: the session cannot be read; the error says to expose it', T, async () => {
  const p = await serverWith({ exposeHeaders: EXPOSED.filter((h) => h !== 'Mcp-Session-Id') });
  const r = await inPage(p.url);
  assert.equal(r.ok, false, JSON.stringify(r));
  assert.equal(r.status, 400, 'the server refuses the next request, which has no session id');
  assert.match(r.message, /if the server sent one, it must list Mcp-Session-Id in Access-Control-Expose-Headers/);
});

test('WWW-Authenticate not exposed: the 401 error says to expose it', T, async () => {
  const p = await serverWith({ exposeHeaders: EXPOSED.filter((h) => h !== 'WWW-Authenticate') });
  p.on({ http: 'POST' }, (ctx) => sendJson(ctx.res, 401, { error: 'invalid_token' }, { 'www-authenticate': 'Bearer error="invalid_token"' }), { times: 10 });
  const r = await inPage(p.url, { bearer: 'sk-refused' });
  assert.equal(r.ok, false, JSON.stringify(r));
  assert.match(r.message, /it must list WWW-Authenticate in Access-Control-Expose-Headers/, r.message);
});

for (const exposed of [false, true]) {
  test(`Retry-After ${exposed ? 'exposed: the wait is known' : 'not exposed: the 429 error says to expose it'}`, T, async () => {
    const p = await serverWith({ exposeHeaders: EXPOSED.filter((h) => exposed || h !== 'Retry-After') });
    p.on({ rpc: 'tools/call' }, (ctx) => sendJson(ctx.res, 429, { error: 'slow down' }, { 'retry-after': '7' }));
    const r = await inPage(p.url);
    assert.equal(r.name, 'RateLimitedError', JSON.stringify(r));
    if (exposed) {
      assert.equal(r.retryAfterMs, 7000);
      assert.doesNotMatch(r.message, /CORS/);
    } else {
      assert.equal(r.retryAfterMs, null);
      assert.match(r.message, /it must list Retry-After in Access-Control-Expose-Headers/);
    }
  });
}

test('a server that is down is not called a CORS problem', T, async () => {
  const p = await serverWith({});
  const url = p.url;
  await p.close();
  peers.splice(peers.indexOf(p), 1);
  const r = await inPage(url);
  assert.equal(r.name, 'TransportError', JSON.stringify(r));
  assert.match(r.message, /did not answer even without CORS .*not a CORS problem/);
});
