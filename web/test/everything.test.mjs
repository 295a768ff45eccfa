// The reference "everything" server (@modelcontextprotocol/server-everything,
// pinned in devDependencies) as a real peer: every feature it offers, through
// the package's public API, over Streamable HTTP; and the core calls over its
// legacy HTTP+SSE mode (protocol 2024-11-05 transport). The server runs as a
// child process bound to 127.0.0.1 (servers/everything.mjs). What each tool,
// resource and prompt returns is taken from the server's source
// (node_modules/@modelcontextprotocol/server-everything/dist/).
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { Client, AbortError, RpcError, ClientStateError } from 'mcp-wasm';
import { startEverything, EVERYTHING_VERSION, EVERYTHING_DIR } from './servers/everything.mjs';

const T = { timeout: 20000 };
const SERVER_INFO = { name: 'mcp-servers/everything', title: 'Everything Reference Server', version: '2.0.0' };
const ROOTS = [{ uri: 'file:///work/project-a', name: 'Project A' }, { uri: 'file:///work/project-b', name: 'Project B' }];
// Registered for every client (tools/index.js registerTools), then those the
// client's capabilities allow (registerConditionalTools): roots, elicitation
// (form and URL mode), sampling, and the task tool. The two "-async" tools need
// the client to run sampling/elicitation as tasks (capabilities.tasks.requests),
// which this client does not declare, so the server does not offer them.
const TOOL_NAMES = [
  'echo', 'get-annotated-message', 'get-env', 'get-resource-links', 'get-resource-reference',
  'get-roots-list', 'get-structured-content', 'get-sum', 'get-tiny-image', 'gzip-file-as-resource',
  'simulate-research-query', 'toggle-simulated-logging', 'toggle-subscriber-updates',
  'trigger-elicitation-request', 'trigger-long-running-operation', 'trigger-sampling-request',
  'trigger-url-elicitation',
];
const DOCS = readdirSync(join(EVERYTHING_DIR, 'dist', 'docs')).sort();

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const b64 = (s) => Buffer.from(s, 'base64').toString('utf8');

/// Resolves with the first element of `list` (now or later) that `pred` accepts; rejects after `ms`.
async function waitFor(list, pred, ms, what) {
  const end = Date.now() + ms;
  for (;;) {
    const hit = list.find(pred);
    if (hit) return hit;
    if (Date.now() > end) throw new Error(`no ${what} within ${ms} ms; got: ${JSON.stringify(list.map((n) => n.method ?? n))}`);
    await sleep(20);
  }
}

