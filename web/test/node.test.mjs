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

  test('a server that never answers times out', T, async () => {
    const silent = createServer(() => {});   // accepts, reads, never responds
    await new Promise((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const t0 = Date.now();
      const e = await failure(Client.connect(`http://127.0.0.1:${silent.address().port}/mcp`, { timeoutMs: 500 }));
      assert.equal(e.name, 'TimeoutError');
      assert.ok(Date.now() - t0 < 5000, 'gave up near timeoutMs');
    } finally {
      silent.closeAllConnections();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  test('a 200 answer that is not JSON-RPC is a ProtocolError', T, async () => {
    const bad = createServer((req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"not": "json-rpc"'));
    await new Promise((resolve) => bad.listen(0, '127.0.0.1', resolve));
    try {
      const e = await failure(Client.connect(`http://127.0.0.1:${bad.address().port}/mcp`, { timeoutMs: 5000 }));
      assert.equal(e.name, 'ProtocolError');
    } finally {
      bad.closeAllConnections();
      await new Promise((resolve) => bad.close(resolve));
    }
  });
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
    assert.ok(count('tests') >= 13, `the child ran ${count('tests')} tests`);
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
