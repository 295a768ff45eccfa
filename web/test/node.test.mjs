// The package in Node (its `node` export condition), against a real
// @modelcontextprotocol/sdk server on 127.0.0.1, in JSON and SSE response modes.
// The same file runs again in a child under --disallow-code-generation-from-strings.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createServer } from 'node:http';
import { Client, McpError } from 'mcp-wasm';
import { startServer } from './servers/sdk-server.mjs';
import { runCalls, checkRun, closedPort, settlesWithin, TOOL_NAMES } from './helpers.mjs';

const T = { timeout: 30000 };
const IN_CHILD = process.env.MCPW_NO_CODEGEN_CHILD === '1';
const SETTLE_MS = 15000;

for (const mode of ['json', 'sse']) {
  describe(`node, ${mode} responses`, () => {
    let srv;
    before(async () => { srv = await startServer({ mode }); });
    after(() => srv?.close());

    test('connect, list, call, close', T, async () => {
      checkRun(await runCalls(Client, srv.url));
    });

    // spec: 2025-11-25 transports#session-management (client sends DELETE to end the session)
    test('close ends the session with a DELETE', T, async () => {
      const before = srv.log.length;
      const client = await Client.connect(srv.url);
      assert.equal(srv.sessionCount(), 1);
      await client.close();
      const del = srv.log.slice(before).find((r) => r.method === 'DELETE');
      assert.ok(del, 'a DELETE request reached the server');
      assert.ok(del.headers['mcp-session-id'], 'the DELETE names the session');
      assert.equal(srv.sessionCount(), 0);
    });

    // spec: 2025-11-25 server/tools — schemas and results reach the caller as sent.
    test('tool schemas and results keep the server\'s member order', T, async () => {
      const client = await Client.connect(srv.url);
      const tool = (await client.listTools()).find((t) => t.name === 'ordered');
      assert.deepEqual(Object.keys(tool.inputSchema.properties), ['zeta', 'alpha', 'mid']);
      const result = await client.callTool('ordered', { zeta: 'z' });
      assert.deepEqual(Object.keys(result.structuredContent), ['zeta', 'alpha', 'mid', 'beta']);
      assert.deepEqual(Object.keys(result.structuredContent.beta), ['y', 'x']);
      await client.close();
    });

    test('headers and fetch options are used on every request', T, async () => {
      const before = srv.log.length;
      let calls = 0;
      const fetch = (...args) => { calls++; return globalThis.fetch(...args); };
      const client = await Client.connect(srv.url, { fetch, headers: { Authorization: 'Bearer t0ken', 'X-Trace': 'abc' } });
      await client.callTool('echo', { text: 'x' });
      await client.close();
      const seen = srv.log.slice(before);
      assert.ok(seen.length >= 4, `initialize, initialized, call, delete: saw ${seen.length}`);
      assert.equal(calls, seen.length, 'every request went through the given fetch');
      for (const r of seen) {
        assert.equal(r.headers.authorization, 'Bearer t0ken');
        assert.equal(r.headers['x-trace'], 'abc');
      }
      // spec: 2025-11-25 transports#protocol-version-header
      for (const r of seen.slice(1)) assert.equal(r.headers['mcp-protocol-version'], '2025-11-25');
    });
  });
}

describe('node, server variations', () => {
  test('listTools follows nextCursor through every page', T, async () => {
    const srv = await startServer({ mode: 'sse', pageSize: 1 });
    try {
      const client = await Client.connect(srv.url);
      const tools = await client.listTools();
      await client.close();
      assert.deepEqual(tools.map((t) => t.name).sort(), TOOL_NAMES);
    } finally { await srv.close(); }
  });

  // spec: 2025-11-25 lifecycle#version-negotiation
  test('an older protocol version from the server is accepted and used', T, async () => {
    const srv = await startServer({ mode: 'json', protocolVersion: '2025-06-18' });
    try {
      const run = await runCalls(Client, srv.url);
      checkRun(run, { protocolVersion: '2025-06-18' });
      const later = srv.log.filter((r) => r.headers['mcp-session-id']);
      assert.ok(later.length > 0);
      for (const r of later) assert.equal(r.headers['mcp-protocol-version'], '2025-06-18');
    } finally { await srv.close(); }
  });
});

describe('node, one client', () => {
  let srv, client;
  before(async () => { srv = await startServer({ mode: 'sse' }); client = await Client.connect(srv.url); });
  after(async () => { await client?.close(); await srv?.close(); });

  test('20 calls in flight at once each get their own answer', T, async () => {
    const sums = await Promise.all(Array.from({ length: 20 }, (_, i) => client.callTool('add', { a: i, b: 1000 })));
    assert.deepEqual(sums.map((r) => r.structuredContent.sum), Array.from({ length: 20 }, (_, i) => i + 1000));
  });

  test('a 1 MB argument comes back whole', T, async () => {
    const text = 'ü€𝄞x'.repeat(1 << 17);   // 1.3 MB of UTF-8, 1-4 bytes a character
    const r = await client.callTool('echo', { text });
    assert.equal(r.content[0].text, text);
  });

  test('close twice is fine; a call after close rejects with McpError', T, async () => {
    const c = await Client.connect(srv.url);
    await c.close();
    await c.close();
    const e = await settlesWithin(c.callTool('echo', { text: 'x' }).then(() => null, (err) => err), SETTLE_MS, 'call after close');
    assert.ok(e instanceof McpError, String(e));
  });
});

