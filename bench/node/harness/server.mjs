// The loopback MCP server of the harness: @modelcontextprotocol/sdk's
// low-level Server (raw JSON Schemas, so 1,000 REST-like tools need no zod)
// behind StreamableHTTPServerTransport, stateful sessions, on 127.0.0.1.
// /mcp/N lists N REST-like tools besides `echo` and `typed`; /mcp/N/changing
// the same with a counter in one description: a different list each time.
//   node server.mjs --mode json|sse     (prints the base URL, e.g. http://127.0.0.1:PORT/mcp)
import { createServer } from 'node:http';
import { randomUUID } from 'node:crypto';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { ListToolsRequestSchema, CallToolRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { restTool, BASE_TOOLS, typedResult, changed } from './tools.mjs';

const i = process.argv.indexOf('--mode');
const mode = i > 0 ? process.argv[i + 1] : 'json';
const lists = new Map();
const toolsFor = (n) => {
  if (!lists.has(n)) lists.set(n, [...BASE_TOOLS, ...Array.from({ length: n }, (_, k) => restTool(k))]);
  return lists.get(n);
};

function makeServer(n, changing) {
  const server = new Server({ name: 'bench-server', version: '1.0.0' }, { capabilities: { tools: {} } });
  let lists = 0;
  server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: changing ? changed(toolsFor(n), ++lists) : toolsFor(n) }));
  server.setRequestHandler(CallToolRequestSchema, async (req) => {
    const { name, arguments: args = {} } = req.params;
    if (name === 'echo') return { content: [{ type: 'text', text: String(args.text ?? '') }] };
    if (name === 'typed') return typedResult(Number(args.n ?? 1));
    return { content: [{ type: 'text', text: `no such tool ${name}` }], isError: true };
  });
  return server;
}

const sessions = new Map();
const http = createServer(async (req, res) => {
  const m = /^\/mcp\/(\d+)(\/changing)?$/.exec(new URL(req.url, 'http://x').pathname);
  if (!m || Number(m[1]) > 5000) { res.writeHead(404).end(); return; }
  try {
    let body;
    if (req.method === 'POST') {
      const chunks = [];
      for await (const c of req) chunks.push(c);
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    }
    const sid = req.headers['mcp-session-id'];
    let transport = sid && sessions.get(sid);
    if (sid && !transport) { res.writeHead(404, { 'content-type': 'application/json' }).end('{"jsonrpc":"2.0","id":null,"error":{"code":-32001,"message":"Session not found"}}'); return; }
    if (!transport) {
      transport = new StreamableHTTPServerTransport({
        sessionIdGenerator: randomUUID,
        enableJsonResponse: mode === 'json',
        onsessioninitialized: (id) => sessions.set(id, transport),
      });
      transport.onclose = () => sessions.delete(transport.sessionId);
      await makeServer(Number(m[1]), Boolean(m[2])).connect(transport);
    }
    await transport.handleRequest(req, res, body);
  } catch (e) {
    if (!res.headersSent) res.writeHead(500).end(String(e.message));
    else res.destroy();
  }
});
// A client busy for seconds (ajv compiling 1,000 validators) must not find its
// idle keep-alive socket closed under its next request.
http.keepAliveTimeout = 120000;
http.listen(0, '127.0.0.1', () => console.log(`http://127.0.0.1:${http.address().port}/mcp`));
process.on('SIGTERM', () => process.exit(0));
