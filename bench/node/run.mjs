// mcp-wasm side by side with the official TypeScript SDK clients (v1, v2) and
// raw fetch (the floor), against a loopback @modelcontextprotocol/sdk server
// in its own process (JSON and SSE answer modes). One command, one run;
// clients alternate per round; medians with min–max; ratios vs raw fetch and
// vs SDK v1. The pieces are in harness/ (server, client adapters, child).
//   nice -n 10 node bench/node/run.mjs [--quick] [--only call,list,leak,typed,cold,soak] [--base DIR] [--no-v2]
// --base DIR: a web/ snapshot (src/ + dist/) of another mcp-wasm build, measured
// as "mcp-wasm base" beside this one in the call and cold cases (before/after).
// --no-v2: leave SDK v2 out of those cases (shorter runs).
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

if (!globalThis.gc) {
  const r = spawnSync(process.execPath, ['--expose-gc', ...process.argv.slice(1)], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}
// Node prints a warning per listener past the limit (the SDK v1 client adds an
// abort listener per JSON-mode call); print each kind once.
const warned = new Set();
process.removeAllListeners('warning');
process.on('warning', (w) => { if (!warned.has(w.name)) { warned.add(w.name); console.error(`(warning, shown once: ${w.name}: ${w.message})`); } });
const H = (p) => fileURLToPath(new URL(`./harness/${p}`, import.meta.url));
// One run measures one build of mcp-wasm: snapshot web/src + web/dist under
// the lock scripts/build-wasm holds while it writes web/dist.
if (!process.env.MCPW_BENCH_WEB) {
  const { mkdtempSync, mkdirSync, rmSync } = await import('node:fs');
  const dir = mkdtempSync((await import('node:os')).tmpdir() + '/mcpw-bench-');
  mkdirSync(dir + '/dist');
  const web = fileURLToPath(new URL('../../web/', import.meta.url));
  const cp = spawnSync('flock', ['/tmp/mcpw-wasm.lock', 'cp', '-r', web + 'src', web + 'package.json', dir + '/'], { stdio: 'inherit' });
  const cp2 = spawnSync('flock', ['/tmp/mcpw-wasm.lock', 'cp', web + 'dist/mcpw.mjs', web + 'dist/mcpw.wasm', dir + '/dist/'], { stdio: 'inherit' });
  if (cp.status !== 0 || cp2.status !== 0) throw new Error('could not snapshot web/');
  process.env.MCPW_BENCH_WEB = dir;
  process.on('exit', () => { try { rmSync(dir, { recursive: true, force: true }); } catch {} });
}
const quick = process.argv.includes('--quick');
const bi = process.argv.indexOf('--base');
if (bi > 0) process.env.MCPW_BENCH_BASE = (await import('node:path')).resolve(process.argv[bi + 1]);
const oi = process.argv.indexOf('--only');
const only = oi > 0 ? new Set(process.argv[oi + 1].split(',')) : null;
const want = (c) => !only || only.has(c);
const P = quick
  ? { warm: 200, rounds: 4, perRound: 100, concRounds: 2, concCalls: 160, listRounds: { 10: 1, 100: 1, 1000: 1 }, refreshes: 2, typedRounds: 2, coldRounds: 1, soak: 1500 }
  : { warm: 3000, rounds: 10, perRound: 200, concRounds: 5, concCalls: 1600, listRounds: { 10: 5, 100: 5, 1000: 7 }, refreshes: 5, typedRounds: 5, coldRounds: 7, soak: 10000 };

const adapters = {};
for (const a of ['raw-fetch', 'mcp-wasm', 'sdk-v1', 'sdk-v2']) adapters[a] = await import(H(`clients/${a}.mjs`));
if (process.env.MCPW_BENCH_BASE) adapters['mcp-wasm-base'] = await import(H('clients/mcp-wasm-base.mjs'));
const V = (label, adapter, validator, transport) => ({ label, adapter, validator, transport });
const RAW = V('raw fetch', 'raw-fetch'), WASM = V('mcp-wasm', 'mcp-wasm', 'strict'), SDK1 = V('sdk v1', 'sdk-v1', 'ajv'), SDK2 = V('sdk v2', 'sdk-v2', 'default');
// raw fetch first and sdk v1 third: the tables' ratios read them by position.
// "mcp-wasm on fetch": the same client on Node's fetch (undici) instead of
// its default node:http transport, so the core's own cost over the same
// transport as raw fetch stays visible.
const MAIN = [RAW, WASM, SDK1, ...(process.argv.includes('--no-v2') ? [] : [SDK2]),
  V('mcp-wasm on fetch', 'mcp-wasm', 'strict', 'fetch'),
  ...(process.env.MCPW_BENCH_BASE ? [V('mcp-wasm base', 'mcp-wasm-base', 'strict')] : [])];
const connect = (v, url) => adapters[v.adapter].createClient({ url, validator: v.validator, transport: v.transport });

// ---- statistics and printing ----
const sorted = (xs) => [...xs].sort((a, b) => a - b);
const q = (xs, p) => { const s = sorted(xs); return s[Math.min(s.length - 1, Math.floor(p * s.length))]; };
const med = (xs) => q(xs, 0.5);
const f = (x, d = 0) => (x == null || Number.isNaN(x) ? '–' : x.toFixed(d));
const mmr = (xs, d = 0) => `${f(med(xs), d)} (${f(Math.min(...xs), d)}–${f(Math.max(...xs), d)})`;
const ratio = (a, b) => (b ? `${(a / b).toFixed(2)}×` : '–');
function table(title, head, rows) {
  console.log(`\n### ${title}\n`);
  console.log(`| ${head.join(' | ')} |`);
  console.log(`|${head.map(() => '---').join('|')}|`);
  for (const r of rows) console.log(`| ${r.join(' | ')} |`);
}
const rotate = (xs, r) => xs.map((_, i) => xs[(i + r) % xs.length]);
const mb = (b) => b / 1048576;
const heap = () => { gc(); gc(); return process.memoryUsage().heapUsed; };

// ---- the servers (own processes) ----
async function startServer(mode) {
  const child = spawn(process.execPath, [H('server.mjs'), '--mode', mode], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [line] = await once(createInterface({ input: child.stdout }), 'line');
  return { base: line.trim(), child };
}
const servers = { json: await startServer('json'), sse: await startServer('sse') };
const started = Date.now();
console.log(`# mcp-wasm vs official SDK clients vs raw fetch — ${new Date().toISOString()} node ${process.version}${quick ? ' (--quick)' : ''}`);
console.log(`mcp-wasm build: snapshot ${process.env.MCPW_BENCH_WEB} (web/dist/mcpw.wasm ${(await import('node:fs')).statSync(process.env.MCPW_BENCH_WEB + '/dist/mcpw.wasm').size} bytes)`);
console.log(`sdk v1 = @modelcontextprotocol/sdk Client (ajv default); sdk v2 = @modelcontextprotocol/client (default validator); mcp-wasm validation 'strict'`);
if (process.env.MCPW_BENCH_BASE) console.log(`mcp-wasm base: ${process.env.MCPW_BENCH_BASE}`);

// ---- case: tools/call latency, sequential and 16 concurrent ----
async function callCase(mode) {
  const url = servers[mode].base + '/0';
  const cs = [];
  for (const v of MAIN) cs.push({ v, c: await connect(v, url), lat: [], cpu: [], thr: [], ccpu: [] });
  const args = { text: 'hello' };
  for (const x of cs) for (let i = 0; i < P.warm; i++) await x.c.callTool('echo', args);
  for (let r = 0; r < P.rounds; r++) {
    for (const x of rotate(cs, r)) {
      const u0 = process.cpuUsage();
      for (let i = 0; i < P.perRound; i++) {
        const t0 = process.hrtime.bigint();
        await x.c.callTool('echo', args);
        x.lat.push(Number(process.hrtime.bigint() - t0) / 1000);
      }
      const u = process.cpuUsage(u0);
      x.cpu.push((u.user + u.system) / P.perRound);
    }
  }
  for (let r = 0; r < P.concRounds; r++) {
    for (const x of rotate(cs, r)) {
      let left = P.concCalls;
      const u0 = process.cpuUsage();
      const t0 = performance.now();
      await Promise.all(Array.from({ length: 16 }, async () => { while (left-- > 0) await x.c.callTool('echo', args); }));
      const ms = performance.now() - t0;
      const u = process.cpuUsage(u0);
      x.thr.push(P.concCalls / (ms / 1000));
      x.ccpu.push((u.user + u.system) / P.concCalls);
    }
  }
  for (const x of cs) await x.c.close();
  const raw = cs[0], sdk = cs[2];
  const over = (x) => med(x.cpu) - med(raw.cpu);
  table(`tools/call, ${mode.toUpperCase()} answers: sequential ${cs[0].lat.length} calls per client after ${P.warm} warm-up (${P.rounds} alternating rounds), then 16 concurrent (${P.concRounds} rounds × ${P.concCalls})`,
    ['client', 'p50 µs', 'p99 µs', 'p50 vs raw', 'p50 vs sdk v1', 'client CPU µs/call, median (min–max of rounds)', 'CPU overhead over raw µs', 'overhead vs sdk v1', '16 concurrent calls/s', 'conc. CPU µs/call'],
    cs.map((x) => [x.v.label, f(q(x.lat, 0.5)), f(q(x.lat, 0.99)), ratio(q(x.lat, 0.5), q(raw.lat, 0.5)), ratio(q(x.lat, 0.5), q(sdk.lat, 0.5)),
      mmr(x.cpu), f(over(x)), x === raw ? '–' : ratio(over(x), over(sdk)), mmr(x.thr), f(med(x.ccpu))]));
}

// ---- case: tools/list of N REST-like tools with outputSchemas ----
const LIST_VARIANTS = [RAW, V('mcp-wasm strict', 'mcp-wasm', 'strict'), V('mcp-wasm off', 'mcp-wasm', 'off'),
  V('mcp-wasm strict on fetch', 'mcp-wasm', 'strict', 'fetch'),
  V('sdk v1 ajv', 'sdk-v1', 'ajv'), V('sdk v1 cfworker', 'sdk-v1', 'cfworker'), V('sdk v1 none', 'sdk-v1', 'none'),
  V('sdk v2 default', 'sdk-v2', 'default'), V('sdk v2 cfworker', 'sdk-v2', 'cfworker'), V('sdk v2 none', 'sdk-v2', 'none')];
async function listCase(n) {
  const url = servers.json.base + '/' + n;
  const rs = LIST_VARIANTS.map((v) => ({ v, ms: [], heap: [] }));
  for (let r = 0; r < P.listRounds[n]; r++) {
    for (const x of rotate(rs, r)) {
      const c = await connect(x.v, url);
      const h0 = heap();
      const t0 = performance.now();
      const tools = await c.listTools();
      x.ms.push(performance.now() - t0);
      x.heap.push(mb(heap() - h0));
      if (tools.length !== n + 2) throw new Error(`${x.v.label}: ${tools.length} tools`);
      await c.close();
    }
  }
  const raw = rs[0], sdk = rs.find((x) => x.v.label === 'sdk v1 ajv');
  table(`tools/list of ${n} REST-like tools (+2) with outputSchemas, JSON answers, ${P.listRounds[n]} alternating rounds, fresh session each`,
    ['client', 'ms median (min–max)', 'vs raw fetch', 'vs sdk v1 ajv', 'heap Δ MB (kept until close)'],
    rs.map((x) => [x.v.label, mmr(x.ms, 1), ratio(med(x.ms), med(raw.ms)), ratio(med(x.ms), med(sdk.ms)), f(med(x.heap), 2)]));
}

// ---- case: heap after repeated refreshes of the 1,000-tool list ----
async function leakCase() {
  const url = servers.json.base + '/1000';
  const rows = [];
  for (const v of [WASM, V('sdk v1 ajv', 'sdk-v1', 'ajv'), V('sdk v1 cfworker', 'sdk-v1', 'cfworker'), V('sdk v2 default', 'sdk-v2', 'default'), RAW]) {
    const c = await connect(v, url);
    const h0 = heap();
    const after = [];
    for (let i = 0; i < P.refreshes; i++) { await c.listTools(); after.push(mb(heap() - h0)); }
    await c.close();
    rows.push([v.label, ...after.map((x) => f(x, 1)), f((after.at(-1) - after[0]) / Math.max(1, P.refreshes - 1), 1)]);
  }
  table(`heap growth (MB over the connected client, after gc) across ${P.refreshes} refreshes of the 1,000-tool list, same session`,
    ['client', ...Array.from({ length: P.refreshes }, (_, i) => `after ${i + 1}`), 'MB per extra refresh'], rows);
}

// ---- case: callTool on a tool with an outputSchema, validation on vs off ----
async function typedCase() {
  const url = servers.json.base + '/0';
  const vs = [RAW, V('mcp-wasm strict', 'mcp-wasm', 'strict'), V('mcp-wasm off', 'mcp-wasm', 'off'), V('sdk v1 ajv', 'sdk-v1', 'ajv'),
    V('sdk v1 cfworker', 'sdk-v1', 'cfworker'), V('sdk v1 none', 'sdk-v1', 'none'), V('sdk v2 default', 'sdk-v2', 'default'), V('sdk v2 none', 'sdk-v2', 'none')];
  const cs = [];
  for (const v of vs) { const c = await connect(v, url); await c.listTools(); cs.push({ v, c, lat: [], cpu: [] }); }
  const per = quick ? 100 : 200;
  for (const x of cs) for (let i = 0; i < per; i++) await x.c.callTool('typed', { n: i });
  for (let r = 0; r < P.typedRounds; r++) {
    for (const x of rotate(cs, r)) {
      const u0 = process.cpuUsage();
      for (let i = 0; i < per; i++) {
        const t0 = process.hrtime.bigint();
        const res = await x.c.callTool('typed', { n: i });
        x.lat.push(Number(process.hrtime.bigint() - t0) / 1000);
        if (res.structuredContent?.status !== 200) throw new Error(`${x.v.label}: no structuredContent`);
      }
      const u = process.cpuUsage(u0);
      x.cpu.push((u.user + u.system) / per);
    }
  }
  for (const x of cs) await x.c.close();
  const raw = cs[0], sdk = cs[3];
  table(`callTool on a tool with an outputSchema (5 items of structuredContent), JSON answers, ${per * P.typedRounds} calls each`,
    ['client', 'p50 µs', 'p99 µs', 'CPU µs/call median (min–max)', 'CPU vs raw', 'CPU vs sdk v1 ajv'],
    cs.map((x) => [x.v.label, f(q(x.lat, 0.5)), f(q(x.lat, 0.99)), mmr(x.cpu), ratio(med(x.cpu), med(raw.cpu)), ratio(med(x.cpu), med(sdk.cpu))]));
}

// ---- child-process cases ----
function child(args, node = [], transport = undefined) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const env = transport ? { ...process.env, MCPW_BENCH_TRANSPORT: transport } : process.env;
    const p = spawn(process.execPath, [...node, H('child.mjs'), ...args], { stdio: ['ignore', 'pipe', 'inherit'], env });
    let out = '';
    p.stdout.on('data', (d) => (out += d));
    const timer = setTimeout(() => p.kill(), 180000);
    p.on('exit', (code) => {
      clearTimeout(timer);
      if (code !== 0) return reject(new Error(`child ${args.join(' ')} exited ${code}`));
      resolve({ ...JSON.parse(out.trim().split('\n').at(-1)), wall: performance.now() - t0 });
    });
  });
}