describe('node, failures settle as McpError', () => {
  async function failure(promise) {
    const e = await settlesWithin(promise.then(() => null, (err) => err), SETTLE_MS, 'the request');
    assert.ok(e, 'the promise rejected');
    assert.ok(e instanceof McpError, `McpError, not ${e?.constructor?.name}: ${e?.message}`);
    assert.equal(typeof e.code, 'string');
    assert.ok(e.code.length > 0);
    assert.equal(typeof e.message, 'string');
    return e;
  }

  test('connection refused', T, async () => {
    const e = await failure(Client.connect(`http://127.0.0.1:${await closedPort()}/mcp`, { timeoutMs: 5000 }));
    assert.equal(e.name, 'TransportError');
  });

  test('HTTP 404 endpoint', T, async () => {
    const srv = await startServer({ mode: 'json' });
    try {
      const e = await failure(Client.connect(srv.url.replace(/\/mcp$/, '/nothing-here'), { timeoutMs: 5000 }));
      assert.equal(e.name, 'HttpError');
      assert.equal(e.status, 404);
    } finally { await srv.close(); }
  });

  /// A raw HTTP server on 127.0.0.1 for the duration of fn(url).
  async function withRawServer(handler, fn) {
    const raw = createServer(handler);
    await new Promise((resolve) => raw.listen(0, '127.0.0.1', resolve));
    try { return await fn(`http://127.0.0.1:${raw.address().port}/mcp`); } finally {
      raw.closeAllConnections();
      await new Promise((resolve) => raw.close(resolve));
    }
  }

  test('an event stream that stalls after its headers times out', T, () => withRawServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.write(': still here\n\n');
  }, async (url) => {
    const e = await failure(Client.connect(url, { timeoutMs: 500 }));
    assert.equal(e.name, 'TimeoutError');
  }));

  test('a connection cut in the middle of an event is a TransportError', T, () => withRawServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.write('data: {"jsonrpc":"2.0",');
    setTimeout(() => res.destroy(), 50);
  }, async (url) => {
    const e = await failure(Client.connect(url, { timeoutMs: 5000 }));
    assert.equal(e.name, 'TransportError');
  }));

  test('a URL that is not http(s) rejects', T, async () => {
    await failure(Client.connect('ftp://127.0.0.1/mcp'));
    await failure(Client.connect('not a url'));
  });

  test('a server that never answers times out', T, () => withRawServer(() => {}, async (url) => {
    const t0 = Date.now();
    const e = await failure(Client.connect(url, { timeoutMs: 500 }));
    assert.equal(e.name, 'TimeoutError');
    assert.ok(Date.now() - t0 < 5000, 'gave up near timeoutMs');
  }));

  test('a 200 answer that is not JSON-RPC is a ProtocolError', T, () => withRawServer((req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"not": "json-rpc"');
  }, async (url) => {
    const e = await failure(Client.connect(url, { timeoutMs: 5000 }));
    assert.equal(e.name, 'ProtocolError');
  }));
});

if (IN_CHILD) {
  test('code generation from strings is really disallowed here', () => {
    assert.throws(() => eval('1'), EvalError);
    assert.throws(() => new Function('return 1'), EvalError);
  });
} else {
  test('the same file passes under node --disallow-code-generation-from-strings', { timeout: 90000 }, async () => {
    const file = fileURLToPath(import.meta.url);
    const env = { ...process.env, MCPW_NO_CODEGEN_CHILD: '1' };
    delete env.NODE_TEST_CONTEXT;   // run as a fresh test run, with its own report
    const child = spawn(process.execPath, ['--disallow-code-generation-from-strings', '--test', '--test-reporter=tap', file],
      { env, cwd: fileURLToPath(new URL('..', import.meta.url)), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { out += d; });
    const timer = setTimeout(() => child.kill('SIGKILL'), 80000);
    const code = await new Promise((resolve) => child.on('close', resolve));
    clearTimeout(timer);
    const count = (k) => Number(out.match(new RegExp(`^# ${k} (\\d+)$`, 'm'))?.[1] ?? -1);
    assert.equal(code, 0, `child failed:\n${out.slice(-3000)}`);
    assert.ok(count('tests') >= 19, `the child ran ${count('tests')} tests`);
    assert.equal(count('pass'), count('tests'));
  });

  test('the built glue has no eval and no new Function', () => {
    const glue = readFileSync(new URL('../dist/mcpw.mjs', import.meta.url), 'utf8');
    assert.ok(glue.length > 0);
    assert.doesNotMatch(glue, /\beval\s*\(/);
    assert.doesNotMatch(glue, /new\s+Function\b/);
    assert.doesNotMatch(glue, /\bFunction\s*\(\s*['"`]/);
  });
}
