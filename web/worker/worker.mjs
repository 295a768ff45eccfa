// An edge worker (workerd / Cloudflare Workers) that uses the package's
// `workerd` entry: the .wasm arrives as an imported WebAssembly.Module.
//   GET /  -> {routes, runtime}
//   POST /run {url, headers?, calls: [{name, arguments}]}
//     -> {protocolVersion, serverInfo, tools, results}, or 502 {error}
import { Client, McpError } from 'mcp-wasm';

const json = (value, status = 200) =>
  new Response(JSON.stringify(value), { status, headers: { 'content-type': 'application/json' } });

async function run({ url, headers, calls = [], timeoutMs = 10000 }) {
  const client = await Client.connect(url, { headers, timeoutMs, clientInfo: { name: 'mcp-wasm-worker', version: '0.1.0' } });
  try {
    const tools = await client.listTools();
    const results = [];
    for (const c of calls) results.push(await client.callTool(c.name, c.arguments ?? {}));
    return { protocolVersion: client.protocolVersion, serverInfo: client.serverInfo, tools, results };
  } finally {
    await client.close();
  }
}

export default {
  async fetch(request) {
    const { pathname } = new URL(request.url);
    if (pathname === '/' && request.method === 'GET') return json({ routes: ['POST /run'], runtime: navigator.userAgent });
    if (pathname !== '/run' || request.method !== 'POST') return json({ error: { message: 'POST /run' } }, 404);
    let body;
    try { body = await request.json(); } catch { return json({ error: { message: 'body is not JSON' } }, 400); }
    try {
      return json(await run(body));
    } catch (e) {
      const { name, code, message, status } = e ?? {};
      return json({ error: { name, code, message, status, isMcpError: e instanceof McpError } }, 502);
    }
  },
};
