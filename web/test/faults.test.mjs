// Fault injection: the package's Client against servers/fault-peer.mjs, a
// programmable proxy in front of the real SDK server. For every fault: each
// call settles exactly once with the right typed error or result, nothing
// hangs past its timeout, nothing stays pending, the Wasm module stays usable
// (a fresh client succeeds next), and its allocator returns to its baseline.
// (recovery.test.mjs has the plain 404 and single-429 cases.)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import {
  Client, memoryStorage, headlessRedirect, McpError, HttpError, RateLimitedError, TransportError, ProtocolError, TimeoutError,
} from 'mcp-wasm';
import { loadModule } from '../src/entry-node.mjs';
import { startServer } from './servers/sdk-server.mjs';
import { startFaultPeer, startAuthServer, sse, sendJson, answer } from './servers/fault-peer.mjs';
import { settlesWithin } from './helpers.mjs';

const T = { timeout: 30000 };
const TIMEOUT_MS = 3000;  // per request, unless a fault says otherwise
let upstream, peer, mod;

before(async () => {
  mod = await loadModule();
  upstream = await startServer({ mode: 'json' });
  peer = await startFaultPeer({ upstream });
});
after(async () => { await peer?.close(); await upstream?.close(); });

/// Polls `cond` every 10 ms, at most `ms`.
async function until(cond, ms, what) {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) assert.fail(`${what}: not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/// Settles `p` within `ms` and returns {ok, value} or {ok: false, error}.
async function outcome(p, ms = TIMEOUT_MS + 2000) {
  try { return { ok: true, value: await settlesWithin(p, ms, 'call') }; } catch (error) {
    if (/did not settle/.test(error.message)) throw error;
    return { ok: false, error };
  }
}

/// Asserts `o` failed with class `Type` and core id `code`.
function failedWith(o, Type, code) {
  assert.ok(!o.ok, `expected ${Type.name}, got a result ${JSON.stringify(o.value)?.slice(0, 200)}`);
  assert.ok(o.error instanceof Type, `expected ${Type.name}, got ${o.error?.name}: ${o.error?.message}`);
  assert.ok(o.error instanceof McpError);
  if (code) assert.equal(o.error.code, code, o.error.message);
}

/// Runs one fault: a client on the peer, the fault's checks, then the leak
/// and liveness checks every fault shares.
async function runFault(f, p = peer) {
  p.clearRules();
  f.setup?.(p);  // rules for requests made while connecting
  const n = p.log.length;
  const client = await Client.connect(p.url, { timeoutMs: TIMEOUT_MS, listen: false, ...f.options });
  client.logStart = n;
  try {
    f.arm?.(p, client);
    await f.run(client, p);
    assert.deepEqual(client.stats().pendingOperations, 0, 'nothing pending once every call settled');
  } finally {
    await settlesWithin(client.close(), 5000, 'close');
  }
  assert.equal(client.stats(), null, 'close freed the driver');
  await until(() => mod.liveJobs() === 0, 3000, 'every fetch job freed');
  p.clearRules();
  const fresh = await Client.connect(p.url, { timeoutMs: 5000, listen: false });
  assert.equal((await fresh.callTool('echo', { text: 'still fine' })).content[0].text, 'still fine');
  await fresh.close();
}

const note = (data) => ({ jsonrpc: '2.0', method: 'notifications/message', params: { level: 'info', data } });
const since = (p, n) => p.log.slice(n);

// The SSE text of `events`, cut in the middle of the last one.
function cutInLast(events) {
  const whole = (e) => `${e.id !== undefined ? `id: ${e.id}\n` : ''}${e.retry !== undefined ? `retry: ${e.retry}\n` : ''}data: ${JSON.stringify(e.data)}\n\n`;
  const head = events.slice(0, -1).map(whole).join('');
  const last = whole(events.at(-1));
  return { text: head + last, cut: head.length + Math.floor(last.length / 2) };
}

const FAULTS = [
  {
    name: 'SSE dropped after a complete event with an id: resumed with Last-Event-ID after the server\'s retry',
    async run(client, p) {
      const n = p.log.length;
      let final;
      p.on({ rpc: 'tools/call' }, async (ctx) => {
        final = (await ctx.forward()).json;
        sse(ctx.res, [{ id: 'ev-1', retry: 50, data: note('before the drop') }], { cut: 1e6 });
      });
      p.on((ctx) => ctx.req.method === 'GET' && !!ctx.req.headers['last-event-id'], (ctx) => sse(ctx.res, [{ id: 'ev-2', data: final }]));
      const t0 = Date.now();
      const o = await outcome(client.callTool('echo', { text: 'resumed' }));
      assert.ok(o.ok, o.error?.message);
      assert.equal(o.value.content[0].text, 'resumed');
      const get = since(p, n).find((r) => r.method === 'GET');
      assert.equal(get?.headers['last-event-id'], 'ev-1');
      assert.ok(get.headers['mcp-session-id'], 'the resume carries the session');
      assert.ok(Date.now() - t0 >= 50, 'waited the server\'s retry');
    },
  },
  {
    name: 'SSE dropped mid-event after an event id: the resume names the last COMPLETE event\'s id',
    // WHATWG HTML §9.2.6: the last event ID string is set when an event is
    // dispatched; an `id:` line of an event cut before its blank line does not
    // count (src/transport/sse_decoder.cpp once took it at once, and the
    // resume then asked for events after the lost answer's own id).
    async run(client, p) {
      const n = p.log.length;
      let final;
      p.on({ rpc: 'tools/call' }, async (ctx) => {
        final = (await ctx.forward()).json;
        const { text, cut } = cutInLast([{ id: 'ev-1', retry: 50, data: note('before the drop') }, { id: 'ev-2', data: final }]);
        sse(ctx.res, [text], { cut });
      });
      p.on((ctx) => ctx.req.method === 'GET' && ctx.req.headers['last-event-id'] === 'ev-1',
        (ctx) => sse(ctx.res, [{ id: 'ev-2', data: final }]));
      const o = await outcome(client.callTool('echo', { text: 'resumed' }));
      assert.equal(since(p, n).find((r) => r.method === 'GET')?.headers['last-event-id'], 'ev-1');
      assert.ok(o.ok, o.error?.message);
    },
  },
  {
    name: 'SSE dropped mid-event without event ids: TransportError at once, no resume',
    async run(client, p) {
      const n = p.log.length;
      p.on({ rpc: 'tools/call' }, async (ctx) => {
        const final = (await ctx.forward()).json;
        const { text, cut } = cutInLast([{ data: note('no ids') }, { data: final }]);
        sse(ctx.res, [text], { cut });
      });
      const t0 = Date.now();
      const o = await outcome(client.callTool('echo', { text: 'lost' }));
      failedWith(o, TransportError, 'transport.network');
      assert.ok(Date.now() - t0 < TIMEOUT_MS, 'failed before the timeout');
      assert.ok(!since(p, n).some((r) => r.method === 'GET'), 'no resume without an event id');
    },
  },
  {
    name: 'SSE closed cleanly before the answer: stream_ended, no resume',
    async run(client, p) {
      p.on({ rpc: 'tools/call' }, (ctx) => sse(ctx.res, [{ data: note('and then nothing') }]));
      const o = await outcome(client.callTool('echo', { text: 'x' }));
      failedWith(o, McpError, 'transport.stream_ended');
    },
  },
  {
    name: 'SSE dropped again on every resume: at most 3 resumes, then TransportError',
    async run(client, p) {
      const n = p.log.length;
      let k = 1;
      p.on({ rpc: 'tools/call' }, (ctx) => {
        const { text, cut } = cutInLast([{ id: 'ev-1', retry: 20, data: note('first') }, { id: 'ev-x', data: note('cut') }]);
        sse(ctx.res, [text], { cut });
      });
      p.on((ctx) => ctx.req.method === 'GET' && !!ctx.req.headers['last-event-id'], (ctx) => {
        const { text, cut } = cutInLast([{ id: `ev-${++k}`, retry: 20, data: note('again') }, { id: 'ev-x', data: note('cut') }]);
        sse(ctx.res, [text], { cut });
      }, { times: 10 });
      const o = await outcome(client.callTool('echo', { text: 'x' }));
      failedWith(o, TransportError, 'transport.network');
      const resumes = since(p, n).filter((r) => r.method === 'GET' && r.headers['last-event-id']);
      assert.equal(resumes.length, 3, 'max_resumes');
    },
  },
  {
    name: 'server restart while a dropped stream is resumed: the resume gets 404, one re-initialize, the call replayed',
    async run(client, p) {
      const n = p.log.length;
      p.on({ rpc: 'tools/call' }, (ctx) => sse(ctx.res, [{ id: 'ev-1', retry: 20, data: note('then a restart') }], { cut: 1e6 }));
      p.on((ctx) => ctx.req.method === 'GET' && !!ctx.req.headers['last-event-id'], async (ctx) => {
        await p.upstream.forgetSessions();
        sendJson(ctx.res, 404, { jsonrpc: '2.0', id: null, error: { code: -32001, message: 'Session not found' } });
      });
      const o = await outcome(client.callTool('echo', { text: 'after the restart' }));
      assert.equal(o.value?.content[0].text, 'after the restart', o.error?.message);
      const seq = since(p, n).map((r) => r.rpc?.method ?? r.method);
      assert.deepEqual(seq, ['tools/call', 'GET', 'initialize', 'notifications/initialized', 'tools/call']);
    },
  },
  {
    name: 'the GET stream for server messages is accepted, then dropped, on every connect: at most 3 reconnects, calls unaffected',
    options: { listen: true },
    // A priming event (id, retry, no data), then the connection drops.
    setup: (p) => p.on((ctx) => ctx.req.method === 'GET', (ctx) => sse(ctx.res, ['id: l-1\nretry: 10\n\n'], { cut: 1e6 }), { times: 50 }),
    async run(client, p) {
      await new Promise((r) => setTimeout(r, 800));
      const gets = since(p, client.logStart).filter((r) => r.method === 'GET');
      assert.equal(gets.length, 4, 'the first connect and 3 reconnects');
      assert.deepEqual(gets.slice(1).map((r) => r.headers['last-event-id']), ['l-1', 'l-1', 'l-1']);
      const o = await outcome(client.callTool('echo', { text: 'unaffected' }));
      assert.equal(o.value?.content[0].text, 'unaffected');
    },
  },
  {
    name: 'server restart during three concurrent calls: one re-initialize, every call replayed once',
    async run(client, p) {
      const n = p.log.length;
      await p.upstream.forgetSessions();
      const os = await Promise.all(['a', 'b', 'c'].map((t) => outcome(client.callTool('echo', { text: t }))));
      assert.deepEqual(os.map((o) => o.ok && o.value.content[0].text), ['a', 'b', 'c']);
      const posts = since(p, n).filter((r) => r.method === 'POST').map((r) => r.rpc?.method);
      assert.equal(posts.filter((m) => m === 'initialize').length, 1, posts.join(','));
      assert.equal(posts.filter((m) => m === 'tools/call').length, 6, 'three 404s, three replays');
    },
  },
  {
    name: 'a server that forgets every session: replayed once, then HttpError 404',
    async run(client, p) {
      p.on({ rpc: 'tools/call' }, (ctx) => sendJson(ctx.res, 404, { jsonrpc: '2.0', id: null, error: { code: -32001, message: 'Session not found' } }), { times: 2 });
      const o = await outcome(client.callTool('echo', { text: 'x' }));
      failedWith(o, HttpError, 'http.status');
      assert.equal(o.error.status, 404);
      assert.match(o.error.message, /Session not found/);
    },
  },
  {
    name: '429 storm on a list: two retries after Retry-After, then RateLimitedError',
    async run(client, p) {
      const n = p.log.length;
      p.on({ rpc: 'tools/list' }, (ctx) => sendJson(ctx.res, 429, { error: 'slow down' }, { 'retry-after': '1' }), { times: 3 });
      const t0 = Date.now();
      const o = await outcome(client.listTools());
      failedWith(o, RateLimitedError, 'http.status');
      assert.equal(o.error.retryAfterMs, 1000);
      assert.ok(Date.now() - t0 >= 1900, 'waited out Retry-After twice');
      assert.equal(since(p, n).filter((r) => r.rpc?.method === 'tools/list').length, 3);
    },
  },
  {
    name: '429 storm on concurrent tool calls (Retry-After: 3600): each a RateLimitedError at once',
    async run(client, p) {
      p.on({ rpc: 'tools/call' }, (ctx) => sendJson(ctx.res, 429, {}, { 'retry-after': '3600' }), { times: 5 });
      const t0 = Date.now();
      const os = await Promise.all([1, 2, 3, 4, 5].map((i) => outcome(client.callTool('echo', { text: `${i}` }))));
      for (const o of os) { failedWith(o, RateLimitedError, 'http.status'); assert.equal(o.error.retryAfterMs, 3600000); }
      assert.ok(Date.now() - t0 < 2500, 'no waiting on a wait longer than the limit');
    },
  },
  {
    name: '5xx answers (500 JSON-RPC error, 502 HTML, 503): HttpError with the status, no retry of a tool call',
    async run(client, p) {
      const n = p.log.length;
      p.on({ rpc: 'tools/call' }, (ctx) => sendJson(ctx.res, 500, { jsonrpc: '2.0', id: ctx.rpc.id, error: { code: -32603, message: 'db down' } }));
      p.on({ rpc: 'tools/call' }, (ctx) => ctx.res.writeHead(502, { 'content-type': 'text/html' }).end('<html>\n<b>Bad gateway</b></html>'));
      p.on({ rpc: 'tools/call' }, (ctx) => ctx.res.writeHead(503, { 'retry-after': '5' }).end());
      const os = [];
      for (const t of ['a', 'b', 'c']) os.push(await outcome(client.callTool('echo', { text: t })));
      os.forEach((o) => failedWith(o, HttpError, 'http.status'));
      assert.deepEqual(os.map((o) => o.error.status), [500, 502, 503]);
      assert.match(os[0].error.message, /db down/);
      assert.match(os[1].error.message, /Bad gateway/);
      assert.ok(!/[\n\r]/.test(os[1].error.message), 'control characters removed');
      assert.equal(since(p, n).filter((r) => r.rpc?.method === 'tools/call').length, 3);
    },
  },
  {
    name: 'slow body: a JSON answer trickled in 12 pieces over ~600 ms arrives whole',
    async run(client, p) {
      p.on({ rpc: 'tools/call' }, async (ctx) => {
        const text = JSON.stringify((await ctx.forward()).json);
        ctx.res.writeHead(200, { 'content-type': 'application/json' });
        const step = Math.ceil(text.length / 12);
        for (let i = 0; i < text.length; i += step) {
          ctx.res.write(text.slice(i, i + step));
          await new Promise((r) => setTimeout(r, 50));
        }
        ctx.res.end();
      });
      const o = await outcome(client.callTool('echo', { text: 'slow but whole ✓' }));
      assert.ok(o.ok, o.error?.message);
      assert.equal(o.value.content[0].text, 'slow but whole ✓');
    },
  },
  {
    name: 'slow SSE: progress every 150 ms keeps a 400 ms timeout alive for ~1 s',
    async run(client, p) {
      p.on({ rpc: 'tools/call' }, async (ctx) => {
        const final = (await ctx.forward()).json;
        const token = ctx.rpc.params?._meta?.progressToken;
        ctx.res.writeHead(200, { 'content-type': 'text/event-stream' });
        for (let i = 1; i <= 6; i++) {
          await new Promise((r) => setTimeout(r, 150));
          ctx.res.write(`data: ${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: token, progress: i, total: 6 } })}\n\n`);
        }
        ctx.res.end(`data: ${JSON.stringify(final)}\n\n`);
      });
      const seen = [];
      const o = await outcome(client.callTool('echo', { text: 'kept alive' }, { timeoutMs: 400, onProgress: (x) => seen.push(x.progress) }));
      assert.ok(o.ok, o.error?.message);
      assert.deepEqual(seen, [1, 2, 3, 4, 5, 6]);
    },
  },
  {
    name: 'stalled body (headers and half the JSON, then nothing): TimeoutError at the timeout, fetch aborted',
    async run(client, p) {
      let closed;
      p.on({ rpc: 'tools/call' }, (ctx) => {
        closed = ctx.closed;
        ctx.res.writeHead(200, { 'content-type': 'application/json' });
        ctx.res.write(`{"jsonrpc":"2.0","id":${ctx.rpc.id},"result":{"content":[`);
      });
      const t0 = Date.now();
      const o = await outcome(client.callTool('echo', { text: 'x' }, { timeoutMs: 500 }));
      const took = Date.now() - t0;
      failedWith(o, TimeoutError, 'client.timeout');
      assert.ok(took >= 480 && took < 2500, `settled after ${took} ms`);
      assert.equal(await settlesWithin(closed, 2000, 'abort'), true, 'the client aborted the stalled response');
    },
  },
  {
    name: 'stalled before the headers: TimeoutError at the timeout; a stalled SSE stream too',
    async run(client, p) {
      p.on({ rpc: 'tools/call' }, () => {});  // never answers
      p.on({ rpc: 'tools/call' }, (ctx) => sse(ctx.res, [{ data: note('one event, then silence') }], { end: false }));
      for (const t of ['a', 'b']) {
        const t0 = Date.now();
        const o = await outcome(client.callTool('echo', { text: t }, { timeoutMs: 400 }));
        failedWith(o, TimeoutError, 'client.timeout');
        assert.ok(Date.now() - t0 < 2400);
      }
    },
  },

  {
    name: '503 to initialize: connect rejects with HttpError 503, the client is failed, not stuck',
    async run(_client, p) {
      p.on({ rpc: 'initialize' }, (ctx) => sendJson(ctx.res, 503, { error: 'maintenance' }, { 'retry-after': '30' }));
      const states = [];
      const o = await outcome(Client.connect(p.url, { timeoutMs: TIMEOUT_MS, listen: false, protocolVersion: '2025-11-25',
        onStateChange: (s) => states.push(s) }));
      failedWith(o, HttpError, 'http.status');
      assert.equal(o.error.status, 503);
      assert.deepEqual(states, ['connecting', 'failed']);
    },
  },
  {
    name: 'body over maxBodyBytes (JSON and one SSE event): a typed error, the download aborted',
    options: { maxBodyBytes: 4096 },
    async run(client, p) {
      const closed = [];
      // Streams a huge answer slowly enough that only an abort by the client stops it.
      const flood = async (ctx, head, tail) => {
        closed.push(ctx.closed);
        ctx.res.write(head);
        const chunk = 'x'.repeat(16384);
        for (let i = 0; i < 2048 && !ctx.res.destroyed; i++) {
          if (!ctx.res.write(chunk)) await new Promise((r) => setTimeout(r, 5));
        }
        if (!ctx.res.destroyed) ctx.res.end(tail);
      };
      p.on({ rpc: 'tools/call' }, (ctx) => {
        ctx.res.writeHead(200, { 'content-type': 'application/json' });
        return flood(ctx, `{"jsonrpc":"2.0","id":${ctx.rpc.id},"result":{"content":[{"type":"text","text":"`, '"}]}}');
      });
      p.on({ rpc: 'tools/call' }, (ctx) => {
        ctx.res.writeHead(200, { 'content-type': 'text/event-stream' });
        return flood(ctx, `data: {"jsonrpc":"2.0","id":${ctx.rpc.id},"result":{"content":[{"type":"text","text":"`, '"}]}}\n\n');
      });
      const json = await outcome(client.callTool('echo', { text: 'a' }));
      failedWith(json, ProtocolError, 'transport.body_too_large');
      const event = await outcome(client.callTool('echo', { text: 'b' }));
      failedWith(event, ProtocolError, 'sse.event_too_large');
      for (const c of closed) assert.equal(await settlesWithin(c, 2000, 'abort'), true, 'the rest was not downloaded');
      const ok = await outcome(client.callTool('echo', { text: 'small answers still fit' }));
      assert.equal(ok.value?.content[0].text, 'small answers still fit');
    },
  },
  {
    // On a fetch with web streams (Node's own here, as in workerd and browsers) an answer of known length within the
    // limit is read whole; one declared over it is still read in chunks and stopped. gzip's Content-Length is the
    // compressed size: such answers go in chunks too, the limit applying to the inflated bytes.
    name: 'on Node\'s fetch: Content-Length over maxBodyBytes aborted; gzip answers read inflated, one inflating past it stopped',
    options: { maxBodyBytes: 4096, fetch: (url, init) => globalThis.fetch(url, init) },
    async run(client, p) {
      let closed, sent = 0;
      p.on({ rpc: 'tools/call' }, async (ctx) => {
        closed = ctx.closed;
        const head = `{"jsonrpc":"2.0","id":${ctx.rpc.id},"result":{"content":[{"type":"text","text":"`;
        const chunk = 'x'.repeat(16384);
        ctx.res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(head.length + 2048 * chunk.length) });
        ctx.res.write(head);
        for (let i = 0; i < 2048 && !ctx.res.destroyed; i++, sent++) {
          if (!ctx.res.write(chunk)) await new Promise((r) => setTimeout(r, 5));
        }
      });
      const big = await outcome(client.callTool('echo', { text: 'a' }));
      failedWith(big, ProtocolError, 'transport.body_too_large');
      assert.equal(await settlesWithin(closed, 2000, 'abort'), true, 'the response was closed');
      assert.ok(sent < 2048, `the download was aborted (${sent} of 2048 chunks sent)`);
      const zipped = (text) => (ctx) => {
        const body = gzipSync(JSON.stringify({ jsonrpc: '2.0', id: ctx.rpc.id, result: { content: [{ type: 'text', text } ] } }));
        ctx.res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip', 'content-length': String(body.length) });
        ctx.res.end(body);
      };
      p.on({ rpc: 'tools/call' }, zipped('y'.repeat(3000)));
      const small = await outcome(client.callTool('echo', { text: 'b' }));
      assert.equal(small.value?.content[0].text, 'y'.repeat(3000));
      p.on({ rpc: 'tools/call' }, zipped('z'.repeat(100000)));
      const bomb = await outcome(client.callTool('echo', { text: 'c' }));
      failedWith(bomb, ProtocolError, 'transport.body_too_large');
    },
  },
  {
    name: 'malformed JSON (truncated, trailing garbage, not JSON-RPC, HTML as JSON): ProtocolError each',
    async run(client, p) {
      const bodies = [
        (id) => `{"jsonrpc":"2.0","id":${id},"result":{"content":[`,
        (id) => `{"jsonrpc":"2.0","id":${id},"result":{}} trailing`,
        () => '{"hello":"world"}',
        () => '<!doctype html><title>oops</title>',
      ];
      for (const b of bodies) p.on({ rpc: 'tools/call' }, (ctx) => ctx.res.writeHead(200, { 'content-type': 'application/json' }).end(b(ctx.rpc.id)));
      const codes = [];
      for (const t of ['a', 'b', 'c', 'd']) {
        const o = await outcome(client.callTool('echo', { text: t }));
        failedWith(o, McpError);
        assert.ok(o.error instanceof ProtocolError, `${o.error.name}: ${o.error.message}`);
        codes.push(o.error.code);
      }
      assert.deepEqual(codes, ['json.syntax', 'json.syntax', 'jsonrpc.invalid', 'json.syntax']);
    },
  },
  {
    name: 'malformed SSE (event data not JSON, no data lines, a wrong content type): typed errors',
    async run(client, p) {
      p.on({ rpc: 'tools/call' }, (ctx) => sse(ctx.res, [': a comment\nevent: message\ndata: {not json\n\n']));
      p.on({ rpc: 'tools/call' }, (ctx) => sse(ctx.res, ['retry: banana\nid\n:only noise\nfield without colon\n\n']));
      p.on({ rpc: 'tools/call' }, (ctx) => ctx.res.writeHead(200, { 'content-type': 'text/plain' }).end('data: {}\n\n'));
      const a = await outcome(client.callTool('echo', { text: 'a' }));
      failedWith(a, ProtocolError, 'json.syntax');
      const b = await outcome(client.callTool('echo', { text: 'b' }));
      failedWith(b, McpError, 'transport.stream_ended');
      const c = await outcome(client.callTool('echo', { text: 'c' }));
      failedWith(c, ProtocolError, 'transport.content_type');
    },
  },
  {
    name: '1e6-deep nesting (JSON body and SSE event): json.too_deep, no stack overflow',
    async run(client, p) {
      const deep = (id) => `{"jsonrpc":"2.0","id":${id},"result":{"a":${'['.repeat(1e6)}${']'.repeat(1e6)}}}`;
      p.on({ rpc: 'tools/call' }, (ctx) => ctx.res.writeHead(200, { 'content-type': 'application/json' }).end(deep(ctx.rpc.id)));
      p.on({ rpc: 'tools/call' }, (ctx) => sse(ctx.res, [`data: ${deep(ctx.rpc.id)}\n\n`]));
      for (const t of ['json', 'sse']) {
        const o = await outcome(client.callTool('echo', { text: t }));
        failedWith(o, ProtocolError, 'json.too_deep');
      }
    },
  },
  {
    name: 'invalid UTF-8 inside a JSON string (JSON and SSE): ProtocolError, nothing decoded',
    async run(client, p) {
      const bad = (id) => Buffer.concat([Buffer.from(`{"jsonrpc":"2.0","id":${id},"result":{"content":[{"type":"text","text":"`),
        Buffer.from([0xff, 0xfe, 0xc3, 0x28]), Buffer.from('"}]}}')]);
      p.on({ rpc: 'tools/call' }, (ctx) => ctx.res.writeHead(200, { 'content-type': 'application/json' }).end(bad(ctx.rpc.id)));
      p.on({ rpc: 'tools/call' }, (ctx) => {
        ctx.res.writeHead(200, { 'content-type': 'text/event-stream' });
        ctx.res.end(Buffer.concat([Buffer.from('data: '), bad(ctx.rpc.id), Buffer.from('\n\n')]));
      });
      for (const t of ['json', 'sse']) {
        const o = await outcome(client.callTool('echo', { text: t }));
        failedWith(o, ProtocolError, 'json.syntax');
      }
    },
  },
  {
    name: 'wrong JSON-RPC ids (another number, a string, null): skipped or refused; the right id on the stream still counts',
    async run(client, p) {
      const wrong = [(id) => id + 1000, (id) => String(id), () => null];
      for (const w of wrong) p.on({ rpc: 'tools/call' }, (ctx) => sendJson(ctx.res, 200, { jsonrpc: '2.0', id: w(ctx.rpc.id), result: { content: [] } }));
      // Unknown ids are skipped (the stream then ends unanswered); a success with id null is not JSON-RPC.
      for (const [t, code] of [['a', 'transport.stream_ended'], ['b', 'transport.stream_ended'], ['c', 'jsonrpc.invalid']]) {
        failedWith(await outcome(client.callTool('echo', { text: t })), McpError, code);
      }
      // On a stream, answers to ids never sent are skipped and the right one still counts.
      p.on({ rpc: 'tools/call' }, async (ctx) => {
        const final = (await ctx.forward()).json;
        sse(ctx.res, [{ data: { ...final, id: final.id + 7 } }, { data: { ...final, id: `${final.id}` } }, { data: final }]);
      });
      const ok = await outcome(client.callTool('echo', { text: 'the right one' }));
      assert.equal(ok.value?.content[0].text, 'the right one');
    },
  },
  {
    name: 'duplicate responses (twice on one stream, again on a later call\'s stream): the first counts, once',
    async run(client, p) {
      let first;
      p.on({ rpc: 'tools/call' }, async (ctx) => {
        first = (await ctx.forward()).json;
        sse(ctx.res, [{ data: first }, { data: { ...first, result: { content: [{ type: 'text', text: 'dup' }] } } }]);
      });
      p.on({ rpc: 'tools/call' }, async (ctx) => {
        const mine = (await ctx.forward()).json;
        sse(ctx.res, [{ data: first }, { data: mine }]);
      });
      const a = await outcome(client.callTool('echo', { text: 'one' }));
      assert.equal(a.value?.content[0].text, 'one');
      const b = await outcome(client.callTool('echo', { text: 'two' }));
      assert.equal(b.value?.content[0].text, 'two', 'the late duplicate of call one did not answer call two');
    },
  },
];

