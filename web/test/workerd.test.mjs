// The package in workerd (through miniflare): web/worker/ bundled by esbuild
// with the `workerd` condition, the .wasm kept as a CompiledWasm module.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Miniflare } from 'miniflare';
import { buildWorker } from '../worker/build.mjs';
import { startServer } from './servers/sdk-server.mjs';
import { CALLS, checkRun, closedPort, settlesWithin } from './helpers.mjs';

const T = { timeout: 60000 };
const outdir = mkdtempSync(path.join(tmpdir(), 'mcpw-worker-'));
let mf, bundle;
const servers = {};

before(async () => {
  bundle = await buildWorker(outdir);
  servers.json = await startServer({ mode: 'json' });
  servers.sse = await startServer({ mode: 'sse' });
  mf = new Miniflare({
    modulesRoot: outdir,
    modules: [
      { type: 'ESModule', path: bundle.entry },
      ...bundle.wasm.map((w) => ({ type: 'CompiledWasm', path: path.join(outdir, w) })),
    ],
    compatibilityDate: '2025-01-01',
    host: '127.0.0.1',
    port: 0,
  });
  await settlesWithin(mf.ready, 30000, 'miniflare start');
});

after(async () => {
  await mf?.dispose();
  await Promise.all(Object.values(servers).map((s) => s.close()));
  rmSync(outdir, { recursive: true, force: true });
});

async function runInWorker(body) {
  const res = await settlesWithin(
    mf.dispatchFetch('http://worker/run', { method: 'POST', body: JSON.stringify(body) }), 30000, 'worker /run');
  return { status: res.status, body: await res.json() };
}

test('the bundle keeps the package wasm as a separate module', () => {
  assert.deepEqual(bundle.wasm, ['mcpw.wasm']);
  const wasm = readFileSync(path.join(outdir, 'mcpw.wasm'));
  assert.ok(wasm.equals(readFileSync(new URL('../dist/mcpw.wasm', import.meta.url))), 'same bytes as dist/mcpw.wasm');
  const code = readFileSync(bundle.entry, 'utf8');
  assert.match(code, /from\s*["']\.\/mcpw\.wasm["']/);
  assert.doesNotMatch(code, /\beval\s*\(|new\s+Function\b/);
});

test('miniflare runs the real workerd binary', async () => {
  const res = await mf.dispatchFetch('http://worker/');
  assert.equal((await res.json()).runtime, 'Cloudflare-Workers');
  const children = readdirSync('/proc').filter((p) => /^\d+$/.test(p)).filter((p) => {
    try { return readFileSync(`/proc/${p}/stat`, 'utf8').split(') ')[1].split(' ')[1] === String(process.pid); } catch { return false; }
  });
  const exes = children.map((p) => { try { return realpathSync(`/proc/${p}/exe`); } catch { return ''; } });
  assert.ok(exes.some((e) => /workerd-linux-64\/bin\/workerd$/.test(e)), `child processes: ${exes.join(', ')}`);
});

for (const mode of ['json', 'sse']) {
  test(`workerd, ${mode} responses: connect, list, call, close`, T, async () => {
    const before = servers[mode].log.length;
    const { status, body } = await runInWorker({ url: servers[mode].url, calls: CALLS, headers: { Authorization: 'Bearer w' } });
    assert.equal(status, 200, JSON.stringify(body));
    checkRun(body);
    const seen = servers[mode].log.slice(before);
    assert.ok(seen.length >= 5);
    assert.ok(seen.every((r) => r.headers.authorization === 'Bearer w'));
    assert.ok(seen.some((r) => r.method === 'DELETE'), 'close sent DELETE');
  });
}

test('workerd: connection refused and HTTP 404 settle as McpError', T, async () => {
  const refused = await runInWorker({ url: `http://127.0.0.1:${await closedPort()}/mcp` });
  assert.equal(refused.status, 502);
  assert.equal(refused.body.error.isMcpError, true);
  assert.equal(refused.body.error.name, 'TransportError');
  const missing = await runInWorker({ url: servers.json.url.replace(/\/mcp$/, '/nothing-here') });
  assert.equal(missing.status, 502);
  assert.equal(missing.body.error.isMcpError, true);
  assert.equal(missing.body.error.name, 'HttpError');
  assert.equal(missing.body.error.status, 404);
});