/// Rejects if `promise` has not settled within `ms`.
function within(promise, ms, what) {
  let timer;
  return Promise.race([promise, new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not settle within ${ms} ms`)), ms);
  })]).finally(() => clearTimeout(timer));
}

describe(`server-everything ${EVERYTHING_VERSION} over Streamable HTTP`, { timeout: 50000 }, () => {
  let server;
  let client;
  const notes = [];     // every notification given to onNotification
  const elicits = [];   // params of every elicitation/create
  const samples = [];   // params of every sampling/createMessage
  let formAnswer = { action: 'accept', content: { name: 'Ada Lovelace', check: true, email: 'ada@example.com' } };

  before(async () => {
    server = await startEverything('streamableHttp');
    client = await Client.connect(server.url, {
      clientInfo: { name: 'mcpw-everything-test', version: '0.0.0' },
      timeoutMs: 10000,
      onNotification: (n) => notes.push(n),
      roots: async () => ROOTS,
      onSample: (params) => {
        samples.push(params);
        return { role: 'assistant', content: { type: 'text', text: 'sampled reply' }, model: 'test-model', stopReason: 'endTurn' };
      },
      onElicit: (params) => {
        elicits.push(params);
        if (params.mode === 'url') return { action: 'accept' };
        if (params.requestedSchema?.properties?.interpretation) return { action: 'accept', content: { interpretation: 'snake' } };
        return formAnswer;
      },
    });
  });
  after(async () => {
    try { await client?.close(); } finally { await server?.stop(); }
  });

  test('connect: negotiated 2025 handshake, server info and capabilities', T, () => {
    // The server speaks the 2025 protocols only: "auto" falls back to initialize.
    assert.equal(client.protocolVersion, '2025-11-25');
    assert.deepEqual(client.serverInfo, SERVER_INFO);
    const caps = client.serverCapabilities;
    assert.deepEqual(caps.tools, { listChanged: true });
    assert.deepEqual(caps.prompts, { listChanged: true });
    assert.deepEqual(caps.resources, { subscribe: true, listChanged: true });
    assert.deepEqual(caps.logging, {});
    assert.ok(caps.completions);
    assert.deepEqual(caps.tasks?.requests, { tools: { call: {} } });
  });

  test('roots: the server asks for them after initialized and lists them', T, async () => {
    // server/roots.js: roots/list 350 ms after initialized, then an info log.
    await waitFor(notes, (n) => n.method === 'notifications/message' &&
      n.params.data === `Roots updated: ${ROOTS.length} root(s) received from client`, 5000, 'roots log');
    const r = await client.callTool('get-roots-list', {});
    assert.ok(!r.isError);
    const text = r.content[0].text;
    assert.match(text, /^Current MCP Roots \(2 total\):/);
    assert.ok(text.includes('1. Project A\n   URI: file:///work/project-a'), text);
    assert.ok(text.includes('2. Project B\n   URI: file:///work/project-b'), text);
  });

  test('tools/list: every tool with its schema and annotations', T, async () => {
    const tools = await client.listTools({ refresh: true });
    assert.deepEqual(tools.map((t) => t.name).sort(), TOOL_NAMES);
    const by = Object.fromEntries(tools.map((t) => [t.name, t]));
    assert.equal(by.echo.title, 'Echo Tool');
    assert.equal(by.echo.description, 'Echoes back the input string');
    assert.equal(by.echo.inputSchema.type, 'object');
    assert.deepEqual(by.echo.inputSchema.required, ['message']);
    assert.equal(by.echo.inputSchema.properties.message.type, 'string');
    assert.deepEqual(by.echo.annotations, { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false });
    assert.deepEqual(by['get-sum'].inputSchema.required.sort(), ['a', 'b']);
    const out = by['get-structured-content'].outputSchema;
    assert.equal(out.type, 'object');
    assert.deepEqual(Object.keys(out.properties).sort(), ['conditions', 'humidity', 'temperature']);
    assert.deepEqual(by['get-structured-content'].inputSchema.properties.location.enum, ['New York', 'Chicago', 'Los Angeles']);
    assert.equal(by['trigger-sampling-request'].annotations.openWorldHint, true);
    assert.equal(by['simulate-research-query'].execution?.taskSupport, 'required');
    for (const t of tools) assert.ok(typeof t.title === 'string' && t.title.length > 0, `${t.name} has a title`);
  });

  test('tools/call: echo, get-sum, get-env', T, async () => {
    const msg = 'héllo ✓ "quoted"\nline 2';
    assert.deepEqual(await client.callTool('echo', { message: msg }), { content: [{ type: 'text', text: `Echo: ${msg}` }] });
    const sum = await client.callTool('get-sum', { a: 2.5, b: 40 });
    assert.deepEqual(sum.content, [{ type: 'text', text: 'The sum of 2.5 and 40 is 42.5.' }]);
    // Invalid arguments come back as a tool error (isError), not a protocol error.
    const bad = await client.callTool('get-sum', { a: 'two', b: 40 });
    assert.equal(bad.isError, true);
    const env = JSON.parse((await client.callTool('get-env', {})).content[0].text);
    assert.equal(env.PORT, '0');  // the environment servers/everything.mjs started it with
    assert.equal(env.GZIP_ALLOWED_DOMAINS, '127.0.0.1');
  });

  test('tools/call: structured content matching the output schema', T, async () => {
    const expected = {
      'New York': { temperature: 33, conditions: 'Cloudy', humidity: 82 },
      'Chicago': { temperature: 36, conditions: 'Light rain / drizzle', humidity: 82 },
      'Los Angeles': { temperature: 73, conditions: 'Sunny / Clear', humidity: 48 },
    };
    for (const [location, weather] of Object.entries(expected)) {
      const r = await client.callTool('get-structured-content', { location });
      assert.deepEqual(r.structuredContent, weather);
      assert.deepEqual(JSON.parse(r.content[0].text), weather);
    }
  });

  test('tools/call: images and annotated content', T, async () => {
    const img = await client.callTool('get-tiny-image', {});
    assert.deepEqual(img.content.map((c) => c.type), ['text', 'image', 'text']);
    assert.equal(img.content[1].mimeType, 'image/png');
    const png = Buffer.from(img.content[1].data, 'base64');
    assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

    const err = await client.callTool('get-annotated-message', { messageType: 'error', includeImage: true });
    assert.deepEqual(err.content[0], { type: 'text', text: 'Error: Operation failed', annotations: { priority: 1, audience: ['user', 'assistant'] } });
    assert.equal(err.content[1].type, 'image');
    assert.equal(err.content[1].data, img.content[1].data);
    assert.deepEqual(err.content[1].annotations, { priority: 0.5, audience: ['user'] });
    const ok = await client.callTool('get-annotated-message', { messageType: 'success' });
    assert.deepEqual(ok.content, [{ type: 'text', text: 'Operation completed successfully', annotations: { priority: 0.7, audience: ['user'] } }]);
    const dbg = await client.callTool('get-annotated-message', { messageType: 'debug' });
    assert.deepEqual(dbg.content[0].annotations, { priority: 0.3, audience: ['assistant'] });
  });

  test('tools/call: resource links and embedded resources, read back', T, async () => {
    const links = await client.callTool('get-resource-links', { count: 4 });
    assert.deepEqual(links.content[0], { type: 'text', text: 'Here are 4 resource links to resources available in this server:' });
    const rl = links.content.slice(1);
    assert.equal(rl.length, 4);
    for (const [i, link] of rl.entries()) {
      const id = i + 1;
      const kind = id % 2 === 0 ? 'text' : 'blob';  // even ids are text resources (get-resource-links.js)
      assert.equal(link.type, 'resource_link');
      assert.equal(link.uri, `demo://resource/dynamic/${kind}/${id}`);
      assert.equal(link.name, `${kind === 'text' ? 'Text' : 'Blob'} Resource ${id}`);
      const read = await client.readResource(link.uri);
      const c = read.contents[0];
      assert.equal(c.uri, link.uri);
      if (kind === 'text') assert.match(c.text, new RegExp(`^Resource ${id}: This is a plaintext resource created at `));
      else assert.match(b64(c.blob), new RegExp(`^Resource ${id}: This is a base64 blob created at `));
    }
    const ref = await client.callTool('get-resource-reference', { resourceType: 'Blob', resourceId: 3 });
    assert.equal(ref.content[0].text, 'Returning resource reference for Resource 3:');
    assert.equal(ref.content[1].type, 'resource');
    assert.equal(ref.content[1].resource.uri, 'demo://resource/dynamic/blob/3');
    assert.match(b64(ref.content[1].resource.blob), /^Resource 3: This is a base64 blob created at /);
    const textRef = await client.callTool('get-resource-reference', { resourceType: 'Text', resourceId: 7 });
    assert.match(textRef.content[1].resource.text, /^Resource 7: This is a plaintext resource created at /);
  });

  test('tools/call: gzip-file-as-resource registers a session resource (list_changed, read, gunzip)', T, async () => {
    const original = 'compress me ✓\n'.repeat(20);
    const data = 'data:text/plain;base64,' + Buffer.from(original).toString('base64');
    const link = await client.callTool('gzip-file-as-resource', { name: 'note.txt.gz', data, outputType: 'resourceLink' });
    assert.deepEqual(link.content, [{ type: 'resource_link', uri: 'demo://resource/session/note.txt.gz', name: 'note.txt.gz', mimeType: 'application/gzip' }]);
    await waitFor(notes, (n) => n.method === 'notifications/resources/list_changed', 5000, 'resources/list_changed');
    const listed = await client.listResources();
    assert.ok(listed.some((r) => r.uri === 'demo://resource/session/note.txt.gz'));
    const read = await client.readResource('demo://resource/session/note.txt.gz');
    assert.equal(read.contents[0].mimeType, 'application/gzip');
    assert.equal(gunzipSync(Buffer.from(read.contents[0].blob, 'base64')).toString('utf8'), original);
    const embedded = await client.callTool('gzip-file-as-resource', { name: 'x.gz', data, outputType: 'resource' });
    assert.equal(embedded.content[0].type, 'resource');
    assert.equal(gunzipSync(Buffer.from(embedded.content[0].resource.blob, 'base64')).toString('utf8'), original);
    // GZIP_ALLOWED_DOMAINS (set by the helper) refuses other hosts: a tool error.
    const refused = await client.callTool('gzip-file-as-resource', { data: 'https://example.com/file' });
    assert.equal(refused.isError, true);
    assert.match(refused.content[0].text, /Domain example\.com is not in the allowed domains list/);
  });

  test('progress: trigger-long-running-operation reports every step to onProgress', T, async () => {
    const progress = [];
    const r = await client.callTool('trigger-long-running-operation', { duration: 1, steps: 4 }, { onProgress: (p) => progress.push(p) });
    assert.equal(r.content[0].text, 'Long running operation completed. Duration: 1 seconds, Steps: 4.');
    assert.deepEqual(progress.map((p) => [p.progress, p.total]), [[1, 4], [2, 4], [3, 4], [4, 4]]);
    assert.ok(progress.every((p) => p.progressToken === progress[0].progressToken));
    assert.ok(!notes.some((n) => n.method === 'notifications/progress'), 'progress goes to onProgress, not onNotification');
  });

  test('sampling: trigger-sampling-request is answered by onSample', T, async () => {
    const r = await client.callTool('trigger-sampling-request', { prompt: 'Say hi', maxTokens: 17 });
    const p = samples.at(-1);
    assert.deepEqual(p.messages, [{ role: 'user', content: { type: 'text', text: 'Resource trigger-sampling-request context: Say hi' } }]);
    assert.equal(p.systemPrompt, 'You are a helpful test server.');
    assert.equal(p.maxTokens, 17);
    assert.equal(p.temperature, 0.7);
    const text = r.content[0].text;
    assert.ok(text.startsWith('LLM sampling result: \n'), text);
    const echoed = JSON.parse(text.slice('LLM sampling result: \n'.length));
    assert.equal(echoed.model, 'test-model');
    assert.deepEqual(echoed.content, { type: 'text', text: 'sampled reply' });
  });

  test('elicitation (form): accepted with the schema defaults filled in, then declined', T, async () => {
    const r = await client.callTool('trigger-elicitation-request', {});
    const p = elicits.at(-1);
    assert.equal(p.message, 'Please provide inputs for the following fields:');
    assert.deepEqual(p.requestedSchema.required, ['name']);
    assert.equal(p.requestedSchema.properties.email.format, 'email');
    assert.equal(r.content[0].text, '✅ User provided the requested information!');
    const lines = r.content[1].text;
    assert.ok(lines.includes('- Name: Ada Lovelace'), lines);
    assert.ok(lines.includes('- Agreed to terms: true'), lines);
    assert.ok(lines.includes('- Email: ada@example.com'), lines);
    assert.ok(lines.includes('- Favorite Integer: 42'), lines);  // default applied by the client
    const raw = JSON.parse(r.content[2].text.replace(/^\nRaw result: /, ''));
    assert.equal(raw.action, 'accept');
    assert.equal(raw.content.firstLine, 'It was a dark and stormy night.');
    assert.deepEqual(raw.content.untitledMultipleSelectEnum, ['Guitar']);
    assert.equal(raw.content.titledSingleSelectEnum, 'hero-1');

    formAnswer = { action: 'decline' };
    const d = await client.callTool('trigger-elicitation-request', {});
    assert.equal(d.content[0].text, '❌ User declined to provide the requested information.');
  });

  test('elicitation (URL mode): request path, and the -32042 error path then retry', T, async () => {
    const url = 'https://example.com/authorize?x=1';
    const r = await client.callTool('trigger-url-elicitation', { url, elicitationId: 'el-1' });
    assert.deepEqual(elicits.at(-1), { mode: 'url', url, message: 'Please open the link to complete this action.', elicitationId: 'el-1' });
    assert.equal(r.content[0].text, `✅ User completed the URL elicitation flow.\nElicitation ID: el-1\nURL: ${url}`);

    const e = await client.callTool('trigger-url-elicitation', { url, errorPath: true }).then(() => null, (x) => x);
    assert.ok(e instanceof RpcError, String(e));
    assert.equal(e.rpcCode, -32042);
    const pre = e.data?.data?.elicitations ?? e.data?.elicitations;
    assert.equal(pre?.[0]?.mode, 'url', JSON.stringify(e.data));
    assert.equal(pre[0].url, 'https://modelcontextprotocol.io');
    // The same call again is the retry after the prerequisite: it goes through.
    const n = elicits.length;
    const retry = await client.callTool('trigger-url-elicitation', { url, errorPath: true });
    assert.match(retry.content[0].text, /^✅ User completed the URL elicitation flow\./);
    assert.equal(elicits.length, n + 1);
  });

  test('tasks: simulate-research-query as a task (tasks/list, get, result with an elicitation, cancel)', T, async () => {
    // Without a task the server refuses (taskSupport: required).
    const plain = await client.callTool('simulate-research-query', { topic: 'x' });
    assert.equal(plain.isError, true);
    assert.match(plain.content[0].text, /requires task augmentation/);

    const created = await client.request('tools/call', { name: 'simulate-research-query', arguments: { topic: 'python', ambiguous: true }, task: { ttl: 60000 } });
    const { taskId } = created.task;
    assert.equal(typeof taskId, 'string');
    assert.equal(created.task.status, 'working');
    const listed = await client.request('tasks/list', {});
    assert.ok(listed.tasks.some((t) => t.taskId === taskId));
    const got = await client.request('tasks/get', { taskId });
    assert.equal(got.taskId, taskId);
    assert.ok(['working', 'input_required'].includes(got.status), got.status);
    // tasks/result waits for the end; the clarification request comes through it.
    const result = await client.request('tasks/result', { taskId }, { timeoutMs: 15000 });
    const clarify = elicits.find((p) => p.requestedSchema?.properties?.interpretation);
    assert.ok(clarify, 'the ambiguous topic asked for a clarification');
    assert.deepEqual(clarify.requestedSchema.properties.interpretation.oneOf.map((o) => o.const), ['programming', 'snake', 'comedy']);
    assert.match(result.content[0].text, /^# Research Report: python \(snake\)/);
    assert.equal((await client.request('tasks/get', { taskId })).status, 'completed');
    const statuses = notes.filter((n) => n.method === 'notifications/tasks/status' && n.params.taskId === taskId).map((n) => n.params.status);
    assert.ok(statuses.includes('input_required') && statuses.includes('completed'), JSON.stringify(statuses));

    const other = await client.request('tools/call', { name: 'simulate-research-query', arguments: { topic: 'cancel me' }, task: { ttl: 60000 } });
    const cancelled = await client.request('tasks/cancel', { taskId: other.task.taskId });
    assert.equal(cancelled.status, 'cancelled');
    assert.equal((await client.request('tasks/get', { taskId: other.task.taskId })).status, 'cancelled');
  });

  test('logging: setLoggingLevel filters what the server sends (GET stream)', T, async () => {
    // resources/subscribe logs at info (resources/subscriptions.js).
    assert.deepEqual(await client.setLoggingLevel('warning'), {});
    await client.subscribeResource('demo://resource/dynamic/text/91');
    await client.unsubscribeResource('demo://resource/dynamic/text/91');
    assert.deepEqual(await client.setLoggingLevel('info'), {});
    await client.subscribeResource('demo://resource/dynamic/text/92');
    await client.unsubscribeResource('demo://resource/dynamic/text/92');
    const logs = (uri) => notes.filter((n) => n.method === 'notifications/message' && String(n.params.data).includes(uri));
    await waitFor(notes, (n) => n.method === 'notifications/message' && n.params.level === 'info' &&
      String(n.params.data).startsWith('Received Unsubscribe Resource request: demo://resource/dynamic/text/92'), 5000, 'info log');
    // One stream, in order: had the server sent the /91 logs they would be here already.
    assert.equal(logs('/91').length, 0, 'below the level: not sent');
    assert.equal(logs('/92').length, 2);

    // toggle-simulated-logging sends one random-level message at once.
    assert.deepEqual(await client.setLoggingLevel('debug'), {});
    const before = notes.length;
    const on = await client.callTool('toggle-simulated-logging', {});
    assert.match(on.content[0].text, /^Started simulated, random-leveled logging for session /);
    const sim = await waitFor(notes.slice(before), (n) => n.method === 'notifications/message' && /[Ll]evel[- ]message - SessionId /.test(n.params.data), 5000, 'simulated log');
    assert.ok(['debug', 'info', 'notice', 'warning', 'error', 'critical', 'alert', 'emergency'].includes(sim.params.level));
    const off = await client.callTool('toggle-simulated-logging', {});
    assert.match(off.content[0].text, /^Stopped simulated logging for session /);
  });

  test('resources: list, templates, read text and blob, errors', T, async () => {
    const resources = await client.listResources();
    const statics = resources.filter((r) => r.uri.startsWith('demo://resource/static/'));
    assert.deepEqual(statics.map((r) => r.name).sort(), DOCS);
    for (const r of statics) {
      assert.equal(r.uri, `demo://resource/static/document/${encodeURIComponent(r.name)}`);
      assert.equal(r.mimeType, r.name.endsWith('.md') ? 'text/markdown' : 'text/plain');
    }
    const doc = statics.find((r) => r.name === 'instructions.md');
    const read = await client.readResource(doc.uri);
    assert.deepEqual(read.contents, [{ uri: doc.uri, mimeType: 'text/markdown',
      text: readFileSync(join(EVERYTHING_DIR, 'dist', 'docs', 'instructions.md'), 'utf8') }]);

    const templates = await client.listResourceTemplates();
    assert.deepEqual(templates.map((t) => [t.name, t.uriTemplate, t.mimeType]), [
      ['Dynamic Text Resource', 'demo://resource/dynamic/text/{resourceId}', 'text/plain'],
      ['Dynamic Blob Resource', 'demo://resource/dynamic/blob/{resourceId}', 'application/octet-stream'],
    ]);
    const text = await client.readResource('demo://resource/dynamic/text/12');
    assert.equal(text.contents[0].mimeType, 'text/plain');
    assert.match(text.contents[0].text, /^Resource 12: This is a plaintext resource created at /);
    const blob = await client.readResource('demo://resource/dynamic/blob/13');
    assert.match(b64(blob.contents[0].blob), /^Resource 13: This is a base64 blob created at /);
    for (const uri of ['demo://resource/dynamic/text/0', 'demo://resource/nothing/here']) {
      const e = await client.readResource(uri).then(() => null, (x) => x);
      assert.ok(e instanceof RpcError, `${uri}: ${e}`);
    }
  });

  test('resources: subscribe -> notifications/resources/updated; unsubscribe', T, async () => {
    const uri = 'demo://resource/dynamic/text/1';
    assert.deepEqual(await client.subscribeResource(uri), {});
    const before = notes.length;
    // toggle-subscriber-updates sends an update for each subscription at once, then every 5 s.
    const on = await client.callTool('toggle-subscriber-updates', {});
    assert.match(on.content[0].text, /^Started simulated resource updated notifications for session /);
    const upd = await waitFor(notes.slice(before), (n) => n.method === 'notifications/resources/updated', 5000, 'resources/updated');
    assert.deepEqual(upd.params, { uri });
    assert.deepEqual(await client.unsubscribeResource(uri), {});
    const off = await client.callTool('toggle-subscriber-updates', {});
    assert.match(off.content[0].text, /^Stopped simulated resource updates for session /);
  });

  test('prompts: list and get, with arguments and an embedded resource', T, async () => {
    const prompts = await client.listPrompts();
    assert.deepEqual(prompts.map((p) => p.name), ['simple-prompt', 'args-prompt', 'completable-prompt', 'resource-prompt']);
    const args = prompts.find((p) => p.name === 'args-prompt');
    assert.deepEqual(args.arguments.map((a) => [a.name, a.required]), [['city', true], ['state', false]]);

    assert.deepEqual((await client.getPrompt('simple-prompt')).messages,
      [{ role: 'user', content: { type: 'text', text: 'This is a simple prompt without arguments.' } }]);
    assert.equal((await client.getPrompt('args-prompt', { city: 'Portland', state: 'Oregon' })).messages[0].content.text,
      "What's weather in Portland, Oregon?");
    assert.equal((await client.getPrompt('args-prompt', { city: 'Paris' })).messages[0].content.text, "What's weather in Paris?");
    assert.equal((await client.getPrompt('completable-prompt', { department: 'Sales', name: 'Eve' })).messages[0].content.text,
      'Please promote Eve to the head of the Sales team.');
    const res = await client.getPrompt('resource-prompt', { resourceType: 'Text', resourceId: '4' });
    assert.equal(res.messages[0].content.text, 'This prompt includes the Text resource with id: 4. Please analyze the following resource:');
    assert.equal(res.messages[1].content.type, 'resource');
    assert.equal(res.messages[1].content.resource.uri, 'demo://resource/dynamic/text/4');
    assert.match(res.messages[1].content.resource.text, /^Resource 4: This is a plaintext resource created at /);
    // A missing required argument is a protocol error.
    const e = await client.getPrompt('args-prompt', {}).then(() => null, (x) => x);
    assert.ok(e instanceof RpcError, String(e));
  });

  test('completion: prompt arguments (with context) and resource template variables', T, async () => {
    const dept = await client.complete({ type: 'ref/prompt', name: 'completable-prompt' }, { name: 'department', value: 'S' });
    assert.deepEqual(dept.completion.values, ['Sales', 'Support']);
    const names = await client.complete({ type: 'ref/prompt', name: 'completable-prompt' }, { name: 'name', value: '' },
      { arguments: { department: 'Engineering' } });
    assert.deepEqual(names.completion.values, ['Alice', 'Bob', 'Charlie']);
    const none = await client.complete({ type: 'ref/prompt', name: 'completable-prompt' }, { name: 'name', value: 'A' });
    assert.deepEqual(none.completion.values, []);
    const type = await client.complete({ type: 'ref/prompt', name: 'resource-prompt' }, { name: 'resourceType', value: 'B' });
    assert.deepEqual(type.completion.values, ['Blob']);
    const id = await client.complete({ type: 'ref/resource', uri: 'demo://resource/dynamic/blob/{resourceId}' }, { name: 'resourceId', value: '7' });
    assert.deepEqual(id.completion.values, ['7']);
    const badId = await client.complete({ type: 'ref/resource', uri: 'demo://resource/dynamic/text/{resourceId}' }, { name: 'resourceId', value: 'x' });
    assert.deepEqual(badId.completion.values, []);
  });

  test('ping', T, async () => {
    assert.deepEqual(await client.ping(), {});
  });

  test('cancellation: an aborted long tool call rejects with AbortError at once; the client stays usable', T, async () => {
    const ac = new AbortController();
    const progress = [];
    // 6 steps of 0.5 s: the server keeps running (it ignores the cancel) and would report progress.
    const call = client.callTool('trigger-long-running-operation', { duration: 3, steps: 6 }, { signal: ac.signal, onProgress: (p) => progress.push(p) });
    await waitFor(progress, () => true, 5000, 'first progress');
    const t0 = Date.now();
    ac.abort();
    const e = await within(call.then(() => null, (x) => x), 1000, 'the aborted call');
    assert.ok(e instanceof AbortError, String(e));
    assert.ok(Date.now() - t0 < 1000);
    const seen = progress.length;
    assert.deepEqual(await client.callTool('echo', { message: 'still here' }), { content: [{ type: 'text', text: 'Echo: still here' }] });
    assert.deepEqual(await client.ping(), {});
    await sleep(1200);  // two more steps on the server
    assert.equal(progress.length, seen, 'no progress delivered after the abort');
    // An already-aborted signal: rejected without a result.
    const pre = await client.callTool('echo', { message: 'x' }, { signal: AbortSignal.abort() }).then(() => null, (x) => x);
    assert.ok(pre instanceof AbortError, String(pre));
  });

  test('close: ends the session (DELETE) and later calls fail locally', T, async () => {
    const sessionLog = notes.find((n) => n.method === 'notifications/message' && /SessionId [0-9a-f-]{36}/.test(n.params.data));
    assert.ok(sessionLog, 'a log that names the session');
    const sessionId = sessionLog.params.data.match(/SessionId ([0-9a-f-]{36})/)[1];
    await within(client.close(), 5000, 'close');
    const e = await client.ping().then(() => null, (x) => x);
    assert.ok(e instanceof ClientStateError, String(e));
    assert.equal(e.code, 'client.closed');
    // streamableHttp.js logs the DELETE it got for this session.
    const end = Date.now() + 3000;
    while (!server.log().includes(`Received session termination request for session ${sessionId}`) && Date.now() < end) await sleep(20);
    assert.ok(server.log().includes(`Received session termination request for session ${sessionId}`), server.log().slice(-2000));
  });
});

