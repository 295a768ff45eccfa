// client.callAndPoll (src/poll.mjs) against a real SDK server on loopback
// whose runs advance one status per getRun call (deterministic), Duvo-shaped
// (startRun / getRun / respondToHumanRequest / stopRun), plus a server with
// other names and shapes for the overrides.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import * as z from 'zod/v4';
import { Client, AbortError, ForbiddenError, RateLimitedError, TransportError, TimeoutError, McpError } from 'mcp-wasm';
import { startMcpHttp } from '../demo/mcp-http.mjs';
import { settlesWithin } from './helpers.mjs';

const T = { timeout: 30000 };
const FAST = { intervalMs: 10, maxIntervalMs: 40, jitter: 0 };

// agent -> the statuses getRun walks through ('waiting' holds until answered).
const SCRIPTS = {
  quick: ['pending', 'running', 'running', 'completed'],
  ask: ['pending', 'running', 'waiting', 'running', 'completed'],
  failing: ['starting', 'failed'],
  forever: ['running'],
};

function runsServer() {
  const runs = new Map();
  const calls = [];   // {tool, args, at}
  let next = 0;
  const json = (v) => ({ content: [{ type: 'text', text: JSON.stringify(v) }] });
  const err = (status, message) => ({ content: [{ type: 'text', text: JSON.stringify({ error: status, message }) }], isError: true });
  const view = (r) => ({ id: r.id, agent_id: r.agent, status: r.status });
  const makeServer = () => {
    const s = new McpServer({ name: 'runs', version: '0.0.1' });
    const log = (tool, args) => calls.push({ tool, args, at: Date.now() });
    s.registerTool('startRun', { description: 'Starts a run', inputSchema: { agent_id: z.string(), message: z.string().optional() } },
      async (args) => {
        log('startRun', args);
        if (!SCRIPTS[args.agent_id]) return err(404, 'no such agent');
        const r = { id: `run-${++next}`, agent: args.agent_id, step: 0, status: 'not_started', answered: null };
        runs.set(r.id, r);
        return json({ run: view(r) });
      });
    s.registerTool('getRun', { description: 'A run', inputSchema: { run_id: z.string() } }, async ({ run_id }) => {
      log('getRun', { run_id });
      const r = runs.get(run_id);
      if (!r) return err(404, 'no such run');
      const script = SCRIPTS[r.agent];
      if (r.status !== 'stopped' && !(r.status === 'waiting' && !r.answered)) {
        r.status = script[Math.min(r.step, script.length - 1)];
        r.step++;
      }
      const out = { run: view(r) };
      if (r.status === 'waiting' && !r.answered) {
        out.pending_human_request = { id: `hr-${r.id}`, title: 'Approve the refund', description: 'The agent wants to refund 12 EUR',
          questions: [{ question: 'Refund?', header: 'refund', multi_select: false,
            options: [{ label: 'yes', description: 'refund it' }, { label: 'no', description: 'keep it' }] }] };
      }
      return json(out);
    });
    s.registerTool('respondToHumanRequest', { description: 'Answers',
      inputSchema: { run_id: z.string(), request_id: z.string(), answers: z.record(z.string(), z.any()).optional(), approved: z.boolean().optional() } },
    async (args) => {
      log('respondToHumanRequest', args);
      const r = runs.get(args.run_id);
      if (!r || args.request_id !== `hr-${r.id}`) return err(404, 'no such request');
      r.answered = args;
      return json({ ok: true });
    });
    s.registerTool('stopRun', { description: 'Stops', inputSchema: { run_id: z.string() } }, async ({ run_id }) => {
      log('stopRun', { run_id });
      const r = runs.get(run_id);
      if (!r) return err(404, 'no such run');
      r.status = 'stopped';
      return json({ run: view(r) });
    });
    // Other names and shapes, for the overrides.
    s.registerTool('createTask', { description: 'Starts a task', inputSchema: {} }, async () => {
      log('createTask', {});
      const r = { id: `task-${++next}`, polls: 0 };
      runs.set(r.id, r);
      return { content: [], structuredContent: { taskId: r.id } };
    });
    s.registerTool('taskState', { description: 'A task', inputSchema: { taskId: z.string() } }, async ({ taskId }) => {
      log('taskState', { taskId });
      const r = runs.get(taskId);
      r.polls++;
      return { content: [], structuredContent: { state: r.polls >= 3 ? 'DONE' : 'BUSY', progress: r.polls / 3 } };
    });
    return s;
  };
  return { runs, calls, makeServer };
}

