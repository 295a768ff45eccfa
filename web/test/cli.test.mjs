// The `mcp-wasm` CLI (cli/mcp-wasm.mjs) run as a child process.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startServer } from './servers/sdk-server.mjs';
import { closedPort, TOOL_NAMES } from './helpers.mjs';

const CLI = fileURLToPath(new URL('../cli/mcp-wasm.mjs', import.meta.url));
const T = { timeout: 30000 };

function cli(...args) {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { timeout: 20000 }, (err, stdout, stderr) =>
      resolve({ code: err ? (err.code ?? 'killed') : 0, stdout, stderr }));
  });
}

let srv;
before(async () => { srv = await startServer({ mode: 'sse' }); });
after(() => srv?.close());

test('demo: lists the bundled server tools and calls one', T, async () => {
  const r = await cli('demo');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /server: mcp-wasm-demo 0\.1\.0 \(protocol 2025-11-25\)/);
  assert.match(r.stdout, /^TOOL\s+ARGUMENTS\s+DESCRIPTION$/m);
  assert.match(r.stdout, /^greet\s+name\s+Says hello to someone$/m);
  assert.match(r.stdout, /^\(4 tools\)$/m);
  assert.match(r.stdout, /^Hello, mcp-wasm! \(from the demo MCP server\)$/m);
});

test('tools --url: a table of the given server tools', T, async () => {
  const r = await cli('--url', srv.url, 'tools');
  assert.equal(r.code, 0, r.stderr);
  for (const row of [/^add\s+a, b\s+Adds two numbers$/m, /^echo\s+text\s+Echoes its text back$/m, /^notify\s+steps\?/m])
    assert.match(r.stdout, row);
  assert.match(r.stdout, new RegExp(`^\\(${TOOL_NAMES.length} tools\\)$`, "m"));
});

test('call with --arg reads numbers by the tool schema', T, async () => {
  const r = await cli('--url', srv.url, 'call', 'add', '--arg', 'a=2', '--arg', 'b=3.5');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^5\.5$/m);
  assert.match(r.stdout, /^structured: \{"sum":5\.5\}$/m);
});

test('call with --json; --header reaches the server', T, async () => {
  const r = await cli('--url', srv.url, '--header', 'Authorization: Bearer cli-token', 'call', 'echo', '--json', '{"text":"a=b c"}');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^a=b c$/m);
  assert.ok(srv.log.some((x) => x.headers.authorization === 'Bearer cli-token'));
});

test('a tool error exits 1', T, async () => {
  const r = await cli('--url', srv.url, 'call', 'fail');
  assert.equal(r.code, 1);
  assert.match(r.stderr, /this tool always fails/);
});

test('connection refused: one line on stderr, exit 1', T, async () => {
  const r = await cli('--url', `http://127.0.0.1:${await closedPort()}/mcp`, '--timeout', '5000', 'tools');
  assert.equal(r.code, 1);
  assert.match(r.stderr, /^mcp-wasm: TransportError \([\w.]+\): .+\n$/);
});

test('usage errors exit 2', T, async () => {
  for (const args of [['bogus'], ['call'], ['--url'], ['--header', 'nocolon', 'tools'], ['--url', srv.url, 'call', 'nope']]) {
    const r = await cli(...args);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, /^mcp-wasm: .+ \(see mcp-wasm --help\)\n$/);
  }
});
