// Duvo-in-a-box (demo/duvo/) driven by the package's Client on loopback: the
// tools are the OpenAPI operations flattened by mcp-wasm's own flattener and
// served by the official SDK server; runs advance on a short timer.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Client, UnauthorizedError, ForbiddenError, RateLimitedError, headlessRedirect, memoryStorage } from 'mcp-wasm';
import { startDuvo, IDS, TERMINAL, DEMO_API_KEY } from '../demo/duvo/server.mjs';

const T = { timeout: 60000 };
const STEP_MS = 25;
const DOC = JSON.parse(readFileSync(new URL('../demo/duvo/openapi.json', import.meta.url), 'utf8'));
const OPERATION_IDS = Object.values(DOC.paths).flatMap((item) => Object.entries(item).filter(([m]) => m !== 'parameters').map(([, op]) => op.operationId));

let duvo;
before(async () => { duvo = await startDuvo({ runStepMs: STEP_MS }); });
after(async () => { await duvo?.close(); });

const connect = (url = duvo.mcpUrl, options = {}) =>
  Client.connect(url, { bearer: duvo.apiKey, clientInfo: { name: 'duvo-test', version: '0.0.0' }, timeoutMs: 10000, ...options });

async function withClient(fn, url, options) {
  const client = await connect(url, options);
  try { return await fn(client); } finally { await client.close(); }
}

// Polls getRun until `done(payload)`; bounded in count and time.
async function pollRun(client, runId, done, { maxPolls = 200 } = {}) {
  for (let i = 0; i < maxPolls; i++) {
    const r = await client.callTool('getRun', { run_id: runId });
    assert.ok(!r.isError, r.content?.[0]?.text);
    if (done(r.structuredContent)) return r.structuredContent;
    await new Promise((resolve) => setTimeout(resolve, STEP_MS));
  }
  throw new Error(`run ${runId} did not get there within ${maxPolls} polls`);
}

// Records what the MCP tools dispatch into the REST implementation.
function spyRest(server) {
  const seen = [];
  const original = server.rest.dispatch;
  server.rest.dispatch = (req) => { seen.push(req); return original.call(server.rest, req); };
  return { seen, restore: () => { server.rest.dispatch = original; } };
}

test('tools: one per operationId, with flat schemas and descriptions', T, async () => {
  assert.ok(OPERATION_IDS.length >= 25 && OPERATION_IDS.length <= 55, `${OPERATION_IDS.length} operations`);
  await withClient(async (client) => {
    assert.equal(client.serverInfo.name, 'duvo-in-a-box');
    const tools = await client.listTools();
    assert.deepEqual(tools.map((t) => t.name).sort(), [...OPERATION_IDS].sort());
    const byName = new Map(tools.map((t) => [t.name, t]));
    const start = byName.get('startRun');
    assert.deepEqual(Object.keys(start.inputSchema.properties).sort(), ['agent_id', 'message', 'sandbox_id', 'webhook_url']);
    assert.deepEqual(start.inputSchema.required, ['agent_id']);
    assert.match(start.description, /poll getRun/);
    const respond = byName.get('respondToHumanRequest');
    assert.deepEqual(Object.keys(respond.inputSchema.properties).sort(), ['answers', 'approved', 'request_id', 'run_id']);
    assert.ok(Object.keys(byName.get('renameFile').inputSchema.properties).includes('newFilenameOnly'));
    assert.ok('allowed-tools' in byName.get('createSkill').inputSchema.properties);
    assert.ok('teamId' in byName.get('startTeamRun').inputSchema.properties);
    assert.equal(byName.get('listAgents').annotations.readOnlyHint, true);
    assert.equal(byName.get('getRun').outputSchema.type, 'object');
  });
});

