// The issue-9 figures re-measured inside workerd (miniflare from web/'s
// dependencies): mcp-wasm next to the official SDK clients (v1 and v2) and
// raw fetch, each bundled by esbuild for workerd on its own, against the
// harness's loopback SDK server (bench/node/harness/server.mjs, JSON and SSE
// answers, its own process). In workerd no JSON Schema validator may compile
// code, so the SDK clients use their @cfworker validators (v1: 'cfworker';
// v2: its default, which picks @cfworker there); mcp-wasm validates
// 'strict' as everywhere.
//   node bench/workerd/run.mjs [--quick] [--pin] [--only json,sse,memory,memlist,list,cold] [--base <web dir>]
//     [--rounds R] [--calls N]
// --base: another build of the package (a copy of web/ with src/ and dist/)
// measured as one more client, "mcp-wasm (base)", in the same rounds: an
// A/B of two builds side by side.
// Cases: tools/call sequential and 16 concurrent (wall time per call: the
// worker's clock advances only at I/O, so a total over many calls is timed);
// `memory`: tools/call against an in-memory server inside the worker (no
// sockets: workerd's CPU per call is the client's own work plus the runtime's
// Response handling, which raw fetch pays too); `memlist`: tools/list of
// 1,000 tools from the same in-memory server (workerd's CPU per list);
// tools/list (both: the same list each time, and a changed one each time) of 1,000 REST-like tools with outputSchemas; cold start (a fresh
// workerd per sample: time from its first request to the first tool result,
// measured by the runner). Rounds alternate between clients; medians (min–max).
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const fromWeb = createRequire(path.join(here, '../../web/package.json'));
const { build } = await import(pathToFileURL(fromWeb.resolve('esbuild')).href);
const { Miniflare } = await import(pathToFileURL(fromWeb.resolve('miniflare')).href);
const { wasmAsModule } = await import('../../web/worker/build.mjs');

const quick = process.argv.includes('--quick');
const argValue = (name) => { const i = process.argv.indexOf(name); return i > 0 ? process.argv[i + 1] : undefined; };
const only = new Set((argValue('--only') ?? 'json,sse,memory,memlist,list,cold').split(','));
const baseWeb = argValue('--base');
const P = quick ? { rounds: 3, n: 300, warm: 50, conc: 320, lists: 2, memLists: 5, cold: 2 }
  : { rounds: 7, n: 1000, warm: 200, conc: 1600, lists: 3, memLists: 10, cold: 5 };
// --rounds R, --calls N: more alternating rounds, more calls per round (the
// in-memory cases' CPU per call settles with a few thousand calls per job).
if (argValue('--rounds')) P.rounds = Number(argValue('--rounds'));
if (argValue('--calls')) P.n = Number(argValue('--calls'));

const CLIENTS = [
  { label: 'raw fetch', adapter: '../node/harness/clients/raw-fetch.mjs', validator: undefined },
  { label: 'mcp-wasm', adapter: './mcp-wasm.mjs', validator: 'strict' },
  { label: 'sdk v1', adapter: '../node/harness/clients/sdk-v1.mjs', validator: 'cfworker' },
  { label: 'sdk v2', adapter: '../node/harness/clients/sdk-v2.mjs', validator: 'default' },
];

const out = mkdtempSync(path.join(tmpdir(), 'mcpw-workerd-bench-'));
process.on('exit', () => rmSync(out, { recursive: true, force: true }));
if (baseWeb) {
  // The same adapter over the other build's workerd entry.
  const entry = pathToFileURL(path.resolve(baseWeb, 'src/entry-workerd.mjs')).href;
  const adapter = path.join(out, 'mcp-wasm-base.mjs');
  writeFileSync(adapter, readFileSync(path.join(here, 'mcp-wasm.mjs'), 'utf8').replace('../../web/src/entry-workerd.mjs', fileURLToPath(entry)));
  CLIENTS.splice(2, 0, { label: 'mcp-wasm (base)', adapter, validator: 'strict' });
}