async function coldCase() {
  const url = servers.json.base + '/0';
  const rs = MAIN.map((v) => ({ v, runs: [] }));
  for (let r = 0; r < P.coldRounds; r++) for (const x of rotate(rs, r)) x.runs.push(await child(['cold', x.v.adapter, x.v.validator ?? '-', url], [], x.v.transport));
  const col = (x, k) => x.runs.map((s) => s[k]);
  const raw = rs[0], sdk = rs[2];
  table(`cold start in a fresh node process (ms since process start; ${P.coldRounds} alternating rounds; JSON answers)`,
    ['client', 'node boot', 'import', 'instantiate', 'connected', 'first tool result', 'vs raw fetch', 'vs sdk v1', 'first result − boot', 'spawn→exit wall'],
    rs.map((x) => [x.v.label, f(med(col(x, 'boot')), 1), f(med(col(x, 'import')), 1), f(med(col(x, 'instantiate')), 1), f(med(col(x, 'connect')), 1),
      mmr(col(x, 'first'), 1), ratio(med(col(x, 'first')), med(col(raw, 'first'))), ratio(med(col(x, 'first')), med(col(sdk, 'first'))),
      f(med(x.runs.map((s) => s.first - s.boot)), 1), f(med(col(x, 'wall')))]));
}