test('listAgents: the REST answer as structured content and text', T, async () => {
  await withClient(async (client) => {
    const r = await client.callTool('listAgents', { limit: 2 });
    assert.ok(!r.isError);
    assert.deepEqual(r.structuredContent.pagination, { total: 3, limit: 2, offset: 0 });
    assert.equal(r.structuredContent.data.length, 2);
    assert.deepEqual(JSON.parse(r.content[0].text), r.structuredContent);
    const direct = await fetch(`${duvo.restUrl}/v1/agents?limit=2`, { headers: { authorization: `Bearer ${duvo.apiKey}` } });
    assert.equal(direct.status, 200);
    assert.deepEqual((await direct.json()).data.map((a) => a.id), r.structuredContent.data.map((a) => a.id));
  });
});

test('startRun -> getRun polled to completed through the statuses', T, async () => {
  await withClient(async (client) => {
    const started = await client.callTool('startRun', { agent_id: IDS.agents.invoices, message: 'Check November invoices' });
    assert.ok(!started.isError, started.content[0].text);
    const { run } = started.structuredContent;
    assert.equal(run.status, 'pending');
    assert.equal(run.agent_id, IDS.agents.invoices);
    const seen = new Set();
    const done = await pollRun(client, run.id, (p) => { seen.add(p.run.status); return TERMINAL.has(p.run.status); });
    assert.equal(done.run.status, 'completed');
    assert.ok(seen.has('running') || seen.has('starting'), [...seen].join());
    const msgs = await client.callTool('listRunMessages', { run_id: run.id });
    assert.equal(msgs.structuredContent.data[0].content, 'Check November invoices');
    assert.match(msgs.structuredContent.data.at(-1).content, /^Done/);
  });
});

test('a run waits on a person until respondToHumanRequest answers it (callAndPoll)', T, async () => {
  await withClient(async (client) => {
    const asked = [];
    const outcome = await client.callAndPoll('startRun', { agent_id: IDS.agents.inbox, message: 'Draft replies, approve before sending' }, {
      intervalMs: STEP_MS, maxIntervalMs: STEP_MS * 2, timeoutMs: 20000,
      onHumanRequest: (request) => {
        asked.push(request);
        return { answers: { Send: 'Send now', Channels: ['Email'] }, approved: true };
      },
    });
    assert.equal(outcome.status, 'completed');
    assert.equal(asked.length, 1);
    const [req] = asked;
    assert.equal(req.title, 'Approval needed');
    assert.deepEqual(Object.keys(req.questions[0]).sort(), ['header', 'multi_select', 'options', 'question']);
    assert.equal(req.questions[1].multi_select, true);
    const msgs = await client.callTool('listRunMessages', { run_id: outcome.jobId });
    assert.ok(msgs.structuredContent.data.some((m) => m.content.includes('"Send":"Send now"')));
  });
});

test('a human request answered by hand; approved: false stops the run', T, async () => {
  await withClient(async (client) => {
    const { run } = (await client.callTool('startRun', { agent_id: IDS.agents.inbox, message: 'approve first' })).structuredContent;
    const waiting = await pollRun(client, run.id, (p) => p.run.status === 'waiting');
    const req = waiting.pending_human_request;
    assert.match(req.id, /^hr_/);
    const wrong = await client.callTool('respondToHumanRequest', { run_id: run.id, request_id: 'hr_nope', approved: true });
    assert.equal(wrong.isError, true);
    assert.equal(JSON.parse(wrong.content[0].text).status, 404);
    const r = await client.callTool('respondToHumanRequest', { run_id: run.id, request_id: req.id, approved: false });
    assert.ok(!r.isError, r.content[0].text);
    assert.equal(r.structuredContent.run.status, 'stopped');
    const again = await client.callTool('stopRun', { run_id: run.id });
    assert.equal(JSON.parse(again.content[0].text).error, 'conflict');
  });
});