// One bundle per client: worker.mjs with only that adapter.
async function bundle(c, i) {
  const dir = path.join(out, String(i));
  mkdirSync(dir, { recursive: true });
  const r = await build({
    stdin: {
      contents: `import { makeWorker } from './worker.mjs';\nimport { createClient } from ${JSON.stringify(c.adapter)};\nexport default makeWorker(createClient);\n`,
      resolveDir: here, sourcefile: `entry-${i}.mjs`, loader: 'js',
    },
    outfile: path.join(dir, 'worker.mjs'), bundle: true, format: 'esm', platform: 'neutral',
    conditions: ['workerd', 'worker', 'browser'], mainFields: ['browser', 'module', 'main'],
    plugins: [wasmAsModule(dir)], metafile: true, logLevel: 'error',
  }).catch((e) => { throw new Error(`bundling ${c.label}: ${e.message}`); });
  const wasm = [...new Set(Object.values(r.metafile.outputs).flatMap((o) => o.imports)
    .filter((x) => x.external && x.path.endsWith('.wasm')).map((x) => x.path.replace(/^\.\//, '')))];
  return { name: `w${i}`, modulesRoot: dir, compatibilityDate: '2025-01-01', compatibilityFlags: ['nodejs_compat'],
    modules: [{ type: 'ESModule', path: path.join(dir, 'worker.mjs') }, ...wasm.map((w) => ({ type: 'CompiledWasm', path: path.join(dir, w) }))] };
}
const workers = [];
for (const [i, c] of CLIENTS.entries()) workers.push(await bundle(c, i));

async function startServer(mode) {
  const child = spawn(process.execPath, [path.join(here, '../node/harness/server.mjs'), '--mode', mode], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [line] = await once(createInterface({ input: child.stdout }), 'line');
  return { base: line.trim(), child };
}
const servers = { json: await startServer('json'), sse: await startServer('sse') };
process.on('exit', () => { for (const s of Object.values(servers)) s.child.kill(); });

// CPU time (ns) of a process: the sum over its threads of
// /proc/<pid>/task/<tid>/schedstat's first field (time on a CPU). workerd's
// threads live as long as it does, so a difference over a job is that job's.
function processCpuNs(pid) {
  let ns = 0;
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try { ns += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]); } catch { /* thread ended */ }
  }
  return ns;
}
// The workerd that Miniflare started: a child of this process.
function workerdPid() {
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === process.pid && readFileSync(`/proc/${d}/comm`, 'utf8').trim() === 'workerd') return Number(d);
    } catch { /* gone */ }
  }
  return null;
}

// Every client's worker in one workerd for the warm cases.
const mf = new Miniflare({ host: '127.0.0.1', port: 0, workers });
await mf.ready;
const wpid = workerdPid();
// --pin: workerd on CPU 1, the harness servers on CPU 0 (this machine has
// 2): each no longer takes the other's core, which made the CPU figures
// swing by 2x between runs.
if (process.argv.includes('--pin') && wpid) {
  execFileSync('taskset', ['-a', '-cp', '1', String(wpid)], { stdio: 'ignore' });
  for (const s of Object.values(servers)) execFileSync('taskset', ['-a', '-cp', '0', String(s.child.pid)], { stdio: 'ignore' });
}
// One job; `cpuMs`: workerd's CPU over all of it (connect, warm-up, the timed
// part, close), all threads: V8's compiler and GC threads included.
async function job(i, what, body) {
  const w = await mf.getWorker(workers[i].name);
  const cpu0 = wpid ? processCpuNs(wpid) : 0;
  const res = await w.fetch(`http://bench/${what}`, { method: 'POST', body: JSON.stringify(body) });
  const r = await res.json();
  if (r.error) throw new Error(`${CLIENTS[i].label} ${what}: ${r.error}`);
  r.cpuMs = wpid ? (processCpuNs(wpid) - cpu0) / 1e6 : NaN;
  return r;
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[s.length >> 1]; };
const span = (xs) => `${fmt(median(xs))} (${fmt(Math.min(...xs))}–${fmt(Math.max(...xs))})`;
const fmt = (x) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
const rotate = (xs, r) => xs.map((_, k) => xs[(k + r) % xs.length]);
const idx = CLIENTS.map((_, i) => i);
const V1 = CLIENTS.findIndex((c) => c.label === 'sdk v1');