for (const f of FAULTS) test(f.name, { ...T, todo: f.todo }, () => runFault(f));

test('memory: the Wasm allocator returns to its baseline after every fault, run 3 more times', { timeout: 120000 }, async () => {
  const quick = FAULTS.filter((f) => !f.slow && !f.todo);
  for (const f of quick) await runFault(f);  // warm: first-use allocations
  const baseline = mod.heapInUse();
  for (let round = 0; round < 3; round++) for (const f of quick) await runFault(f);
  const now = mod.heapInUse();
  console.log(`# heap in use: baseline ${baseline} B, after ${3 * quick.length} more faults ${now} B`);
  assert.ok(now <= baseline + 16384, `heap grew from ${baseline} to ${now} bytes`);
});


// ---- 401 that needs a refresh: two clients sharing one token store ----------

/// Web Locks (navigator.locks.request, exclusive, FIFO per name) for Node 20,
/// which lacks them (Node 22 and browsers have them built in).
function webLocks() {
  const tails = new Map();
  return {
    request(name, cb) {
      const result = (tails.get(name) ?? Promise.resolve()).then(() => cb({ name, mode: 'exclusive' }));
      const tail = result.catch(() => {});
      tails.set(name, tail);
      tail.then(() => { if (tails.get(name) === tail) tails.delete(name); });
      return result;
    },
  };
}

