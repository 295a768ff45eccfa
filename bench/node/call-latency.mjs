// tools/call latency over loopback, side by side in one run: mcp-wasm, the
// official TypeScript SDK client, and raw fetch doing the same HTTP exchange
// with no client logic (the floor). The server (the SDK's McpServer) runs in
// its own process. Rounds alternate between clients; prints median and p99
// per client and ratios to raw fetch.
//   node bench/node/call-latency.mjs [--mode json|sse] [--calls 2000] [--rounds 10]
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Client } from '../../web/src/entry-node.mjs';

// The anchors are web/'s dev dependencies: resolve them from there.
const fromWeb = createRequire(new URL('../../web/package.json', import.meta.url));
const load = (spec) => import(pathToFileURL(fromWeb.resolve(spec)).href);
const { Client: SdkClient } = await load('@modelcontextprotocol/sdk/client/index.js');
const { StreamableHTTPClientTransport } = await load('@modelcontextprotocol/sdk/client/streamableHttp.js');

const arg = (name, dflt) => {
  const i = process.argv.indexOf('--' + name);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const mode = arg('mode', 'json');
const calls = Number(arg('calls', 2000));
const rounds = Number(arg('rounds', 10));
const warmup = Number(arg('warmup', 500));

const serverPath = fileURLToPath(new URL('../../web/test/servers/sdk-server.mjs', import.meta.url));
const server = spawn(process.execPath, [serverPath, '--mode', mode, '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
const [line] = await once(createInterface({ input: server.stdout }), 'line');
const url = line.match(/https?:\/\/\S+/)[0];

const args = { name: 'echo', arguments: { text: 'hello' } };

async function rawClient() {
  const base = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
  const post = (body, headers = {}) => fetch(url, { method: 'POST', headers: { ...base, ...headers }, body: JSON.stringify(body) });
  const init = await post({ jsonrpc: '2.0', id: 0, method: 'initialize',
    params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '0' } } });
  const sid = init.headers.get('mcp-session-id');
  await init.text();
  const h = { 'mcp-session-id': sid, 'mcp-protocol-version': '2025-11-25' };
  await (await post({ jsonrpc: '2.0', method: 'notifications/initialized' }, h)).text();
  let id = 1;
  return {
    call: async () => {
      const res = await post({ jsonrpc: '2.0', id: id++, method: 'tools/call', params: args }, h);
      const text = await res.text();
      // The floor still has to find the answer: JSON body, or the SSE event's data.
      return JSON.parse(mode === 'sse' ? text.slice(text.lastIndexOf('data: ') + 6) : text);
    },
    close: () => fetch(url, { method: 'DELETE', headers: h }).then((r) => r.text()),
  };
}

async function wasmClient() {
  const c = await Client.connect(url);
  return { call: () => c.callTool(args.name, args.arguments), close: () => c.close() };
}

async function sdkClient() {
  const c = new SdkClient({ name: 'bench', version: '0' });
  await c.connect(new StreamableHTTPClientTransport(new URL(url)));
  return { call: () => c.callTool(args), close: () => c.close() };
}

const clients = { 'raw fetch': await rawClient(), 'mcp-wasm': await wasmClient(), 'sdk v1': await sdkClient() };
const samples = Object.fromEntries(Object.keys(clients).map((k) => [k, []]));
for (const c of Object.values(clients)) for (let i = 0; i < warmup; i++) await c.call();
const perRound = Math.ceil(calls / rounds);
for (let r = 0; r < rounds; r++) {
  for (const [name, c] of Object.entries(clients)) {
    for (let i = 0; i < perRound; i++) {
      const t0 = process.hrtime.bigint();
      await c.call();
      samples[name].push(Number(process.hrtime.bigint() - t0) / 1000);
    }
  }
}
for (const c of Object.values(clients)) await c.close();
server.kill();

const q = (xs, p) => xs[Math.min(xs.length - 1, Math.floor(p * xs.length))];
const floor = [...samples['raw fetch']].sort((a, b) => a - b);
console.log(`tools/call over loopback, ${mode} answers, ${perRound * rounds} calls per client after ${warmup} warm-up, ${rounds} alternating rounds`);
console.log('client       median µs    p99 µs   min µs   median vs raw fetch');
for (const [name, xs] of Object.entries(samples)) {
  xs.sort((a, b) => a - b);
  const med = q(xs, 0.5);
  const ratio = med / q(floor, 0.5);
  console.log(`${name.padEnd(11)} ${med.toFixed(0).padStart(9)} ${q(xs, 0.99).toFixed(0).padStart(9)} ${xs[0].toFixed(0).padStart(8)}   ${ratio.toFixed(2)}x (${(med - q(floor, 0.5) >= 0 ? '+' : '')}${(med - q(floor, 0.5)).toFixed(0)} µs)`);
}
