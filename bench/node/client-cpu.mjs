// The clients' own CPU per tools/call, with the network taken out: every
// client is handed the same in-memory fetch (an MCP server in this process
// answering with real Response objects, as fetch does), so what differs
// between the clients is their own work: building the request, reading the
// answer, the protocol, validation. Raw fetch (the same exchange, no client
// logic) is the floor. No sockets, no server process: this is the figure
// the loopback benches (run.mjs, workerd/run.mjs) blur with the machine's
// noise, and the one a worker pays on top of its runtime's fetch.
//   node bench/node/client-cpu.mjs [--calls 2000] [--rounds 9] [--base DIR]
// --base DIR: another build of web/ (src/ + dist/) as one more client.
// Cases: `echo` (a tiny text result) with JSON and with SSE answers, and
// `typed` (structuredContent checked against the tool's outputSchema: mcp-wasm
// strict, the SDKs with their default validators). Rounds alternate between
// clients; process CPU time per call, medians (min-max), overhead over raw
// fetch and its ratio to SDK v1's.
import { pathToFileURL } from 'node:url';
import path from 'node:path';
import { memoryServer } from './harness/memory-server.mjs';
import { adapter } from './harness/clients/mcp-wasm.mjs';
import * as raw from './harness/clients/raw-fetch.mjs';
import * as sdkV1 from './harness/clients/sdk-v1.mjs';
import * as sdkV2 from './harness/clients/sdk-v2.mjs';

const arg = (name, dflt) => {
  const i = process.argv.indexOf('--' + name);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const calls = Number(arg('calls', 2000));
const rounds = Number(arg('rounds', 9));
const warmup = Number(arg('warmup', 500));
const base = arg('base', null);

const wasm = adapter(await import('../../web/src/entry-node.mjs'));
const CLIENTS = [
  { label: 'raw fetch', make: (fetch) => raw.createClient({ url: 'http://memory.test/mcp', fetch }) },
  { label: 'mcp-wasm', make: (fetch) => wasm.createClient({ url: 'http://memory.test/mcp', validator: 'strict', fetch }) },
  { label: 'sdk v1', make: (fetch) => sdkV1.createClient({ url: 'http://memory.test/mcp', fetch }) },
  { label: 'sdk v2', make: (fetch) => sdkV2.createClient({ url: 'http://memory.test/mcp', fetch }) },
];
if (base) {
  const other = adapter(await import(pathToFileURL(path.resolve(base, 'src/entry-node.mjs')).href));
  CLIENTS.splice(2, 0, { label: 'mcp-wasm (base)', make: (fetch) => other.createClient({ url: 'http://memory.test/mcp', validator: 'strict', fetch }) });
}
const V1 = CLIENTS.findIndex((c) => c.label === 'sdk v1');

const cpuUs = () => { const u = process.cpuUsage(); return u.user + u.system; };
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[s.length >> 1]; };
const fmt = (x) => (Math.abs(x) >= 100 ? x.toFixed(0) : x.toFixed(1));

console.log(`# client CPU per tools/call with an in-memory fetch (Node ${process.version}), ${new Date().toISOString()}`);
console.log(`${calls} calls per client per round after ${warmup} warm-up, ${rounds} alternating rounds; process CPU µs per call`);
for (const [title, sse, tool, args] of [['echo, JSON answers', false, 'echo', { text: 'hello' }],
  ['echo, SSE answers', true, 'echo', { text: 'hello' }], ['typed (outputSchema checked), JSON answers', false, 'typed', { n: 3 }]]) {
  const fetch = memoryServer({ sse });
  const clients = [];
  for (const c of CLIENTS) clients.push(await c.make(fetch));
  for (const c of clients) for (let i = 0; i < warmup; i++) await c.callTool(tool, args);
  const per = CLIENTS.map(() => []);
  for (let r = 0; r < rounds; r++) {
    const order = CLIENTS.map((_, i) => i);
    if (r % 2) order.reverse();
    for (const i of order) {
      const t0 = cpuUs();
      for (let k = 0; k < calls; k++) await clients[i].callTool(tool, args);
      per[i].push((cpuUs() - t0) / calls);
    }
  }
  for (const c of clients) await c.close();
  const floor = median(per[0]), v1 = median(per[V1]) - floor;
  console.log(`\n## ${title}\n| client | CPU µs per call, median (min–max) | overhead over raw fetch µs | overhead vs sdk v1 |\n|---|---|---|---|`);
  for (const [i, c] of CLIENTS.entries()) {
    const m = median(per[i]);
    console.log(`| ${c.label} | ${fmt(m)} (${fmt(Math.min(...per[i]))}–${fmt(Math.max(...per[i]))}) | ${i === 0 ? '–' : fmt(m - floor)} | ${i === 0 || v1 <= 0 ? '–' : ((m - floor) / v1).toFixed(2) + '×'} |`);
  }
}
