// The edge worker (web/worker/) in workerd, through miniflare, against
// Duvo-in-a-box: bundled by esbuild with the `workerd` condition, the .wasm
// kept as a CompiledWasm module. Several configurations of the one worker in
// one workerd: an API key secret, a read-only key, a wrong key, no key (OAuth,
// tokens in a KV namespace; Duvo-in-a-box approves sign-ins at once), and an
// unreachable server.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Miniflare } from 'miniflare';
import { buildWorker } from '../worker/build.mjs';
import { startDuvo, DEMO_API_KEY, DEMO_READONLY_KEY, IDS } from '../demo/duvo/server.mjs';
import { closedPort, settlesWithin } from './helpers.mjs';

const T = { timeout: 60000 };
const KEY = DEMO_API_KEY;
const outdir = mkdtempSync(path.join(tmpdir(), 'mcpw-worker-'));
let mf, bundle, server, limited, refusedUrl;

const SCHEDULED_CALLS = [
  { tool: 'getRun', arguments: { run_id: IDS.runs.done } },
  { tool: 'getRun', arguments: { run_id: 'no-such-run' } },
  { tool: 'no_such_tool', arguments: {} },
];

before(async () => {
  bundle = await buildWorker(outdir);
  server = await startDuvo({ host: '127.0.0.1', port: 0, mcpMode: 'sse', runStepMs: 100, oauth: { autoApprove: true } });
  limited = await startDuvo({ host: '127.0.0.1', port: 0, rateLimit: { limit: 2, windowMs: 60000 }, oauth: false });
  refusedUrl = `http://127.0.0.1:${await closedPort()}/mcp`;
  const modules = [
    { type: 'ESModule', path: bundle.entry },
    ...bundle.wasm.map((w) => ({ type: 'CompiledWasm', path: path.join(outdir, w) })),
  ];
  const worker = (name, bindings, kv = []) => ({ name, modulesRoot: outdir, modules, compatibilityDate: '2025-01-01', bindings, kvNamespaces: kv });
  mf = new Miniflare({
    host: '127.0.0.1',
    port: 0,
    workers: [
      worker('key', { MCP_URL: server.mcpUrl, MCP_API_KEY: KEY, SCHEDULED_CALLS: JSON.stringify(SCHEDULED_CALLS) }, ['TOKENS', 'RESULTS']),
      worker('readonly', { MCP_URL: server.mcpUrl, MCP_API_KEY: DEMO_READONLY_KEY }),
      worker('badkey', { MCP_URL: server.mcpUrl, MCP_API_KEY: 'dv_wrong' }),
      worker('oauth', { MCP_URL: server.mcpUrl, OAUTH_REDIRECT_URI: 'http://127.0.0.1:1/oauth/callback' }, ['TOKENS']),
      worker('unconfigured', {}),
      worker('limited', { MCP_URL: limited.mcpUrl, MCP_API_KEY: KEY }),
      worker('refused', { MCP_URL: refusedUrl, MCP_API_KEY: KEY, SCHEDULED_CALLS: '[{"tool":"listAgents"}]' }, ['RESULTS']),
    ],
  });
  await settlesWithin(mf.ready, 30000, 'miniflare start');
});

after(async () => {
  await mf?.dispose();
  await server?.close();
  await limited?.close();
  rmSync(outdir, { recursive: true, force: true });
});

/// A request to worker `name`: {status, body}.
async function ask(name, pathname, init) {
  const w = await mf.getWorker(name);
  const res = await settlesWithin(w.fetch(`http://worker${pathname}`, init), 30000, `${name} ${pathname}`);
  return { status: res.status, body: await res.json() };
}
const call = (name, tool, args) => ask(name, '/call', { method: 'POST', body: JSON.stringify({ tool, arguments: args }) });