test('updateAgentFolder: parent_folder_id null reaches REST as null (move to the root)', T, async () => {
  const spy = spyRest(duvo);
  try {
    await withClient(async (client) => {
      const moved = await client.callTool('updateAgentFolder', { folder_id: IDS.folders.archive, parent_folder_id: IDS.folders.support });
      assert.equal(moved.structuredContent.folder.parent_folder_id, IDS.folders.support);
      const root = await client.callTool('updateAgentFolder', { folder_id: IDS.folders.archive, parent_folder_id: null });
      assert.ok(!root.isError, root.content[0].text);
      assert.equal(root.structuredContent.folder.parent_folder_id, null);
      const renamed = await client.callTool('updateAgentFolder', { folder_id: IDS.folders.archive, name: 'Old' });
      assert.equal(renamed.structuredContent.folder.parent_folder_id, null);  // absent: not moved
    });
    const bodies = spy.seen.filter((r) => r.method === 'PATCH').map((r) => JSON.parse(r.body));
    assert.deepEqual(bodies, [{ parent_folder_id: IDS.folders.support }, { parent_folder_id: null }, { name: 'Old' }]);
  } finally {
    spy.restore();
  }
});

test('files: a path with "/" travels unescaped, other reserved characters escaped; camelCase rename', T, async () => {
  const spy = spyRest(duvo);
  try {
    await withClient(async (client) => {
      const q3 = await client.callTool('readFile', { path: 'reports/2026/q3.md' });
      assert.ok(!q3.isError, q3.content[0].text);
      assert.match(q3.structuredContent.content, /Q3 report/);
      const draft = await client.callTool('readFile', { path: 'reports/2026/q4 draft.md' });
      assert.equal(draft.structuredContent.path, 'reports/2026/q4 draft.md');
      const w = await client.callTool('writeFile', { path: 'notes/2026/11/a?b#c.txt', content: 'hi' });
      assert.ok(!w.isError, w.content[0].text);
      assert.equal(w.structuredContent.file.path, 'notes/2026/11/a?b#c.txt');
      const r = await client.callTool('renameFile', { relativePath: 'notes/2026/11/a?b#c.txt', newFilenameOnly: 'b.txt' });
      assert.equal(r.structuredContent.file.path, 'notes/2026/11/b.txt');
      const list = await client.callTool('listFiles', { prefix: 'notes/' });
      assert.deepEqual(list.structuredContent.data.map((f) => f.path), ['notes/2026/11/b.txt']);
    });
    const targets = spy.seen.map((r) => r.target);
    assert.ok(targets.includes('/v1/files/reports/2026/q3.md'), targets.join(' '));
    assert.ok(targets.includes('/v1/files/reports/2026/q4%20draft.md'), targets.join(' '));
    assert.ok(targets.includes('/v1/files/notes/2026/11/a%3Fb%23c.txt'), targets.join(' '));
  } finally {
    spy.restore();
  }
});

test('bad arguments and REST errors are isError results, the session goes on', T, async () => {
  await withClient(async (client) => {
    const extra = await client.callTool('startRun', { agent_id: IDS.agents.inbox, mesage: 'typo' });
    assert.equal(extra.isError, true);
    assert.match(extra.content[0].text, /mesage/);
    const missing = await client.callTool('getAgent', { agent_id: '00000000-0000-4000-8000-000000000000' });
    assert.equal(missing.isError, true);
    assert.deepEqual(JSON.parse(missing.content[0].text), { status: 404, error: 'not_found', message: 'agent 00000000-0000-4000-8000-000000000000 not found' });
    const both = await client.callTool('createCase', { body: { title: 'one', cases: [{ title: 'two' }] } });
    assert.equal(both.isError, true);
    const many = await client.callTool('createCase', { body: { cases: [{ title: 'a' }, { title: 'b', labels: ['x'] }] } });
    assert.equal(many.structuredContent.cases.length, 2);
    assert.equal((await client.callTool('listAgents', {})).isError, undefined);
  });
});

test('401 without a key (with resource metadata), and a wrong key never starts OAuth', T, async () => {
  const res = await fetch(duvo.mcpUrl, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: {} }) });
  assert.equal(res.status, 401);
  assert.match(res.headers.get('www-authenticate'), /resource_metadata="http:\/\/127\.0\.0\.1:\d+\/\.well-known\/oauth-protected-resource\/v2\/mcp"/);
  assert.deepEqual(Object.keys(await res.json()).sort(), ['error', 'message']);
  const rest = await fetch(`${duvo.restUrl}/v1/agents`);
  assert.equal(rest.status, 401);

  const before = duvo.log.length;
  const e = await connect(duvo.mcpUrl, { bearer: 'dv_wrong' }).catch((x) => x);
  assert.ok(e instanceof UnauthorizedError || e?.code === 'auth.unauthorized', `${e?.name} ${e?.code}: ${e?.message}`);
  assert.ok(!duvo.log.slice(before).some((r) => r.path.startsWith('/.well-known') || r.path.startsWith('/oauth')), 'no OAuth requests');
});