/// Signs in client A, then B from A's stored tokens; the AS forgets every access
/// token; A and B call at once. Returns what the AS saw and everything the clients emitted.
async function twoClientsRefresh(useLocks) {
  const as = await startAuthServer();
  const p = await startFaultPeer({ upstream, auth: as });
  const emitted = [];
  const storage = memoryStorage();
  const options = {
    timeoutMs: 10000, listen: false, onTrace: (t) => emitted.push(t), onStateChange: (s) => emitted.push(s),
    oauth: { redirectUri: 'http://localhost:3000/callback', onAuthorize: headlessRedirect(), storage, useLocks },
  };
  try {
    const a = await Client.connect(p.url, options);
    const b = await Client.connect(p.url, options);
    assert.deepEqual(as.grants, [{ grant: 'authorization_code', ok: true }], 'B signed in with A\'s stored tokens');
    as.revokeAll();
    const n = p.log.length;
    const os = await Promise.all([outcome(a.callTool('echo', { text: 'A' }), 12000), outcome(b.callTool('echo', { text: 'B' }), 12000)]);
    for (const o of os) if (!o.ok) emitted.push(o.error);
    assert.deepEqual(os.map((o) => o.ok && o.value.content[0].text), ['A', 'B'], os.map((o) => o.error?.message).join('; '));
    const refused = since(p, n).filter((r) => r.rpc?.method === 'tools/call').length - 2;
    assert.equal(refused, 2, 'each client had one 401');
    await a.close();
    await b.close();
    await until(() => mod.liveJobs() === 0, 3000, 'every fetch job freed');
    return { grants: as.grants.slice(1), secrets: as.secrets(), emitted };
  } finally {
    await p.close();
    await as.close();
  }
}