test('the bundle keeps the package wasm as separate modules; the flattener\'s is imported only on use', () => {
  assert.deepEqual(bundle.wasm, ['mcpw.wasm', 'mcpw-flatten.wasm']);
  const wasm = readFileSync(path.join(outdir, 'mcpw.wasm'));
  assert.ok(wasm.equals(readFileSync(new URL('../dist/mcpw.wasm', import.meta.url))), 'same bytes as dist/mcpw.wasm');
  const code = readFileSync(bundle.entry, 'utf8');
  assert.match(code, /from\s*["']\.\/mcpw\.wasm["']/);
  assert.match(code, /import\(\s*["']\.\/mcpw-flatten\.wasm["']\s*\)/);
  assert.doesNotMatch(code, /from\s*["']\.\/mcpw-flatten\.wasm["']/);
  assert.doesNotMatch(code, /\beval\s*\(|new\s+Function\b/);
});

test('miniflare runs the real workerd binary', async () => {
  const { body } = await ask('key', '/');
  assert.equal(body.runtime, 'Cloudflare-Workers');
  const children = readdirSync('/proc').filter((p) => /^\d+$/.test(p)).filter((p) => {
    try { return readFileSync(`/proc/${p}/stat`, 'utf8').split(') ')[1].split(' ')[1] === String(process.pid); } catch { return false; }
  });
  const exes = children.map((p) => { try { return realpathSync(`/proc/${p}/exe`); } catch { return ''; } });
  assert.ok(exes.some((e) => /workerd-linux-64\/bin\/workerd$/.test(e)), `child processes: ${exes.join(', ')}`);
});

test('workerd, API key: GET /tools and POST /call, the key on every request', T, async () => {
  const before = server.log.length;
  const tools = await ask('key', '/tools');
  assert.equal(tools.status, 200, JSON.stringify(tools.body));
  const startRun = tools.body.tools.find((t) => t.name === 'startRun');
  assert.ok(startRun.inputSchema.required.includes('agent_id'), 'the flat schema: body members at the top');
  const agents = await call('key', 'listAgents', { limit: 2 });
  assert.equal(agents.status, 200, JSON.stringify(agents.body));
  assert.equal(agents.body.result.isError, undefined);
  assert.equal(JSON.parse(agents.body.result.content[0].text).data.length, 2);
  const missing = await call('key', 'getRun', { run_id: 'no-such-run' });
  assert.equal(missing.status, 200, 'a REST 404 is a tool error, not a worker error');
  assert.equal(missing.body.result.isError, true);
  const seen = server.log.slice(before).filter((r) => r.path === '/v2/mcp');
  assert.ok(seen.length >= 6, `${seen.length} requests`);
  assert.ok(seen.every((r) => r.headers.authorization === `Bearer ${KEY}`));
  assert.ok(seen.some((r) => r.method === 'DELETE'), 'each request closes its session');
});

test('workerd: the wasm is instantiated once per isolate, however many requests', T, async () => {
  const first = (await ask('key', '/')).body.isolate;
  for (let i = 0; i < 3; i++) assert.equal((await call('key', 'getRun', { run_id: IDS.runs.done })).status, 200);
  const last = (await ask('key', '/')).body.isolate;
  assert.equal(last.id, first.id, 'the same isolate served every request');
  assert.ok(last.requests >= first.requests + 4, JSON.stringify({ first, last }));
  assert.equal(last.wasmInstances, 1);
});

test('workerd: POST /run polls a job to its end; a question for a person comes back as 202, answered through /call', T, async () => {
  const run = (message) => ask('key', '/run', { method: 'POST', body: JSON.stringify({ tool: 'startRun', arguments: { agent_id: IDS.agents.invoices, message } }) });
  const done = await run('Check the November invoices');
  assert.equal(done.status, 200, JSON.stringify(done.body));
  assert.equal(done.body.status, 'completed');
  assert.equal(done.body.result.run.status, 'completed');
  assert.ok(done.body.attempts >= 2, `${done.body.attempts} status calls`);

  const asked = await run('Please approve the payout');
  assert.equal(asked.status, 202, JSON.stringify(asked.body));
  assert.equal(asked.body.status, 'waiting');
  const { jobId, pending_human_request: question } = asked.body;
  assert.ok(question.id && question.questions.length > 0, JSON.stringify(question));
  const answered = await call('key', 'respondToHumanRequest', { run_id: jobId, request_id: question.id, approved: true, answers: {} });
  assert.equal(answered.status, 200, JSON.stringify(answered.body));
  assert.notEqual(answered.body.result.isError, true, JSON.stringify(answered.body.result));
  let status;
  for (let i = 0; i < 40 && status !== 'completed'; i++) {
    await new Promise((r) => setTimeout(r, 100));
    status = (await call('key', 'getRun', { run_id: jobId })).body.result.structuredContent?.run?.status;
  }
  assert.equal(status, 'completed', 'the run went on once answered');
});

test('workerd: a cron trigger calls the configured tools and keeps the outcome in KV', T, async () => {
  const worker = await mf.getWorker('key');
  const before = server.log.length;
  const r = await settlesWithin(worker.scheduled({ cron: '*/5 * * * *' }), 30000, 'scheduled');
  assert.equal(r.outcome, 'ok');
  const results = await mf.getKVNamespace('RESULTS', 'key');
  const outcome = JSON.parse(await results.get('scheduled:last'));
  assert.equal(outcome.cron, '*/5 * * * *');
  assert.deepEqual(outcome.results.map((x) => [x.tool, x.ok, x.result?.isError ?? x.error?.name]),
    [['getRun', true, undefined], ['getRun', true, true], ['no_such_tool', false, 'RpcError']], JSON.stringify(outcome));
  assert.equal(outcome.results[0].result.structuredContent?.run?.status ?? JSON.parse(outcome.results[0].result.content[0].text).run.status, 'completed');
  assert.ok(server.log.length > before, 'the trigger reached the server');
});

test('workerd, OAuth: no key, so the worker signs in (DCR, PKCE) and keeps the tokens in KV', T, async () => {
  const kv = await mf.getKVNamespace('TOKENS', 'oauth');
  assert.deepEqual((await kv.list()).keys, []);
  const first = await call('oauth', 'listAgents', { limit: 1 });
  assert.equal(first.status, 200, JSON.stringify(first.body));
  const keys = (await kv.list()).keys.map((k) => k.name);
  const stored = await Promise.all(keys.map((k) => kv.get(k)));
  assert.ok(stored.some((v) => /access_token/.test(v)), `KV keys: ${keys.join(', ')}`);
  const signIns = () => server.log.filter((r) => r.path === '/oauth/authorize').length;
  const registered = () => server.log.filter((r) => r.path === '/oauth/register').length;
  const [authorizeBefore, registerBefore] = [signIns(), registered()];
  const second = await call('oauth', 'getRun', { run_id: IDS.runs.done });
  assert.equal(second.status, 200, JSON.stringify(second.body));
  assert.equal(signIns(), authorizeBefore, 'the second request used the stored token');
  assert.equal(registered(), registerBefore, 'and the stored registration');
  const bearer = server.log.filter((r) => r.path === '/v2/mcp').at(-1).headers.authorization;
  assert.match(bearer, /^Bearer /);
  assert.ok(!bearer.includes('dv_'), 'an OAuth token, not an API key');
});

test('workerd: a rate limit (429) reaches the caller with its Retry-After', T, async () => {
  const statuses = [];
  let last;
  for (let i = 0; i < 5 && last?.status !== 429; i++) {
    last = await call('limited', 'getRun', { run_id: IDS.runs.done });
    statuses.push(last.status);
  }
  assert.deepEqual(statuses, [200, 200, 429], JSON.stringify(last.body));
  assert.equal(last.body.error.name, 'RateLimitedError');
  assert.ok(last.body.error.retryAfterMs > 0 && last.body.error.retryAfterMs <= 60000, String(last.body.error.retryAfterMs));
});

test('workerd: wrong key, a key without the scope, a bad body and an unreachable server are typed JSON errors', T, async () => {
  const denied = await ask('badkey', '/tools');
  assert.equal(denied.status, 401, JSON.stringify(denied.body));
  assert.equal(denied.body.error.code, 'auth.unauthorized');
  assert.match(denied.body.error.message, /API key/);
  const forbidden = await call('readonly', 'startRun', { agent_id: IDS.agents.invoices });
  assert.equal(forbidden.status, 403, JSON.stringify(forbidden.body));
  assert.equal(forbidden.body.error.name, 'ForbiddenError');
  const unconfigured = await ask('unconfigured', '/tools');
  assert.equal(unconfigured.status, 500);
  assert.equal(unconfigured.body.error.code, 'worker.config');
  const noTool = await ask('key', '/call', { method: 'POST', body: '{"arguments":{}}' });
  assert.equal(noTool.status, 400);
  const notJson = await ask('key', '/call', { method: 'POST', body: 'nope' });
  assert.equal(notJson.status, 400);
  const refused = await call('refused', 'listAgents', {});
  assert.equal(refused.status, 502);
  assert.equal(refused.body.error.name, 'TransportError');
  assert.equal(refused.body.error.isMcpError, true);
  const worker = await mf.getWorker('refused');
  await settlesWithin(worker.scheduled({ cron: '0 * * * *' }), 30000, 'scheduled');
  const outcome = JSON.parse(await (await mf.getKVNamespace('RESULTS', 'refused')).get('scheduled:last'));
  assert.equal(outcome.error.name, 'TransportError');
  assert.deepEqual(outcome.results, []);
});