let srv, state, client;
before(async () => {
  state = runsServer();
  srv = await startMcpHttp({ mode: 'json', makeServer: state.makeServer });
  client = await Client.connect(srv.url, { timeoutMs: 5000, listen: false });
});
after(async () => { await client?.close(); await srv?.close(); });

const callsFor = (id) => state.calls.filter((c) => c.args.run_id === id);

test('a run is started, polled to completed, progress reported in order', T, async () => {
  const seen = [];
  const out = await settlesWithin(client.callAndPoll('startRun', { agent_id: 'quick' }, {
    ...FAST, onProgress: (p) => seen.push(p) }), 10000, 'callAndPoll');
  assert.equal(out.status, 'completed');
  assert.equal(out.result.run.status, 'completed');
  assert.match(out.jobId, /^run-\d+$/);
  assert.equal(out.attempts, 4);
  assert.ok(out.elapsedMs >= 0 && out.callResult.content.length === 1);
  assert.deepEqual(seen.map((p) => [p.attempt, p.status]),
    [[0, 'not_started'], [1, 'pending'], [2, 'running'], [3, 'running'], [4, 'completed']]);
  assert.ok(seen.every((p) => p.jobId === out.jobId && typeof p.elapsedMs === 'number' && p.result.run));
  assert.deepEqual(callsFor(out.jobId).map((c) => c.tool), ['getRun', 'getRun', 'getRun', 'getRun']);
});

test('a failed run resolves too (the status says how it ended)', T, async () => {
  const out = await client.callAndPoll('startRun', { agent_id: 'failing' }, FAST);
  assert.equal(out.status, 'failed');
  assert.equal(out.attempts, 2);
});

test('backoff: unchanged statuses stretch the wait by the factor up to the max', T, async () => {
  const p = client.callAndPoll('startRun', { agent_id: 'forever' }, {
    intervalMs: 30, backoffFactor: 2, maxIntervalMs: 100, jitter: 0, maxAttempts: 6 });
  const e = await settlesWithin(p.catch((x) => x), 10000, 'callAndPoll');
  assert.ok(e instanceof TimeoutError, String(e));
  assert.equal(e.code, 'poll.timeout');
  const { jobId } = await p.started;
  const at = callsFor(jobId).map((c) => c.at);
  assert.equal(at.length, 6);
  const gaps = at.slice(1).map((t, i) => t - at[i]);
  // 30 (status changed from not_started), then 30, 60, 100 (capped), 100.
  for (const [gap, want] of gaps.map((g, i) => [g, [30, 30, 60, 100, 100][i]])) {
    assert.ok(gap >= want - 5 && gap < want + 150, `gaps ${gaps} vs ${want}`);
  }
});

test('jitter stays within its fraction of the wait', async () => {
  const { jittered } = await import('../src/poll.mjs');
  const xs = Array.from({ length: 200 }, () => jittered(1000, 0.2));
  assert.ok(xs.every((x) => x >= 800 && x <= 1200), String(xs));
  assert.ok(new Set(xs).size > 20, 'drawn, not constant');
  assert.equal(jittered(1000, 0), 1000);
});

test('a human-in-the-loop request reaches the handler once and the answer is sent', T, async () => {
  const asked = [];
  const out = await settlesWithin(client.callAndPoll('startRun', { agent_id: 'ask' }, {
    ...FAST,
    onHumanRequest: async (req, ctx) => {
      asked.push({ req, ctx });
      return { answers: { [req.questions[0].header]: req.questions[0].options[0].label } };
    },
  }), 10000, 'callAndPoll');
  assert.equal(out.status, 'completed');
  assert.equal(asked.length, 1);
  assert.equal(asked[0].req.title, 'Approve the refund');
  assert.equal(asked[0].ctx.status, 'waiting');
  const respond = state.calls.filter((c) => c.tool === 'respondToHumanRequest' && c.args.run_id === out.jobId);
  assert.deepEqual(respond.map((c) => c.args), [{ run_id: out.jobId, request_id: `hr-${out.jobId}`, answers: { refund: 'yes' } }]);
});

