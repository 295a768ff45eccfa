// Shared by the runtime tests: the calls every runtime makes against the test
// server (servers/sdk-server.mjs), and the checks of what came back.
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { SERVER_INFO } from './servers/sdk-server.mjs';

export const LATEST_PROTOCOL = '2025-11-25';
export const TOOL_NAMES = ['add', 'ask', 'echo', 'fail', 'grow', 'notify', 'ordered', 'roots', 'sample', 'slow'];
export const CALLS = [
  { name: 'echo', arguments: { text: 'héllo ✓ "quoted"\nline 2' } },
  { name: 'add', arguments: { a: 2, b: 40 } },
  { name: 'notify', arguments: { steps: 3 } },
  { name: 'fail', arguments: {} },
];

/// Connects with the package's Client, lists tools, makes CALLS, closes.
/// Returns { protocolVersion, serverInfo, tools, results }.
export async function runCalls(Client, url, options = {}) {
  const client = await Client.connect(url, { clientInfo: { name: 'mcpw-test', version: '0.0.0' }, timeoutMs: 10000, ...options });
  try {
    const tools = await client.listTools();
    const results = [];
    for (const c of CALLS) results.push(await client.callTool(c.name, c.arguments));
    return { protocolVersion: client.protocolVersion, serverInfo: client.serverInfo, tools, results };
  } finally {
    await client.close();
  }
}

/// Asserts that `run` (from runCalls, or the same shape from another runtime) is right.
export function checkRun(run, { protocolVersion = LATEST_PROTOCOL } = {}) {
  assert.equal(run.protocolVersion, protocolVersion);
  assert.deepEqual(run.serverInfo, SERVER_INFO);
  assert.deepEqual(run.tools.map((t) => t.name).sort(), TOOL_NAMES);
  const add = run.tools.find((t) => t.name === 'add');
  assert.equal(add.description, 'Adds two numbers');
  assert.deepEqual(add.inputSchema.required, ['a', 'b']);
  assert.equal(add.outputSchema.properties.sum.type, 'number');
  const [echo, sum, notify, fail] = run.results;
  assert.deepEqual(echo.content, [{ type: 'text', text: CALLS[0].arguments.text }]);
  assert.ok(!echo.isError);
  assert.deepEqual(sum.structuredContent, { sum: 42 });
  assert.equal(sum.content[0].text, '42');
  assert.equal(notify.content[0].text, 'done after 3 steps');
  assert.equal(fail.isError, true);
  assert.equal(fail.content[0].text, 'this tool always fails');
}

/// A loopback port with nothing listening on it (bound, then released).
export async function closedPort() {
  const srv = createServer();
  await new Promise((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const { port } = srv.address();
  await new Promise((resolve) => srv.close(resolve));
  return port;
}

/// Rejects if `promise` has not settled within `ms` (so a hang fails the test).
export function settlesWithin(promise, ms, what = 'promise') {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not settle within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