async function soakCase() {
  const url = servers.json.base + '/0';
  const rows = [];
  for (const v of MAIN) {
    const s = await child(['soak', v.adapter, v.validator ?? '-', url, String(P.soak)], ['--expose-gc'], v.transport);
    rows.push([v.label, f(mb(s.at1000.heap), 2), f(mb(s.atEnd.heap), 2), f(mb(s.atEnd.heap - s.at1000.heap), 2),
      f(mb(s.at1000.rss), 1), f(mb(s.atEnd.rss), 1), f(mb(s.atEnd.rss - s.at1000.rss), 1)]);
  }
  table(`memory after ${P.soak} tools/call vs after 1,000 (fresh process per client, after gc; JSON answers)`,
    ['client', 'heap MB @1,000', `heap MB @${P.soak}`, 'heap Δ MB', 'RSS MB @1,000', `RSS MB @${P.soak}`, 'RSS Δ MB'], rows);
}

try {
  if (want('call')) { await callCase('json'); await callCase('sse'); }
  if (want('list')) for (const n of [10, 100, 1000]) await listCase(n);
  if (want('leak')) await leakCase();
  if (want('typed')) await typedCase();
  if (want('cold')) await coldCase();
  if (want('soak')) await soakCase();
} finally {
  for (const s of Object.values(servers)) s.child.kill();
}
console.log(`\n(total ${((Date.now() - started) / 1000).toFixed(0)} s; load average ${(await import('node:os')).loadavg().map((x) => x.toFixed(1)).join(' ')})`);