test('without a handler the request shows in progress and polling goes on', T, async () => {
  const p = client.callAndPoll('startRun', { agent_id: 'ask' }, {
    ...FAST, onProgress: (x) => { if (x.humanRequest) p.cancelWait('nobody to ask'); } });
  const e = await settlesWithin(p.catch((x) => x), 10000, 'callAndPoll');
  assert.ok(e instanceof AbortError && e.code === 'poll.wait_cancelled', String(e));
  assert.match(e.message, /nobody to ask/);
});

test('cancelWait stops the wait only: no stop call, no more status calls, the run goes on', T, async () => {
  const p = client.callAndPoll('startRun', { agent_id: 'forever' }, FAST);
  const { jobId } = await p.started;
  await new Promise((r) => setTimeout(r, 60));
  p.cancelWait();
  p.cancelWait();  // twice: still one settlement
  const e = await p.catch((x) => x);
  assert.ok(e instanceof AbortError, String(e));
  assert.equal(e.data.jobId, jobId);
  await new Promise((r) => setTimeout(r, 50));   // a call already on the wire may still land
  const n = callsFor(jobId).length;
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(callsFor(jobId).length, n, 'no status call after the wait stopped');
  assert.ok(!state.calls.some((c) => c.tool === 'stopRun' && c.args.run_id === jobId));
  assert.equal(state.runs.get(jobId).status, 'running');
});

test('an AbortSignal stops the wait, before or during it', T, async () => {
  const early = await client.callAndPoll('startRun', { agent_id: 'quick' }, { ...FAST, signal: AbortSignal.abort() }).catch((x) => x);
  assert.ok(early instanceof AbortError, String(early));
  const ac = new AbortController();
  const p = client.callAndPoll('startRun', { agent_id: 'forever' }, { ...FAST, signal: ac.signal });
  await p.started;
  ac.abort(new Error('user pressed Ctrl-C'));
  const e = await settlesWithin(p.catch((x) => x), 5000, 'callAndPoll');
  assert.ok(e instanceof AbortError && /Ctrl-C/.test(e.message), String(e));
});

test('stopJob calls the stop tool and the wait ends with the stopped status', T, async () => {
  const p = client.callAndPoll('startRun', { agent_id: 'forever' }, { intervalMs: 10, maxIntervalMs: 10_000, backoffFactor: 10, jitter: 0 });
  await new Promise((r) => setTimeout(r, 150));   // the wait has grown long
  const t = Date.now();
  const stopped = await p.stopJob();
  assert.equal(stopped.run.status, 'stopped');
  const out = await settlesWithin(p, 5000, 'callAndPoll');
  assert.equal(out.status, 'stopped');
  assert.ok(Date.now() - t < 1000, 'stopJob wakes the wait');
});

// Starts a quick run, answers its next status call with `inject`, resolves with how the poll settled.
async function settleAfterInjected(inject, options = {}) {
  const p = client.callAndPoll('startRun', { agent_id: 'quick' }, { ...FAST, ...options });
  await p.started;
  srv.injectNext(inject);
  return settlesWithin(p.catch((x) => x), 10000, 'callAndPoll');
}

test('429 while polling is retried after Retry-After; with no retries left it rejects typed', T, async () => {
  const t = Date.now();
  const out = await settleAfterInjected({ status: 429, headers: { 'retry-after': '1', 'content-type': 'application/json' }, body: '{"error":"rate_limited"}' });
  assert.equal(out.status, 'completed', String(out));
  assert.ok(Date.now() - t >= 900, 'waited for Retry-After');
  const e = await settleAfterInjected({ status: 429, headers: { 'retry-after': '1' }, body: '' }, { maxTransientErrors: 0 });
  assert.ok(e instanceof RateLimitedError, String(e));
  assert.equal(e.retryAfterMs, 1000);
});

