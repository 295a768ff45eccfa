// JSON Schema validation, side by side in one run: mcp-wasm (the Wasm module
// through compileSchema), ajv (compiled to JS, + ajv-formats),
// @cfworker/json-schema (an interpreter: what runs where eval is forbidden)
// and @exodus/schemasafe (compiled to JS), over the MCP-shaped cases of
// ../shared/bench-corpus/validation-corpus.json. Measured from JSON text to
// verdict (JSON.parse counted for the JS validators, text handed to Wasm for
// mcp-wasm), valid and invalid instances, and compile time. Every verdict is
// checked against the corpus first: a validator that gets one wrong is
// reported as such, not timed. Rounds alternate between validators; medians.
// Time is this process's CPU time by default, every thread (the machine is
// shared: wall time counts other processes' turns); --clock thread for the
// main thread's alone (where every validator runs: V8's background
// compilers left out), --clock wall for elapsed time. Runs with a
// single-threaded GC (below).
//   node bench/node/schema-validate.mjs [--rounds 9] [--ms 15] [--only <case>] [--clock cpu|thread|wall]
//                                       [--json out.json] [--package <dir of another build of web/>] [--validators ajv,...]
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

// The garbage collector on the main thread only: with its helper threads,
// this process's CPU time charged their concurrent marking and sweeping to
// whichever validator was being timed, often the one after a validator that
// makes garbage; on the main thread, collections run inside the allocations
// that trigger them. Re-run under the flag when started without it.
const GC_FLAGS = ['--single-threaded-gc'];
if (!GC_FLAGS.every((f) => process.execArgv.includes(f))) {
  const r = spawnSync(process.execPath, [...GC_FLAGS, ...process.execArgv, fileURLToPath(import.meta.url), ...process.argv.slice(2)],
    { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}

// The anchors are bench/'s dependencies (bench/package.json, scripts/setup).
const fromBench = createRequire(new URL('../package.json', import.meta.url));
const load = async (spec) => import(pathToFileURL(fromBench.resolve(spec)).href);
const { default: Ajv } = await load('ajv');
const { default: Ajv2020 } = await load('ajv/dist/2020.js');
const { default: addFormats } = await load('ajv-formats');
const { Validator: CfValidator } = await load('@cfworker/json-schema');
const { validator: schemasafe } = await load('@exodus/schemasafe');

const arg = (name, dflt) => {
  const i = process.argv.indexOf('--' + name);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const rounds = Number(arg('rounds', 9));
const roundMs = Number(arg('ms', 15));
const only = arg('only', null);
const jsonOut = arg('json', null);
const clock = arg('clock', 'cpu');
const pkg = arg('package', null);
const { compileSchema } = await import(pkg ? pathToFileURL(path.resolve(pkg, 'src/entry-node.mjs')).href
  : '../../web/src/entry-node.mjs');

const corpusUrl = new URL('../../../shared/bench-corpus/validation-corpus.json', import.meta.url);
const corpus = JSON.parse(readFileSync(corpusUrl, 'utf8')).filter((c) => !only || c.name === only);

// Each validator: compile(schema, draft) -> {check(text) -> boolean, run(texts), dispose?}.
// run() is the timed loop, written out in each validator's own entry: one
// loop shared by all made its call site megamorphic, which charged every
// validator a dispatch per instance (most visible on the fastest).
const VALIDATORS = {
  'mcp-wasm': {
    async compile(schema) {
      const s = await compileSchema(schema, { formats: 'assert', output: 'flag' });
      return {
        check: (text) => s.validate(text).valid, dispose: () => s.dispose(),
        run: (texts) => { let k = 0; for (const t of texts) k += s.validate(t).valid; return k; },
      };
    },
  },
  ajv: {
    compile(schema, draft) {
      const ajv = new (draft === '7' ? Ajv : Ajv2020)({ strict: false, allErrors: false });
      addFormats(ajv);
      const v = ajv.compile(schema);
      return { check: (text) => v(JSON.parse(text)), run: (texts) => { let k = 0; for (const t of texts) k += v(JSON.parse(t)); return k; } };
    },
  },
  '@cfworker': {
    compile(schema, draft) {
      const v = new CfValidator(schema, draft === '7' ? '7' : '2020-12', true);
      return {
        check: (text) => v.validate(JSON.parse(text)).valid,
        run: (texts) => { let k = 0; for (const t of texts) k += v.validate(JSON.parse(t)).valid; return k; },
      };
    },
  },
  schemasafe: {
    compile(schema) {
      // "byte" (OpenAPI base64, in the MCP result schemas): ajv-formats' definition.
      const v = schemasafe(schema, { mode: 'lax', formatAssertion: true, includeErrors: false,
        formats: { byte: /^(?:[a-z0-9+/]{4})*(?:[a-z0-9+/]{2}==|[a-z0-9+/]{3}=)?$/i } });
      return { check: (text) => v(JSON.parse(text)), run: (texts) => { let k = 0; for (const t of texts) k += v(JSON.parse(t)); return k; } };
    },
  },
};
const NAMES = Object.keys(VALIDATORS).filter((n) => n === 'mcp-wasm' || !arg('validators', null) || arg('validators').split(',').includes(n));

// Nanoseconds, as a Number: CPU time of the whole process (user + system),
// of the main thread (Linux: /proc/self/task/<pid>/schedstat, time on a CPU
// in ns; elsewhere the process's), or wall time.
const mainThreadStat = `/proc/self/task/${process.pid}/schedstat`;
const processCpu = () => { const u = process.cpuUsage(); return (u.user + u.system) * 1e3; };
const threadCpu = (() => {
  try { readFileSync(mainThreadStat, 'utf8'); } catch { return null; }
  return () => Number(readFileSync(mainThreadStat, 'utf8').split(' ')[0]);
})();
const now = clock === 'wall' ? () => Number(process.hrtime.bigint())
  : clock === 'thread' && threadCpu ? threadCpu : processCpu;

// ns per call of f, run for about roundMs (after a warm-up of the same length).
function timeOne(f) {
  let n = 1;
  for (;;) {
    const t0 = now();
    for (let i = 0; i < n; i++) f();
    const ns = now() - t0;
    if (ns >= roundMs * 1e6) return ns / n;
    n = ns < 1e5 ? n * 10 : Math.ceil(n * (roundMs * 1e6 * 1.1) / ns);
  }
}
async function timeOneAsync(f) {
  let n = 1;
  for (;;) {
    const t0 = now();
    for (let i = 0; i < n; i++) await f();
    const ns = now() - t0;
    if (ns >= roundMs * 1e6) return ns / n;
    n = ns < 1e5 ? n * 10 : Math.ceil(n * (roundMs * 1e6 * 1.1) / ns);
  }
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[s.length >> 1]; };

const results = [];  // {case, validator, compile_us, valid_us, invalid_us, wrong}
for (const c of corpus) {
  const texts = { valid: c.valid.map((v) => JSON.stringify(v)), invalid: c.invalid.map((v) => JSON.stringify(v)) };
  const compiled = {}, status = {};
  for (const name of NAMES) {
    try {
      compiled[name] = await VALIDATORS[name].compile(c.schema, c.draft);
      const wrong = [];
      for (const set of ['valid', 'invalid']) {
        texts[set].forEach((t, i) => {
          let got;
          try { got = compiled[name].check(t); } catch (e) { got = `threw ${e.message}`; }
          if (got !== (set === 'valid')) wrong.push(`${set}[${i}]: ${got}`);
        });
      }
      status[name] = wrong.length ? `wrong verdict ${wrong.join(', ')}` : null;
    } catch (e) {
      status[name] = `compile failed: ${String(e.message).slice(0, 80)}`;
    }
  }
  const samples = Object.fromEntries(NAMES.map((n) => [n, { compile: [], valid: [], invalid: [] }]));
  // Set-major inside a round, so each anchor is timed right next to
  // mcp-wasm on the same texts (the machine's speed drifts over seconds).
  for (let r = 0; r < rounds + 1; r++) {  // round 0 warms up
    for (const set of ['valid', 'invalid']) {
      const ts = texts[set];
      for (const name of NAMES) {
        if (status[name]) continue;
        const v = compiled[name];
        const ns = timeOne(() => v.run(ts)) / ts.length;
        if (r > 0) samples[name][set].push(ns);
      }
    }
  }
  // Compile time in rounds of its own, after the throughput rounds: a
  // compile leaves garbage (ajv's: megabytes per schema) that V8 collects
  // on background threads, and the process clock charged that collection
  // to whatever was timed next (the first validator's valid set).
  for (let r = 0; r < rounds + 1; r++) {
    for (const name of NAMES) {
      if (status[name]) continue;
      const ns = await timeOneAsync(async () => { const x = await VALIDATORS[name].compile(c.schema, c.draft); x.dispose?.(); });
      if (r > 0) samples[name].compile.push(ns);
    }
  }
  for (const name of NAMES) {
    compiled[name]?.dispose?.();
    const s = samples[name];
    results.push({
      case: c.name, validator: name, wrong: status[name],
      compile_us: status[name] ? null : median(s.compile) / 1e3,
      valid_us: status[name] ? null : median(s.valid) / 1e3,
      invalid_us: status[name] ? null : median(s.invalid) / 1e3,
      bytes: texts.valid.reduce((a, t) => a + t.length, 0) / texts.valid.length,
      rounds: status[name] ? null : s,
    });
  }
  printCase(c.name);
}

function fmt(x) { return x === null ? '-' : x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2); }
// Paired: the median over rounds of anchor / mcp-wasm within each round (the
// two were timed next to each other), not a ratio of two medians taken
// across rounds the machine ran at different speeds.
function ratio(anchor, ours, what) {
  if (!anchor.rounds || !ours.rounds) return '-';
  const x = median(anchor.rounds[what].map((a, i) => a / ours.rounds[what][i]));
  return x.toFixed(x >= 10 ? 0 : 1) + 'x';
}

function printCase(name) {
  const rows = results.filter((r) => r.case === name);
  const ours = rows.find((r) => r.validator === 'mcp-wasm');
  console.log(`\n${name} (valid instance ~${Math.round(ours.bytes)} B)`);
  console.log('  validator     valid us/inst  invalid us/inst  compile us   mcp-wasm faster by (valid / invalid / compile)');
  for (const r of rows) {
    const line = `  ${r.validator.padEnd(12)} ${fmt(r.valid_us).padStart(14)} ${fmt(r.invalid_us).padStart(16)} ${fmt(r.compile_us).padStart(11)}`;
    if (r.wrong) { console.log(`${line}   ${r.wrong}`); continue; }
    const rel = r.validator === 'mcp-wasm' ? '' :
      `   ${ratio(r, ours, 'valid')} / ${ratio(r, ours, 'invalid')} / ${ratio(r, ours, 'compile')}`;
    console.log(line + rel);
  }
}

// Summary: throughput ratios (anchor time / mcp-wasm time: > 1 means mcp-wasm is faster).
console.log('\nsummary: mcp-wasm throughput vs each anchor (valid / invalid), goal >= 10x @cfworker and >= 1x ajv');
console.log('  case                    ' + NAMES.slice(1).map((n) => n.padEnd(20)).join(''));
for (const c of corpus) {
  const ours = results.find((r) => r.case === c.name && r.validator === 'mcp-wasm');
  const cells = NAMES.slice(1).map((n) => {
    const r = results.find((x) => x.case === c.name && x.validator === n);
    return (r.wrong ? 'wrong verdict' : `${ratio(r, ours, 'valid')} / ${ratio(r, ours, 'invalid')}`).padEnd(20);
  });
  console.log(`  ${c.name.padEnd(24)}${cells.join('')}${ours.wrong ? '  mcp-wasm: ' + ours.wrong : ''}`);
}
console.log(`(${clock === 'wall' ? 'wall' : clock === 'thread' && threadCpu ? 'main-thread CPU' : 'process CPU'} time, median of ${rounds} rounds of ~${roundMs} ms; ratios: median of per-round ratios; Node ${process.version})`);
if (jsonOut) writeFileSync(jsonOut, JSON.stringify({ node: process.version, rounds, roundMs, results }, null, 2));