console.log(`# workerd (miniflare ${fromWeb('miniflare/package.json').version}): mcp-wasm vs official SDK clients vs raw fetch — ${new Date().toISOString()}${quick ? ' (--quick)' : ''}`);
console.log('wall time inside the worker, and workerd\'s CPU time per job (all its threads, from /proc; connect, warm-up and close included, divided by the calls or lists made); SDK clients with their @cfworker validators (no code generation in workerd); mcp-wasm validation strict');

for (const mode of ['json', 'sse'].filter((m) => only.has(m))) {
  const url = servers[mode].base + '/0';
  const seq = idx.map(() => []), conc = idx.map(() => []), cpu = idx.map(() => []);
  for (let r = 0; r < P.rounds; r++) {
    for (const i of rotate(idx, r)) {
      const a = await job(i, 'calls', { url, validator: CLIENTS[i].validator, warm: P.warm, n: P.n });
      seq[i].push((a.ms * 1000) / a.n);
      cpu[i].push((a.cpuMs * 1000) / (P.warm + a.n));
      const b = await job(i, 'calls', { url, validator: CLIENTS[i].validator, warm: 16, n: P.conc, concurrency: 16 });
      conc[i].push(b.n / (b.ms / 1000));
    }
  }
  console.log(`\n## tools/call, ${mode.toUpperCase()} answers: ${P.n} sequential calls per round after ${P.warm} warm-up, then ${P.conc} as 16 concurrent; ${P.rounds} alternating rounds`);
  console.log('| client | µs per call, median (min–max) | vs raw fetch | overhead over raw µs | overhead vs sdk v1 | workerd CPU µs per call | CPU overhead over raw µs | CPU overhead vs sdk v1 | 16 concurrent calls/s |');
  console.log('|---|---|---|---|---|---|---|---|---|');
  // The ratio of overheads needs sdk v1 above the floor (wall time is noisy).
  const raw = median(seq[0]), v1 = median(seq[V1]) - raw;
  const rawCpu = median(cpu[0]), v1Cpu = median(cpu[V1]) - rawCpu;
  for (const i of idx) {
    const m = median(seq[i]), c = median(cpu[i]);
    console.log(`| ${CLIENTS[i].label} | ${span(seq[i])} | ${(m / raw).toFixed(2)}× | ${fmt(m - raw)} | ${i === 0 || v1 <= 0 ? '–' : ((m - raw) / v1).toFixed(2) + '×'} ` +
      `| ${span(cpu[i])} | ${fmt(c - rawCpu)} | ${i === 0 || v1Cpu <= 0 ? '–' : ((c - rawCpu) / v1Cpu).toFixed(2) + '×'} | ${span(conc[i])} |`);
  }
}

if (only.has('memory')) {
  for (const mode of ['json', 'sse']) {
    const cpu = idx.map(() => []);
    for (let r = 0; r < P.rounds; r++) {
      for (const i of rotate(idx, r)) {
        const a = await job(i, 'calls', { memory: mode, validator: CLIENTS[i].validator, warm: P.warm, n: P.n });
        cpu[i].push((a.cpuMs * 1000) / (P.warm + a.n));
      }
    }
    console.log(`\n## tools/call against an in-memory server in the worker, ${mode.toUpperCase()} answers: ${P.n} calls per round after ${P.warm} warm-up; ${P.rounds} alternating rounds`);
    console.log('| client | workerd CPU µs per call, median (min–max) | overhead over raw µs | overhead vs sdk v1 |');
    console.log('|---|---|---|---|');
    const rawCpu = median(cpu[0]), v1Cpu = median(cpu[V1]) - rawCpu;
    for (const i of idx) {
      const c = median(cpu[i]);
      console.log(`| ${CLIENTS[i].label} | ${span(cpu[i])} | ${i === 0 ? '–' : fmt(c - rawCpu)} | ${i === 0 || v1Cpu <= 0 ? '–' : ((c - rawCpu) / v1Cpu).toFixed(2) + '×'} |`);
    }
  }
}