test('403 is not retried: it rejects at once with ForbiddenError', T, async () => {
  const e = await settleAfterInjected({ status: 403, headers: { 'content-type': 'application/json' }, body: '{"error":"forbidden"}' });
  assert.ok(e instanceof ForbiddenError, String(e));
  assert.equal(e.status, 403);
});

test('tool errors reject with typed poll errors (start and status)', T, async () => {
  const a = await client.callAndPoll('startRun', { agent_id: 'nobody' }, FAST).catch((x) => x);
  assert.ok(a instanceof McpError && a.code === 'poll.start_failed', String(a));
  assert.match(a.message, /no such agent/);
  const b = await client.callAndPoll('startRun', { agent_id: 'quick' }, { ...FAST, statusArgs: () => ({ run_id: 'missing' }) }).catch((x) => x);
  assert.equal(b.code, 'poll.status_failed');
  const c = await client.callAndPoll('createTask', {}, FAST).catch((x) => x);
  assert.equal(c.code, 'poll.no_job_id');
});

test('every part can be overridden for another server', T, async () => {
  const seen = [];
  const out = await client.callAndPoll('createTask', {}, {
    ...FAST,
    statusTool: 'taskState',
    statusArgs: (id) => ({ taskId: id }),
    jobId: (p) => p.taskId,
    status: (p) => p.state,
    isTerminal: (s) => s === 'DONE',
    humanRequest: () => null,
    onProgress: (p) => seen.push(p.status),
  });
  assert.equal(out.status, 'DONE');
  assert.equal(out.result.progress, 1);
  assert.deepEqual(seen, [undefined, 'BUSY', 'BUSY', 'DONE']);
});

test('bad options reject with a local error', async () => {
  for (const bad of [{ intervalMs: -1 }, { jitter: 1 }, { backoffFactor: 0.5 }, { status: 'run.status' }, { statusTool: '' }]) {
    const e = await client.callAndPoll('startRun', { agent_id: 'quick' }, bad).catch((x) => x);
    assert.equal(e.code, 'support.invalid_argument', JSON.stringify(bad));
    assert.equal(e.kind, 'local');
  }
});

test('the timeout bounds the whole wait', T, async () => {
  const t = Date.now();
  const e = await client.callAndPoll('startRun', { agent_id: 'forever' }, { ...FAST, timeoutMs: 200 }).catch((x) => x);
  assert.ok(e instanceof TimeoutError && e.code === 'poll.timeout', String(e));
  assert.equal(e.data.status, 'running');
  assert.ok(Date.now() - t < 2000);
});

test('a server that goes away: network errors retried within the bound, then TransportError', T, async () => {
  const own = runsServer();
  const s2 = await startMcpHttp({ mode: 'json', makeServer: own.makeServer });
  const c2 = await Client.connect(s2.url, { timeoutMs: 3000, listen: false });
  try {
    const p = c2.callAndPoll('startRun', { agent_id: 'forever' }, { ...FAST, maxTransientErrors: 2 });
    await p.started;
    await s2.close();
    const e = await settlesWithin(p.catch((x) => x), 15000, 'callAndPoll');
    assert.ok(e instanceof TransportError || e instanceof TimeoutError, `${e?.name} ${e?.code} ${e?.message}`);
  } finally {
    await c2.close().catch(() => {});
  }
});

test('over SSE answers too (each status call answered as an event stream)', T, async () => {
  const own = runsServer();
  const s2 = await startMcpHttp({ mode: 'sse', makeServer: own.makeServer });
  const c2 = await Client.connect(s2.url, { timeoutMs: 5000 });
  try {
    const out = await settlesWithin(c2.callAndPoll('startRun', { agent_id: 'ask' }, {
      ...FAST, onHumanRequest: () => ({ approved: true }) }), 10000, 'callAndPoll');
    assert.equal(out.status, 'completed');
    assert.deepEqual(own.calls.filter((c) => c.tool === 'respondToHumanRequest').map((c) => c.args.approved), [true]);
    assert.equal(c2.stats().pendingOperations, 0);
  } finally {
    await c2.close();
    await s2.close();
  }
});
