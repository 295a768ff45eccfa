// Response validation through the package: result shapes, structuredContent
// against the listed outputSchema, arguments against the inputSchema, in the
// strict / warn / off modes, against a loopback JSON-RPC server whose answers
// the test chooses (the SDK's own server would not send malformed results).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { Client, ValidationError } from '../src/entry-node.mjs';

const TOOLS = [
  {
    name: 'count',
    inputSchema: { type: 'object', required: ['limit'], properties: { limit: { type: 'integer', maximum: 100 } } },
    outputSchema: { type: 'object', required: ['n'], properties: { n: { type: 'integer' } } },
  },
  { name: 'plain', inputSchema: { type: 'object' } },
];
// What tools/call answers, by tool name and the `mode` argument.
function callResult(name, args) {
  const text = [{ type: 'text', text: 'ok' }];
  if (args.mode === 'bad-structured') return { content: text, structuredContent: { n: 'three' } };
  if (args.mode === 'no-structured') return { content: text };
  if (args.mode === 'tool-error') return { content: text, isError: true };
  if (args.mode === 'no-content') return { structuredContent: { n: 1 } };
  return { content: text, structuredContent: { n: args.limit ?? 1 } };
}

let server;
let url;
let calls = 0;
before(async () => {
  server = http.createServer((req, res) => {
    if (req.method !== 'POST') { res.writeHead(405).end(); return; }
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => {
      const msg = JSON.parse(body);
      if (msg.id === undefined) { res.writeHead(202).end(); return; }
      let result;
      if (msg.method === 'initialize') {
        result = { protocolVersion: '2025-11-25', capabilities: { tools: {} }, serverInfo: { name: 'v', version: '1' } };
      } else if (msg.method === 'tools/list') {
        result = { tools: TOOLS };
      } else if (msg.method === 'tools/call') {
        calls += 1;
        result = callResult(msg.params.name, msg.params.arguments ?? {});
      } else {
        result = {};
      }
      res.writeHead(200, { 'content-type': 'application/json', 'mcp-session-id': 's1' });
      res.end(JSON.stringify({ jsonrpc: '2.0', id: msg.id, result }));
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${server.address().port}/mcp`;
});
after(() => new Promise((resolve) => server.close(resolve)));

async function withClient(options, fn) {
  const client = await Client.connect(url, { protocolVersion: '2025-11-25', listen: false, timeoutMs: 5000, ...options });
  try { await fn(client); } finally { await client.close(); }
}

test('strict: structuredContent must match the listed outputSchema', () => withClient({}, async (client) => {
  const tools = await client.listTools();
  assert.deepEqual(tools, TOOLS);  // kept exactly as sent
  assert.deepEqual((await client.callTool('count', { limit: 3 })).structuredContent, { n: 3 });
  const err = await client.callTool('count', { limit: 3, mode: 'bad-structured' }).then(() => null, (e) => e);
  assert.ok(err instanceof ValidationError, String(err));
  assert.equal(err.code, 'validation.structured_content');
  assert.equal(err.kind, 'remote');
  assert.match(err.message, /count.*outputSchema.*\/n/);
  assert.equal(err.errors[0].instanceLocation, '/n');
  const missing = await client.callTool('count', { limit: 3, mode: 'no-structured' }).then(() => null, (e) => e);
  assert.equal(missing?.code, 'validation.structured_content');
  // A tool error is not held to the outputSchema.
  assert.equal((await client.callTool('count', { limit: 3, mode: 'tool-error' })).isError, true);
  // The result's own shape: content is required in 2025-11-25.
  const shape = await client.callTool('plain', { mode: 'no-content' }).then(() => null, (e) => e);
  assert.ok(shape instanceof ValidationError);
  assert.equal(shape.code, 'validation.result');
  // The client is still usable.
  assert.equal((await client.callTool('plain', {})).content[0].text, 'ok');
}));

test('warn: the result comes back and onWarning hears of it', async () => {
  const warnings = [];
  await withClient({ validation: 'warn', onWarning: (w) => warnings.push(w) }, async (client) => {
    await client.listTools();
    const r = await client.callTool('count', { limit: 3, mode: 'bad-structured' });
    assert.deepEqual(r.structuredContent, { n: 'three' });
  });
  assert.equal(warnings.length, 1);
  assert.equal(warnings[0].code, 'validation.structured_content');
  assert.equal(warnings[0].tool, 'count');
});

test('off: nothing is checked', () => withClient({ validation: 'off' }, async (client) => {
  await client.listTools();
  assert.deepEqual((await client.callTool('count', { mode: 'bad-structured' })).structuredContent, { n: 'three' });
  assert.deepEqual((await client.callTool('plain', { mode: 'no-content' })).structuredContent, { n: 1 });
}));

test('validateArguments: bad arguments never leave the client', () => withClient({ validateArguments: true }, async (client) => {
  await client.listTools();
  const before = calls;
  const err = await client.callTool('count', { limit: 500 }).then(() => null, (e) => e);
  assert.ok(err instanceof ValidationError);
  assert.equal(err.code, 'validation.arguments');
  assert.equal(err.kind, 'local');
  assert.match(err.message, /invalid arguments for tool "count": \/limit/);
  assert.equal(calls, before);
  // Per call it can be turned off, and valid arguments go out.
  await client.callTool('count', { limit: 500 }, { validateArguments: false });
  await client.callTool('count', { limit: 5 });
  assert.equal(calls, before + 2);
}));

test('a bad validation option is a typed error', async () => {
  await assert.rejects(Client.connect(url, { validation: 'loud' }), /validation must be/);
});