// The legacy HTTP+SSE transport (2024-11-05): GET /sse gives an `endpoint`
// event (/message?sessionId=...), requests are POSTed there, answers come on
// the GET stream. The client is pointed at the SSE URL; its first POST there
// gets 404 from this server, which is the cue to fall back.
describe(`server-everything ${EVERYTHING_VERSION} over legacy HTTP+SSE`, { timeout: 30000 }, () => {
  let server;
  before(async () => { server = await startEverything('sse'); });
  after(async () => { await server?.stop(); });

  test('connect, list tools, echo, read a resource, get a prompt, progress, a server request, close', { timeout: 20000 }, async () => {
    const notes = [];
    const client = await Client.connect(server.url, {
      timeoutMs: 5000,
      onNotification: (n) => notes.push(n),
      onSample: () => ({ role: 'assistant', content: { type: 'text', text: 'legacy reply' }, model: 'legacy-model' }),
    });
    let sessionId;
    try {
      // sse.js logs each GET /sse session it opens and each POST /message it gets.
      sessionId = server.log().match(/Client Connected: +([0-9a-f-]{36})/)?.[1];
      assert.ok(sessionId, 'the client came in through GET /sse:\n' + server.log());
      assert.deepEqual(client.serverInfo, SERVER_INFO);
      assert.match(client.protocolVersion, /^2024-11-05$|^2025-/);
      const tools = await client.listTools();
      assert.ok(tools.some((t) => t.name === 'echo'));
      assert.ok(tools.some((t) => t.name === 'trigger-sampling-request'));
      assert.deepEqual(await client.callTool('echo', { message: 'over SSE' }), { content: [{ type: 'text', text: 'Echo: over SSE' }] });
      const text = await client.readResource('demo://resource/dynamic/text/3');
      assert.match(text.contents[0].text, /^Resource 3: This is a plaintext resource created at /);
      const p = await client.getPrompt('args-prompt', { city: 'Lisbon' });
      assert.equal(p.messages[0].content.text, "What's weather in Lisbon?");
      // Everything the server sends comes on the one GET stream: progress, its requests, logs.
      const progress = [];
      const long = await client.callTool('trigger-long-running-operation', { duration: 0.4, steps: 2 }, { onProgress: (x) => progress.push(x) });
      assert.equal(long.content[0].text, 'Long running operation completed. Duration: 0.4 seconds, Steps: 2.');
      assert.deepEqual(progress.map((x) => [x.progress, x.total]), [[1, 2], [2, 2]]);
      const sampled = await client.callTool('trigger-sampling-request', { prompt: 'legacy' });
      assert.equal(JSON.parse(sampled.content[0].text.replace(/^LLM sampling result: \n/, '')).model, 'legacy-model');
      assert.deepEqual(await client.setLoggingLevel('info'), {});
      await client.subscribeResource('demo://resource/dynamic/text/3');
      await waitFor(notes, (n) => n.method === 'notifications/message' &&
        n.params.data === `Received Subscribe Resource request for URI: demo://resource/dynamic/text/3 from session ${sessionId}`, 5000, 'subscribe log');
      assert.deepEqual(await client.ping(), {});
      assert.ok(server.log().includes(`Client Message from ${sessionId}`));
    } finally {
      await within(client.close(), 5000, 'close');
    }
    const e = await client.ping().then(() => null, (x) => x);
    assert.ok(e instanceof ClientStateError, String(e));
    // Closing drops the GET stream, which ends the session on the server.
    const end = Date.now() + 3000;
    while (!server.log().includes(`Client Disconnected:  ${sessionId}`) && Date.now() < end) await sleep(20);
    assert.ok(server.log().includes(`Client Disconnected:  ${sessionId}`), server.log().slice(-2000));
  });
});