test('403 for a write tool with a read-only key; read tools still work', T, async () => {
  await withClient(async (client) => {
    assert.equal((await client.callTool('listAgents', {})).structuredContent.pagination.total >= 3, true);
    const e = await client.callTool('createAgent', { name: 'nope' }).catch((x) => x);
    assert.ok(e instanceof ForbiddenError, `${e?.name}: ${e?.message}`);
    assert.equal(e.status, 403);
    assert.equal((await client.callTool('getAgent', { agent_id: IDS.agents.inbox })).structuredContent.agent.name, 'Inbox triage');
  }, duvo.mcpUrl, { bearer: duvo.readOnlyKey });
  const rest = await fetch(`${duvo.restUrl}/v1/agents`, { method: 'POST', headers: { authorization: `Bearer ${duvo.readOnlyKey}`, 'content-type': 'application/json' }, body: '{"name":"x"}' });
  assert.equal(rest.status, 403);
  assert.equal((await rest.json()).error, 'forbidden');
});

test('429 with Retry-After over the rate limit (per key)', T, async () => {
  const small = await startDuvo({ rateLimit: { limit: 3, windowMs: 60000 }, apiKeys: ['dv_one', 'dv_two'] });
  try {
    await withClient(async (client) => {
      for (let i = 0; i < 3; i++) assert.ok(!(await client.callTool('listSandboxes', {})).isError);
      const e = await client.callTool('listSandboxes', {}).catch((x) => x);
      assert.ok(e instanceof RateLimitedError, `${e?.name}: ${e?.message}`);
      assert.ok(e.retryAfterMs > 0 && e.retryAfterMs <= 60000, String(e.retryAfterMs));
    }, small.mcpUrl, { bearer: 'dv_one' });
    const res = await fetch(`${small.restUrl}/v1/plugins`, { headers: { authorization: 'Bearer dv_one' } });
    assert.equal(res.status, 429);
    assert.ok(Number(res.headers.get('retry-after')) >= 1);
    assert.equal((await res.json()).error, 'rate_limited');
    const other = await fetch(`${small.restUrl}/v1/plugins`, { headers: { authorization: 'Bearer dv_two' } });
    assert.equal(other.status, 200);
    assert.equal(other.headers.get('x-ratelimit-remaining'), '2');
  } finally {
    await small.close();
  }
});

test('OAuth sign-in end to end: discovery, DCR, PKCE, token, refresh (headless)', T, async () => {
  const srv = await startDuvo({ oauth: { autoApprove: true }, runStepMs: STEP_MS });
  try {
    const storage = memoryStorage();
    const opened = [];
    const oauth = {
      redirectUri: 'http://127.0.0.1:9/callback',
      clientName: 'duvo-test',
      storage,
      onAuthorize: async (url) => { opened.push(new URL(url)); return headlessRedirect()(url); },
    };
    await withClient(async (client) => {
      const r = await client.callTool('createAgentFolder', { name: 'Signed in' });
      assert.ok(!r.isError, r.content[0].text);
    }, srv.mcpUrl, { bearer: undefined, oauth });
    assert.equal(opened.length, 1);
    const q = opened[0].searchParams;
    assert.equal(q.get('code_challenge_method'), 'S256');
    assert.equal(q.get('resource'), srv.mcpUrl);
    assert.deepEqual({ ...srv.auth.stats }, { registrations: 1, authorizations: 1, tokens: 1, refreshes: 0, revocations: 0 });
    const paths = srv.log.map((r) => r.path);
    for (const p of ['/.well-known/oauth-protected-resource/v2/mcp', '/.well-known/oauth-authorization-server', '/oauth/register', '/oauth/token']) {
      assert.ok(paths.includes(p), `${p} in ${[...new Set(paths)].join(' ')}`);
    }

    // The stored tokens are used again; an expired access token is refreshed, no new sign-in.
    srv.auth.expireAccessTokens();
    await withClient(async (client) => {
      assert.ok(!(await client.callTool('listAgentFolders', {})).isError);
    }, srv.mcpUrl, { bearer: undefined, oauth });
    assert.equal(opened.length, 1);
    assert.equal(srv.auth.stats.refreshes, 1);
  } finally {
    await srv.close();
  }
});