// tools/list of 1,000: the same list each time (what a host that lists
// before every turn sees), and a list that changed since the last one.
const LIST_KINDS = [['the same list each time', false], ['a changed list each time', true]];

if (only.has('memlist')) {
  // Against the in-memory server: no sockets, no server process competing
  // for the 2 cores; workerd's CPU per list.
  for (const [kind, changing] of LIST_KINDS) {
    const cpu = idx.map(() => []);
    for (let r = 0; r < P.rounds; r++) {
      for (const i of rotate(idx, r)) {
        const j = await job(i, 'list', { memory: true, changing, validator: CLIENTS[i].validator, rounds: P.memLists });
        cpu[i].push(j.cpuMs / (P.memLists + 1));  // the job lists once more to warm up
      }
    }
    console.log(`\n## tools/list of 1,000 REST-like tools against an in-memory server in the worker, ${kind}: ${P.memLists} lists per round after 1 warm-up; ${P.rounds} alternating rounds`);
    console.log('| client | workerd CPU ms per list, median (min–max) | CPU vs raw fetch |');
    console.log('|---|---|---|');
    for (const i of idx) console.log(`| ${CLIENTS[i].label} | ${span(cpu[i])} | ${(median(cpu[i]) / median(cpu[0])).toFixed(2)}× |`);
  }
}

if (only.has('list')) {
  const url = servers.json.base + '/1000';
  for (const [kind, changing] of LIST_KINDS) {
    const ms = idx.map(() => []), cpu = idx.map(() => []);
    for (let r = 0; r < Math.max(2, P.rounds >> 1); r++) {
      for (const i of rotate(idx, r)) {
        const j = await job(i, 'list', { url, changing, validator: CLIENTS[i].validator, rounds: P.lists });
        ms[i].push(...j.ms);
        cpu[i].push(j.cpuMs / (P.lists + 1));  // the job lists once more to warm up
      }
    }
    console.log(`\n## tools/list of 1,000 REST-like tools with outputSchemas (JSON answers), ${kind}, ms per list`);
    console.log('| client | ms, median (min–max) | vs raw fetch | workerd CPU ms per list | CPU vs raw fetch |');
    console.log('|---|---|---|---|---|');
    for (const i of idx) {
      console.log(`| ${CLIENTS[i].label} | ${span(ms[i])} | ${(median(ms[i]) / median(ms[0])).toFixed(2)}× | ${span(cpu[i])} | ${(median(cpu[i]) / median(cpu[0])).toFixed(2)}× |`);
    }
  }
}
await mf.dispose();

if (only.has('cold')) {
  // A fresh workerd per sample with only that client's worker: the first
  // request's time (isolate start, module instantiation, connect, one call).
  const url = servers.json.base + '/0';
  const ms = idx.map(() => []);
  for (let r = 0; r < P.cold; r++) {
    for (const i of rotate(idx, r)) {
      const one = new Miniflare({ host: '127.0.0.1', port: 0, workers: [workers[i]] });
      await one.ready;
      const w = await one.getWorker(workers[i].name);
      const t0 = performance.now();
      const res = await w.fetch('http://bench/cold', { method: 'POST', body: JSON.stringify({ url, validator: CLIENTS[i].validator }) });
      const body = await res.json();
      ms[i].push(performance.now() - t0);
      await one.dispose();
      if (!body.ok) throw new Error(`${CLIENTS[i].label} cold: ${JSON.stringify(body)}`);
    }
  }
  console.log(`\n## cold start in workerd: a fresh workerd per sample, its first request (instantiate, connect, first tool result), ms`);
  console.log('| client | ms, median (min–max) | vs raw fetch | vs sdk v1 |');
  console.log('|---|---|---|---|');
  for (const i of idx) console.log(`| ${CLIENTS[i].label} | ${span(ms[i])} | ${(median(ms[i]) / median(ms[0])).toFixed(2)}× | ${(median(ms[i]) / median(ms[V1])).toFixed(2)}× |`);
}
process.exit(0);
