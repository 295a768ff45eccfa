// The flattener from JS (web/src/flatten.mjs): flattenOpenApi, buildRequest,
// parseRequest and adaptTools over the Duvo-like test document of
// tests/flatten/data, with requests sent by fetch to a real HTTP server on
// 127.0.0.1 and read back from what it received.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import {
  flattenOpenApi, buildRequest, parseRequest, adaptTools, McpError, ValidationError, ClientStateError,
} from 'mcp-wasm';

const T = { timeout: 30000 };
const DATA = new URL('../../tests/flatten/data/', import.meta.url);
const duvoText = readFileSync(new URL('duvo-openapi.json', DATA), 'utf8');
const edgeText = readFileSync(new URL('edge-cases-3.0.json', DATA), 'utf8');

let duvo;
const tool = (name) => duvo.tools.find((t) => t.name === name);
before(async () => { duvo = await flattenOpenApi(JSON.parse(duvoText)); });

// Every request a test sends is read back by a real server: method, raw
// target, headers, body bytes.
let server, base;
const received = [];
before(async () => {
  server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      received.push({ method: req.method, url: req.url, headers: req.headers, body: Buffer.concat(chunks) });
      res.end('{}');
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${server.address().port}`;
});
after(() => server?.close());

async function send(request) {
  const before = received.length;
  const res = await fetch(request.url, { method: request.method, headers: request.headers, body: request.body,
    signal: AbortSignal.timeout(5000) });
  await res.text();
  assert.equal(received.length, before + 1);
  const got = received[before];
  return { method: got.method, url: base + got.url, headers: got.headers, body: new Uint8Array(got.body) };
}

describe('flattenOpenApi', () => {
  test('one tool per operation with a plain-JSON binding', T, async () => {
    assert.equal(duvo.tools.length, 53);
    assert.deepEqual(duvo.diagnostics, []);
    const t = tool('updateAgentFolder');
    assert.equal(typeof t.description, 'string');
    assert.equal(t.inputSchema.type, 'object');
    assert.deepEqual(t.inputSchema.required, ['folder_id']);
    assert.ok(t.outputSchema);
    assert.equal(t.binding.method, 'PATCH');
    assert.deepEqual(JSON.parse(JSON.stringify(t.binding)), t.binding);
    // JSON text in gives the same tools.
    const again = await flattenOpenApi(duvoText);
    assert.deepEqual(again.tools.map((x) => x.name), duvo.tools.map((x) => x.name));
  });

  test('title is the summary when the description is its own text', T, async () => {
    const doc = { openapi: '3.1.0', info: { title: 't', version: '1' }, paths: { '/a': {
      get: { operationId: 'a', summary: 'Get A', description: 'Reads A.', responses: { 200: { description: 'ok' } } },
      post: { operationId: 'b', summary: 'Make A', responses: { 200: { description: 'ok' } } } } } };
    const { tools } = await flattenOpenApi(doc);
    assert.equal(tools[0].title, 'Get A');
    assert.equal(tools[0].description, 'Reads A.');
    assert.equal(tools[1].title, undefined);
    assert.equal(tools[1].description, 'Make A');
  });

  test('operations left out are diagnostics; the rest still flatten', T, async () => {
    const edge = await flattenOpenApi(edgeText);
    assert.ok(edge.tools.length > 10);
    assert.ok(edge.diagnostics.length > 0);
    for (const d of edge.diagnostics) {
      assert.equal(typeof d.operation, 'string');
      assert.match(d.code, /^flatten\./);
      assert.equal(typeof d.message, 'string');
    }
    assert.ok(edge.diagnostics.some((d) => d.code === 'flatten.bad_ref'));
  });

  test('Swagger 2.0: converted, then flattened; a query/body clash is suffixed and round-trips', T, async () => {
    const sw = await flattenOpenApi(readFileSync(new URL('swagger-2.0.json', DATA), 'utf8'));
    assert.deepEqual(sw.diagnostics.map((d) => [d.operation, d.code]), [['get /tsv', 'flatten.unsupported_parameter']]);
    const del = sw.tools.find((t) => t.name === 'deletePet');
    assert.equal(del.binding.server, 'http://api.example.test/v2');
    const args = { petId: 7, gracePeriodSeconds: 5, gracePeriodSeconds_body: 10 };
    const req = await buildRequest(del, args, { baseUrl: base + '/v2' });
    assert.equal(req.url, `${base}/v2/pets/7?gracePeriodSeconds=5`);
    assert.deepEqual(JSON.parse(req.body), { gracePeriodSeconds: 10 });
    assert.deepEqual(await parseRequest(del, await send(req), { baseUrl: base + '/v2' }), args);
  });

  test('not an OpenAPI document, or not JSON: typed errors', T, async () => {
    await assert.rejects(flattenOpenApi({ swagger: '1.2' }), (e) => e instanceof McpError && e.code === 'flatten.not_openapi');
    await assert.rejects(flattenOpenApi('{"openapi": '), (e) => e instanceof McpError && /^json\./.test(e.code));
    await assert.rejects(flattenOpenApi(undefined), ClientStateError);
  });
});

describe('buildRequest and parseRequest', () => {
  test('null is sent where the field is nullable (parent_folder_id: null moves to the root)', T, async () => {
    const args = { folder_id: 'f1', parent_folder_id: null };
    const req = await buildRequest(tool('updateAgentFolder'), args, { baseUrl: base });
    assert.equal(req.method, 'PATCH');
    assert.equal(req.url, `${base}/v1/agent-folders/f1`);
    assert.deepEqual(JSON.parse(req.body), { parent_folder_id: null });
    assert.match(req.headers['Content-Type'], /^application\/json/);
    assert.deepEqual(await parseRequest(tool('updateAgentFolder'), await send(req)), args);
  });

  test('null where the field is not nullable is left out', T, async () => {
    const req = await buildRequest(tool('updateAgentFolder'), { folder_id: 'f1', name: null, parent_folder_id: 'p' }, { baseUrl: base });
    assert.deepEqual(JSON.parse(req.body), { parent_folder_id: 'p' });
  });

  test('"/" in a path parameter stays unescaped where the document says so', T, async () => {
    const args = { path: 'notes/2026/q1 plan.md' };
    const req = await buildRequest(tool('readFile'), args, { baseUrl: base + '/' });
    assert.equal(req.url, `${base}/v1/files/notes/2026/q1%20plan.md`);
    assert.deepEqual(await parseRequest(tool('readFile'), await send(req)), args);
    // Elsewhere "/" is escaped.
    const other = await buildRequest(tool('getAgent'), { agent_id: 'a/b' }, { baseUrl: base });
    assert.equal(other.url, `${base}/v1/agents/a%2Fb`);
    assert.deepEqual(await parseRequest(tool('getAgent'), await send(other)), { agent_id: 'a/b' });
  });

  test('the document server is the default base; a binding alone works too', T, async () => {
    const req = await buildRequest(tool('getAgent').binding, { agent_id: 'x' });
    assert.equal(req.url, 'https://api.duvo.ai/v1/agents/x');
    assert.deepEqual(await parseRequest(tool('getAgent').binding, req), { agent_id: 'x' });
    const relative = await flattenOpenApi({ openapi: '3.0.3', info: { title: 't', version: '1' }, servers: [{ url: '/api' }],
      paths: { '/a': { get: { operationId: 'a', responses: { 200: { description: 'ok' } } } } } });
    await assert.rejects(buildRequest(relative.tools[0], {}), (e) => e instanceof ClientStateError && /baseUrl/.test(e.message));
    await assert.rejects(buildRequest({ name: 'x' }, {}), ClientStateError);
  });

  test('query arrays, multipart with a file: bytes survive the wire', T, async () => {
    const args = {
      name: 'pdf-tools', 'allowed-tools': ['read', 'write'], metadata: { team: 'ops' },
      file: { data: Buffer.from([0, 1, 2, 255, 13, 10]).toString('base64'), mimeType: 'application/zip', filename: 's.zip' },
    };
    const req = await buildRequest(tool('createSkill'), args, { baseUrl: base });
    assert.ok(req.body instanceof Uint8Array);
    assert.match(req.headers['Content-Type'], /^multipart\/form-data; boundary=/);
    assert.deepEqual(await parseRequest(tool('createSkill'), await send(req)), args);
    const list = { limit: 5, status: ['running', 'failed'] };
    const lr = await buildRequest(tool('listRuns'), list, { baseUrl: base });
    assert.deepEqual(await parseRequest(tool('listRuns'), await send(lr)), list);
  });

  test('unknown keys reject with a ValidationError and a "did you mean"', T, async () => {
    await assert.rejects(buildRequest(tool('getAgent'), { agnet_id: 'a' }, { baseUrl: base }), (e) => {
      assert.ok(e instanceof ValidationError);
      assert.equal(e.code, 'validation.arguments');
      assert.equal(e.kind, 'local');
      assert.match(e.message, /did you mean "agent_id"/);
      assert.deepEqual(e.errors, [{ instanceLocation: '/agnet_id', keywordLocation: '/additionalProperties', message: e.message }]);
      assert.deepEqual(e.data.errors, e.errors);
      return true;
    });
  });

  test('missing and malformed arguments reject with a ValidationError', T, async () => {
    await assert.rejects(buildRequest(tool('getAgent'), {}, { baseUrl: base }), (e) =>
      e instanceof ValidationError && e.errors[0].instanceLocation === '/agent_id' && e.errors[0].keywordLocation === '/required');
    await assert.rejects(buildRequest(tool('createSkill'), { name: 'n', file: { data: '***' } }, { baseUrl: base }), (e) =>
      e instanceof ValidationError && e.errors[0].instanceLocation === '/file' && /base64/.test(e.message));
    await assert.rejects(buildRequest(tool('getAgent'), [1], { baseUrl: base }), ValidationError);
  });

  test('a request that does not match the operation: typed error', T, async () => {
    await assert.rejects(parseRequest(tool('getAgent'), { method: 'POST', url: `${base}/v1/agents/x` }),
      (e) => e instanceof McpError && e.code === 'flatten.bad_request');
    await assert.rejects(parseRequest(tool('getAgent'), { method: 'GET', url: `${base}/v2/nothing` }),
      (e) => e instanceof McpError && e.code === 'flatten.bad_request');
  });
});

const RULES = {
  openai: { name: /^[A-Za-z0-9_-]{1,64}$/ },
  'openai-strict': { name: /^[A-Za-z0-9_-]{1,64}$/ },
  anthropic: { name: /^[A-Za-z0-9_-]{1,64}$/ },
  gemini: { name: /^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/ },
};

describe('adaptTools', () => {
  for (const provider of Object.keys(RULES)) {
    test(`${provider}: names the provider accepts, unique, arguments map back`, T, async () => {
      const a = await adaptTools(duvo.tools, provider);
      assert.equal(a.meta, false);
      assert.equal(a.tools.length + a.diagnostics.length, duvo.tools.length);
      const names = new Set();
      for (const t of a.tools) {
        assert.match(t.name, RULES[provider].name);
        assert.ok(!names.has(t.name));
        names.add(t.name);
        assert.equal(t.parameters.type, 'object');
      }
      for (const d of a.diagnostics) assert.equal(d.code, 'flatten.adapt_unsupported');
      const get = a.tools.find((t) => t.name === 'getAgent');
      assert.deepEqual(await a.toOriginal(get.name, { agent_id: 'a1' }), { name: 'getAgent', arguments: { agent_id: 'a1' } });
    });
  }

  test('openai-strict: optional -> nullable (null = leave out), "send null" kept apart', T, async () => {
    const a = await adaptTools([tool('updateAgentFolder')], 'openai-strict');
    const p = a.tools[0].parameters;
    assert.deepEqual([...p.required].sort(), Object.keys(p.properties).sort());
    assert.equal(p.additionalProperties, false);
    const out = await a.toOriginal('updateAgentFolder', { folder_id: 'f', name: null, parent_folder_id: { value: null } });
    assert.deepEqual(out, { name: 'updateAgentFolder', arguments: { folder_id: 'f', parent_folder_id: null } });
    const left = await a.toOriginal('updateAgentFolder', { folder_id: 'f', name: 'n', parent_folder_id: null });
    assert.deepEqual(left.arguments, { folder_id: 'f', name: 'n' });
  });

  test('above the limit: search / describe / call', T, async () => {
    const a = await adaptTools(duvo.tools, 'anthropic', { limit: 20 });
    assert.equal(a.meta, true);
    assert.deepEqual(a.tools.map((t) => t.name).sort(), ['call_tool', 'describe_tool', 'search_tools']);
    const found = await a.toOriginal('search_tools', { query: 'folder', limit: 3 });
    assert.equal(found.name, 'search_tools');
    assert.ok(found.result.tools.length > 0 && found.result.tools.length <= 3);
    assert.ok(found.result.tools.every((t) => /folder/i.test(t.name + t.description)));
    const described = await a.toOriginal('describe_tool', { name: 'getAgent' });
    assert.equal(described.result.name, 'getAgent');
    assert.ok(described.result.inputSchema);
    const called = await a.toOriginal('call_tool', { name: 'getAgent', arguments: { agent_id: 'a' } });
    assert.deepEqual(called, { name: 'getAgent', arguments: { agent_id: 'a' } });
    await assert.rejects(a.toOriginal('call_tool', { name: 'getAgnet', arguments: {} }), (e) =>
      e instanceof ValidationError && /getAgent/.test(e.message));
    // The strict form of the meta set maps back too.
    const strict = await adaptTools(duvo.tools, 'openai-strict', { limit: 20 });
    assert.equal(strict.tools.length, 3);
    const viaStrict = await strict.toOriginal('search_tools', { query: 'run', limit: null });
    assert.ok(viaStrict.result.tools.length > 0);
  });

  test('errors: unknown provider, unknown tool, not a list', T, async () => {
    await assert.rejects(adaptTools(duvo.tools, 'claude'), ClientStateError);
    await assert.rejects(adaptTools({}, 'openai'), ClientStateError);
    const a = await adaptTools(duvo.tools.slice(0, 3), 'openai');
    await assert.rejects(a.toOriginal('nope', {}), ValidationError);
  });

  test('a tool that cannot be adapted is left out; the rest still work', T, async () => {
    const tools = [
      { name: 'root_union', description: '', inputSchema: { anyOf: [{ type: 'object' }, { type: 'object', properties: { a: { type: 'string' } } }] } },
      { name: 'fine', description: '', inputSchema: { type: 'object', properties: { a: { type: 'string' } } } },
    ];
    const a = await adaptTools(tools, 'gemini');
    assert.deepEqual(a.tools.map((t) => t.name), ['fine']);
    assert.equal(a.diagnostics.length, 1);
    assert.equal(a.diagnostics[0].tool, 'root_union');
  });
});

// In workerd the flattener's module is imported only when first used (a
// dynamic import of the .wasm, a CompiledWasm module the deployer uploads
// beside the bundle): the client alone never loads it.
const FLATTEN_WORKER = `
import { flattenOpenApi, buildRequest, compileSchema } from ${JSON.stringify(new URL('../src/entry-workerd.mjs', import.meta.url).pathname)};
export default {
  async fetch(request) {
    const { document, stage } = await request.json();
    if (stage === 'client-only') {
      const s = await compileSchema({ type: 'string' });
      return Response.json({ valid: s.validate('"x"').valid });
    }
    const { tools } = await flattenOpenApi(document);
    const req = await buildRequest(tools[0], { id: 'a b' }, { baseUrl: 'https://api.example.com' });
    return Response.json({ names: tools.map((t) => t.name), url: req.url });
  },
};
`;

test('flattenOpenApi inside workerd (miniflare): the flattener module loads on first use', T, async () => {
  const { build } = await import('esbuild');
  const { Miniflare } = await import('miniflare');
  const { wasmAsModule } = await import('../worker/build.mjs');
  const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const path = await import('node:path');
  const { settlesWithin } = await import('./helpers.mjs');
  const outdir = mkdtempSync(path.join(tmpdir(), 'mcpw-flatten-worker-'));
  writeFileSync(path.join(outdir, 'src.mjs'), FLATTEN_WORKER);
  await build({
    entryPoints: [path.join(outdir, 'src.mjs')], outfile: path.join(outdir, 'worker.mjs'), bundle: true,
    format: 'esm', platform: 'neutral', conditions: ['workerd', 'worker', 'browser'], logLevel: 'silent',
    plugins: [wasmAsModule(outdir)],
  });
  const doc = { openapi: '3.1.0', info: { title: 't', version: '1' }, paths: { '/items/{id}': {
    get: { operationId: 'getItem', parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
      responses: { 200: { description: 'ok' } } } } } };
  const modules = (wasm) => [{ type: 'ESModule', path: path.join(outdir, 'worker.mjs') },
    ...wasm.map((w) => ({ type: 'CompiledWasm', path: path.join(outdir, w) }))];
  const ask = async (wasm, body) => {
    const mf = new Miniflare({ modulesRoot: outdir, modules: modules(wasm), compatibilityDate: '2025-01-01', host: '127.0.0.1', port: 0 });
    try {
      await settlesWithin(mf.ready, 30000, 'miniflare start');
      const res = await settlesWithin(mf.dispatchFetch('http://worker/', { method: 'POST', body: JSON.stringify(body) }), 30000, 'worker fetch');
      return { status: res.status, text: await res.text() };
    } finally {
      await mf.dispose();
    }
  };
  try {
    const both = await ask(['mcpw.wasm', 'mcpw-flatten.wasm'], { document: doc });
    assert.equal(both.status, 200, both.text);
    assert.deepEqual(JSON.parse(both.text), { names: ['getItem'], url: 'https://api.example.com/items/a%20b' });
    // Without the flattener's module uploaded, the client still works.
    const clientOnly = await ask(['mcpw.wasm'], { stage: 'client-only' });
    assert.equal(clientOnly.status, 200, clientOnly.text);
    assert.deepEqual(JSON.parse(clientOnly.text), { valid: true });
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
});