test('the legacy HTTP+SSE transport at /v1/mcp: the older ~380-tool catalog, listed in pages', T, async () => {
  const before = duvo.log.length;
  await withClient(async (client) => {
    const tools = await client.listTools();
    assert.equal(tools.length, 380);
    assert.equal(new Set(tools.map((t) => t.name)).size, 380);
    for (const id of OPERATION_IDS) assert.ok(tools.some((t) => t.name === id), id);
    const r = await client.callTool('getAgent', { agent_id: IDS.agents.research });
    assert.equal(r.structuredContent.agent.name, 'Market research');
    const g = await client.callTool('gmail_search', { query: 'invoice' });
    assert.deepEqual(JSON.parse(g.content[0].text), { ok: true, provider: 'gmail', action: 'search', query: 'invoice' });
  }, duvo.legacyMcpUrl, { listen: false });
  const mine = duvo.log.slice(before);
  assert.ok(mine.some((r) => r.method === 'GET' && r.path === '/v1/mcp'));
  assert.ok(mine.filter((r) => r.method === 'POST' && r.path === '/v1/mcp/messages').length >= 4 + 2, 'tools/list in 4 pages');
  assert.ok(!mine.some((r) => r.path === '/v2/mcp'));
  // A read-only key may not call a legacy write tool either.
  await withClient(async (client) => {
    const e = await client.callTool('slack_create_record', { fields: { text: 'hi' } }).catch((x) => x);
    assert.ok(e instanceof ForbiddenError, `${e?.name}: ${e?.message}`);
  }, duvo.legacyMcpUrl, { listen: false, bearer: duvo.readOnlyKey });
});

test('multipart upload (createSkill): hyphenated key, free-form metadata, a file', T, async () => {
  const md = '---\nname: csv-tools\ndescription: Reads CSV\n---\nUse files_read.\n';
  await withClient(async (client) => {
    const r = await client.callTool('createSkill', { name: 'csv-tools', description: 'Reads CSV files', 'allowed-tools': ['files_read', 'files_write'],
      metadata: { owner: 'ops', tags: ['csv'], nested: { level: 2 } }, file: { data: Buffer.from(md).toString('base64'), mimeType: 'text/markdown', filename: 'SKILL.md' } });
    assert.ok(!r.isError, r.content[0].text);
    const { skill } = r.structuredContent;
    assert.deepEqual(skill['allowed-tools'], ['files_read', 'files_write']);
    assert.deepEqual(skill.metadata, { owner: 'ops', tags: ['csv'], nested: { level: 2 } });
    assert.equal(skill.file_size, Buffer.byteLength(md));
    const again = await client.callTool('createSkill', { name: 'csv-tools', description: 'again' });
    assert.equal(JSON.parse(again.content[0].text).status, 409);
  });
});

