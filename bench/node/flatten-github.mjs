// Time to flatten whole public documents in Wasm (issue 6 "Must show"): the
// shipped module (web/dist, -Os) through the package's flattenOpenApi, from
// JSON text to JS tool objects. Also the Wasm call alone (text in, tools JSON
// text out: parse + flatten + write, as bench_flatten's BM_AllSteps measures
// natively) and the JSON.parse of its answer. Wall and CPU time, medians.
// Documents: tests/flatten/node_modules (scripts/setup).
//   node bench/node/flatten-github.mjs [--rounds 5] [--json out.json]
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { flattenOpenApi, loadFlattenModule } from '../../web/src/entry-node.mjs';

const arg = (name, dflt) => {
  const i = process.argv.indexOf('--' + name);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const rounds = Number(arg('rounds', 5));
const npm = new URL('../../tests/flatten/node_modules/', import.meta.url);
const DOCS = {
  github: '@octokit/openapi/generated/api.github.com.json',
  'kubernetes-1.13': '.mcpw-specs/kubernetes-swagger-1.13.json',
};

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
function timed(fn) {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const value = fn();
  const wallMs = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { value, wallMs, cpuMs: (c.user + c.system) / 1000 };
}
async function timedAsync(fn) {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const value = await fn();
  const wallMs = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { value, wallMs, cpuMs: (c.user + c.system) / 1000 };
}

const module = await loadFlattenModule();  // the flattener has its own module (bindings/CMakeLists.txt)
const results = {};
for (const [name, rel] of Object.entries(DOCS)) {
  const file = new URL(rel, npm);
  if (!existsSync(file)) {
    console.error(`${name}: absent (${file.pathname}); run scripts/setup`);
    process.exitCode = 1;
    continue;
  }
  const text = readFileSync(file, 'utf8');
  const rows = { call: [], wasm: [], parse: [] };
  let tools = 0, outBytes = 0;
  for (let i = 0; i <= rounds; ++i) {  // round 0 warms up
    const call = await timedAsync(() => flattenOpenApi(text));
    const wasm = timed(() => module.flattenDocument(text, '{}'));
    const parse = timed(() => JSON.parse(wasm.value));
    if (!parse.value.ok) throw new Error(`${name}: ${parse.value.error.message}`);
    tools = call.value.tools.length;
    outBytes = wasm.value.length;
    if (i === 0) continue;
    rows.call.push(call); rows.wasm.push(wasm); rows.parse.push(parse);
  }
  const summary = (rs) => ({ wallMs: median(rs.map((r) => r.wallMs)), cpuMs: median(rs.map((r) => r.cpuMs)) });
  results[name] = {
    inputMB: text.length / 1e6, tools, outputMB: outBytes / 1e6,
    flattenOpenApi: summary(rows.call), wasmCall: summary(rows.wasm), jsonParseOfAnswer: summary(rows.parse),
  };
  const r = results[name];
  const f = (s) => `${s.wallMs.toFixed(0)} ms wall / ${s.cpuMs.toFixed(0)} ms CPU`;
  console.log(`${name}: ${tools} tools from ${r.inputMB.toFixed(1)} MB (answer ${r.outputMB.toFixed(1)} MB), median of ${rounds}`);
  console.log(`  flattenOpenApi(text)     ${f(r.flattenOpenApi)}`);
  console.log(`  Wasm call alone          ${f(r.wasmCall)}`);
  console.log(`  JSON.parse of the answer ${f(r.jsonParseOfAnswer)}`);
}
const out = arg('json');
if (out) writeFileSync(out, JSON.stringify({ node: process.version, rounds, results }, null, 2));