function assertNoSecret(emitted, secrets) {
  const text = JSON.stringify(emitted.map((e) => (e instanceof Error ? { name: e.name, message: e.message, data: e.data, stack: e.stack } : e)));
  for (const s of secrets) assert.ok(!text.includes(s), `a secret (${s.slice(0, 6)}...) appears in an error, event or trace`);
}

test('401 needing a refresh, two clients, one token store, Web Locks: one refresh, both calls succeed', T, async () => {
  const saved = Object.getOwnPropertyDescriptor(globalThis, 'navigator');
  Object.defineProperty(globalThis, 'navigator', { value: { locks: webLocks() }, configurable: true, writable: true });
  try {
    const { grants, secrets, emitted } = await twoClientsRefresh(true);
    assert.deepEqual(grants, [{ grant: 'refresh_token', ok: true }], 'the second client adopted the first one\'s refresh');
    assertNoSecret(emitted, secrets);
  } finally {
    if (saved) Object.defineProperty(globalThis, 'navigator', saved);
    else delete globalThis.navigator;
  }
});

test('401 needing a refresh, two clients, one token store, no locks: one rotation wins, the loser adopts it', T, async () => {
  const { grants, secrets, emitted } = await twoClientsRefresh(false);
  assert.deepEqual(grants.filter((g) => g.ok), [{ grant: 'refresh_token', ok: true }], 'one successful refresh');
  assert.ok(grants.length <= 2, `at most one refused refresh (the rotated token): ${JSON.stringify(grants)}`);
  assert.ok(!grants.some((g) => g.grant === 'authorization_code'), 'nobody had to sign in again');
  assertNoSecret(emitted, secrets);
});