test('setups, memory, evaluations: a union output and a "/" in a memory path', T, async () => {
  await withClient(async (client) => {
    const revs = await client.callTool('listAgentRevisions', { agent_id: IDS.agents.inbox });
    assert.deepEqual(revs.structuredContent.data.map((r) => r.status).sort(), ['draft', 'live']);
    const noted = await client.callTool('updateRevision', { agent_id: IDS.agents.inbox, revision_id: IDS.revisions.inboxDraft, note: null, model: 'fast' });
    assert.equal(noted.structuredContent.revision.note, null);
    const promoted = await client.callTool('promoteRevision', { agent_id: IDS.agents.inbox, revision_id: IDS.revisions.inboxDraft });
    assert.equal(promoted.structuredContent.agent.build_id, 'b_0004');
    assert.equal(promoted.structuredContent.agent.model, 'fast');
    const mem = await client.callTool('getAgentMemoryFile', { agent_id: IDS.agents.inbox, path: 'customers/acme corp.md' });
    assert.match(mem.structuredContent.content, /key account/);

    const tools = await client.listTools();
    const evalTool = tools.find((t) => t.name === 'getRunEvaluation');
    // A union is no object: the flattener wraps it as {result} (structuredContent must be an object).
    assert.deepEqual(evalTool.outputSchema.required, ['result']);
    const unwrap = (r) => r.structuredContent.result;
    const done = await client.callTool('getRunEvaluation', { run_id: IDS.runs.done });
    assert.ok(!done.isError, done.content[0].text);
    assert.equal(unwrap(done).state, 'done');
    assert.deepEqual(Object.keys(unwrap(done).rubric_scores), ['accuracy', 'tone', 'speed']);
    const { run } = (await client.callTool('startRun', { agent_id: IDS.agents.research })).structuredContent;
    assert.equal(unwrap(await client.callTool('getRunEvaluation', { run_id: run.id })).state, 'pending');
    const scores = await client.callTool('getEvalScores', { agent_id: IDS.agents.invoices });
    assert.ok(scores.structuredContent.data.some((x) => x.run_id === IDS.runs.done));
    assert.equal(typeof scores.structuredContent.average, 'number');
    await pollRun(client, run.id, (p) => TERMINAL.has(p.run.status));
    const history = await client.callTool('getAgentMemoryFile', { agent_id: IDS.agents.research, path: 'runs/history.md' });
    assert.match(history.structuredContent.content, /completed/);
  });
});

test('/v2/mcp answering with SSE streams; the document at /openapi.json names this origin', T, async () => {
  const srv = await startDuvo({ mcpMode: 'sse', runStepMs: STEP_MS });
  try {
    await withClient(async (client) => {
      const r = await client.callTool('listConnections', {});
      assert.equal(r.structuredContent.data.length, 2);
    }, srv.mcpUrl, { bearer: DEMO_API_KEY });
    assert.ok(srv.log.some((r) => r.status === 200 && r.method === 'POST' && r.path === '/v2/mcp'));
    const doc = await (await fetch(srv.openapiUrl)).json();
    assert.equal(doc.info.title, 'Duvo Public API');
    assert.deepEqual(doc.servers, [{ url: srv.url, description: 'Duvo-in-a-box' }]);
  } finally {
    await srv.close();
  }
});

test('the authorization server by hand: consent page, PKCE, single-use codes, audience, revocation', T, async () => {
  const { createHash, randomBytes } = await import('node:crypto');
  const srv = await startDuvo({ runStepMs: STEP_MS });  // not auto-approving: a consent page
  try {
    const meta = await (await fetch(`${srv.url}/.well-known/oauth-authorization-server`)).json();
    assert.equal(meta.issuer, srv.url);
    assert.deepEqual(meta.code_challenge_methods_supported, ['S256']);
    const prm = await (await fetch(`${srv.url}/.well-known/oauth-protected-resource/v1/mcp`)).json();
    assert.equal(prm.resource, srv.legacyMcpUrl);
    const redirect = 'http://127.0.0.1:9/cb';
    const reg = await fetch(meta.registration_endpoint, { method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ redirect_uris: [redirect], client_name: 'by hand', token_endpoint_auth_method: 'none' }) });
    assert.equal(reg.status, 201);
    const { client_id, client_secret } = await reg.json();
    assert.equal(client_secret, undefined);
    const verifier = randomBytes(32).toString('base64url');
    const q = new URLSearchParams({ response_type: 'code', client_id, redirect_uri: redirect, state: 'st', resource: srv.legacyMcpUrl,
      code_challenge: createHash('sha256').update(verifier).digest('base64url'), code_challenge_method: 'S256' });
    const page = await fetch(`${meta.authorization_endpoint}?${q}`, { redirect: 'manual' });
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<b>by hand<\/b> asks for: read, write/);
    const unknown = await fetch(`${meta.authorization_endpoint}?${new URLSearchParams({ ...Object.fromEntries(q), redirect_uri: 'http://evil.example/cb' })}`, { redirect: 'manual' });
    assert.equal(unknown.status, 400, 'never redirects to an unregistered URI');
    const allow = await fetch(meta.authorization_endpoint, { method: 'POST', redirect: 'manual', body: new URLSearchParams([...q, ['decision', 'allow']]) });
    assert.equal(allow.status, 302);
    const back = new URL(allow.headers.get('location'));
    assert.equal(back.searchParams.get('state'), 'st');
    assert.equal(back.searchParams.get('iss'), srv.url);
    const code = back.searchParams.get('code');
    const exchange = (v) => fetch(meta.token_endpoint, { method: 'POST', body: new URLSearchParams({ grant_type: 'authorization_code', code, client_id, redirect_uri: redirect, code_verifier: v }) });
    const wrong = await exchange('x'.repeat(43));
    assert.equal(wrong.status, 400);
    assert.equal((await wrong.json()).error, 'invalid_grant');
    const reused = await exchange(verifier);
    assert.equal(reused.status, 400, 'a code is single use, also after a failed exchange');

    const deny = await fetch(meta.authorization_endpoint, { method: 'POST', redirect: 'manual', body: new URLSearchParams([...q, ['decision', 'deny']]) });
    assert.equal(new URL(deny.headers.get('location')).searchParams.get('error'), 'access_denied');
    const again = await fetch(meta.authorization_endpoint, { method: 'POST', redirect: 'manual', body: new URLSearchParams([...q, ['decision', 'allow']]) });
    const code2 = new URL(again.headers.get('location')).searchParams.get('code');
    const tok = await (await fetch(meta.token_endpoint, { method: 'POST', body: new URLSearchParams({ grant_type: 'authorization_code', code: code2, client_id, redirect_uri: redirect, code_verifier: verifier }) })).json();
    assert.equal(tok.token_type, 'Bearer');
    const headers = { authorization: `Bearer ${tok.access_token}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
    const init = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'x', version: '0' } } });
    const elsewhere = await fetch(srv.mcpUrl, { method: 'POST', headers, body: init });
    assert.equal(elsewhere.status, 401, 'a token for /v1/mcp is for another audience at /v2/mcp');
    assert.match(elsewhere.headers.get('www-authenticate'), /error="invalid_token"/);
    const legacy = await fetch(srv.legacyMcpUrl, { headers: { authorization: headers.authorization, accept: 'text/event-stream' } });
    assert.equal(legacy.status, 200);
    await legacy.body.cancel();
    const revoke = await fetch(meta.revocation_endpoint, { method: 'POST', body: new URLSearchParams({ token: tok.refresh_token, client_id }) });
    assert.equal(revoke.status, 200);
    const refreshed = await fetch(meta.token_endpoint, { method: 'POST', body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: tok.refresh_token, client_id }) });
    assert.equal(refreshed.status, 400);
  } finally {
    await srv.close();
  }
});

test('bad input gets a typed answer, never a crash; sessions belong to their key', T, async () => {
  const auth = { authorization: `Bearer ${duvo.apiKey}` };
  const rest = (path, init = {}) => fetch(`${duvo.restUrl}${path}`, { ...init, headers: { ...auth, ...init.headers } });
  const cases = [
    [await rest('/v1/nowhere'), 404, 'not_found'],
    [await rest('/v1/agents', { method: 'PUT' }), 405, 'method_not_allowed'],
    [await rest('/v1/agents', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":' }), 400, 'invalid_request'],
    [await rest('/v1/agents', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'x' }), 415, 'unsupported_media_type'],
    [await rest('/v1/agents', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":""}' }), 400, 'invalid_request'],
    [await rest('/v1/agents/not-a-uuid'), 400, 'invalid_request'],
    [await rest('/v1/files/%E0%A4%A'), 400, 'invalid_request'],
    [await rest('/v1/runs?limit=0'), 400, 'invalid_request'],
    [await rest('/v1/runs?has_issues=yes'), 400, 'invalid_request'],
    [await rest('/v1/skills', { method: 'POST', headers: { 'content-type': 'multipart/form-data; boundary=zz' }, body: 'garbage' }), 400, 'invalid_request'],
    [await rest('/v1/agents', { method: 'POST', headers: { 'content-type': 'application/json' }, body: 'x'.repeat((8 << 20) + 1) }), 413, 'too_large'],
  ];
  for (const [res, status, error] of cases) {
    assert.equal(res.status, status, res.url);
    const body = await res.json();
    assert.equal(body.error, error, `${res.url}: ${body.message}`);
    assert.equal(typeof body.message, 'string');
  }
  const mcp = (body, headers = {}) => fetch(duvo.mcpUrl, { method: 'POST', body,
    headers: { ...auth, 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers } });
  assert.equal((await mcp('{not json')).status, 400);
  assert.equal((await mcp(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }))).status, 400, 'no session');
  // A session made with one key is not found with another.
  const init = await mcp(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'x', version: '0' } } }));
  assert.equal(init.status, 200);
  const sid = init.headers.get('mcp-session-id');
  await init.text();
  const stolen = await fetch(duvo.mcpUrl, { method: 'POST', body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }),
    headers: { authorization: `Bearer ${duvo.readOnlyKey}`, 'mcp-session-id': sid, 'content-type': 'application/json', accept: 'application/json, text/event-stream' } });
  assert.equal(stolen.status, 404);
  const unknownTool = await mcp(JSON.stringify({ jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'nope', arguments: {} } }), { 'mcp-session-id': sid, 'mcp-protocol-version': '2025-11-25' });
  assert.equal(unknownTool.status, 200);
  assert.equal((await unknownTool.json()).error.code, -32602);
  await fetch(duvo.mcpUrl, { method: 'DELETE', headers: { ...auth, 'mcp-session-id': sid } });
  // Still serving.
  assert.equal((await rest('/v1/agents')).status, 200);
});

test('without Dynamic Client Registration: an unregistered host cannot sign in (no browser), a pre-registered one can, keys still work', T, async () => {
  const redirectUri = 'http://127.0.0.1:9/callback';
  const srv = await startDuvo({ runStepMs: STEP_MS, oauth: { autoApprove: true, registration: false,
    clients: [{ client_id: 'pre-registered-host', client_secret: 'shh', redirect_uris: [redirectUri] }] } });
  try {
    const meta = await (await fetch(`${srv.url}/.well-known/oauth-authorization-server`)).json();
    assert.equal(meta.registration_endpoint, undefined);
    let opened = 0;
    const onAuthorize = async (url) => { opened++; return headlessRedirect()(url); };
    const e = await connect(srv.mcpUrl, { bearer: undefined, oauth: { redirectUri, onAuthorize, storage: memoryStorage() } }).catch((x) => x);
    assert.equal(e?.code, 'auth.no_client_identity', `${e?.name}: ${e?.message}`);  // "...configure a pre-registered client or an API key"
    assert.equal(opened, 0, `no browser opened (${e.code}: ${e.message})`);
    assert.ok(!srv.log.some((r) => r.path === '/oauth/register'));

    await withClient(async (client) => {
      assert.ok(!(await client.callTool('listAgents', {})).isError);
    }, srv.mcpUrl, { bearer: undefined, oauth: { redirectUri, onAuthorize, clientId: 'pre-registered-host', clientSecret: 'shh', storage: memoryStorage() } });
    assert.equal(opened, 1);
    assert.equal(srv.auth.stats.tokens, 1);
    await withClient(async (client) => {
      assert.ok(!(await client.callTool('listAgents', {})).isError);
    }, srv.mcpUrl, { bearer: srv.apiKey });
  } finally {
    await srv.close();
  }
});
