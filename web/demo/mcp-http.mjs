// Serves MCP servers built with @modelcontextprotocol/sdk over Streamable HTTP
// on 127.0.0.1, one stateful session per `initialize`. Shared by the demo
// server (demo/server.mjs) and the test servers (test/servers/).
import { createServer } from 'node:http';
import { randomUUID } from 'node:crypto';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';

const MCP_PATH = '/mcp';
const MAX_BODY = 8 << 20;
const MAX_SESSIONS = 100;

/// Starts an HTTP server at http://127.0.0.1:PORT/mcp.
/// makeServer(): a fresh, unconnected McpServer for each new session.
/// mode: 'json' (enableJsonResponse) or 'sse' (every POST answered with an event stream).
/// Returns { url, log, close() }; `log` records {method, path, headers} of every request.
export async function startMcpHttp({ makeServer, mode = 'json', port = 0, acceptToken }) {
  if (mode !== 'json' && mode !== 'sse') throw new Error(`mode must be json or sse, not ${mode}`);
  const sessions = new Map();   // session id -> transport
  const log = [];
  let inject = null;            // tests: {status, headers, body, count} for the next POSTs

  const http = createServer(async (req, res) => {
    const path = new URL(req.url, 'http://x').pathname;
    log.push({ method: req.method, path, headers: { ...req.headers } });
    if (log.length > 10000) log.shift();
    if (path !== MCP_PATH) return reply(res, 404, { error: 'not found' });
    // API-key mode (like Duvo's): `acceptToken(token)` decides, 401 otherwise.
    if (acceptToken) {
      const m = /^Bearer (.+)$/.exec(req.headers.authorization ?? '');
      if (!m || !acceptToken(m[1])) {
        for await (const _ of req);  // drain
        res.writeHead(401, { 'www-authenticate': 'Bearer error="invalid_token"', 'content-type': 'application/json' });
        return res.end(JSON.stringify({ error: 'unauthorized', message: 'missing or expired API key' }));
      }
    }
    if (inject?.count > 0 && req.method === 'POST') {
      inject.count--;
      for await (const _ of req);  // drain
      res.writeHead(inject.status, inject.headers ?? {});
      return res.end(inject.body ?? '');
    }
    try {
      const body = req.method === 'POST' ? await readJson(req) : undefined;
      if (body === TOO_BIG) return rpcError(res, 413, -32600, `Request body over ${MAX_BODY} bytes`);
      if (body === BAD_JSON) return rpcError(res, 400, -32700, 'Parse error');
      const sid = req.headers['mcp-session-id'];
      let transport = sid && sessions.get(sid);
      if (sid && !transport) return rpcError(res, 404, -32001, 'Session not found');
      if (!transport) {
        if (req.method !== 'POST' || body?.method !== 'initialize')
          return rpcError(res, 400, -32000, 'Bad Request: no session id');
        if (sessions.size >= MAX_SESSIONS) return rpcError(res, 503, -32000, 'Too many sessions');
        transport = new StreamableHTTPServerTransport({
          sessionIdGenerator: randomUUID,
          enableJsonResponse: mode === 'json',
          onsessioninitialized: (id) => sessions.set(id, transport),
        });
        transport.onclose = () => sessions.delete(transport.sessionId);
        await makeServer().connect(transport);
      }
      await transport.handleRequest(req, res, body);
    } catch (e) {
      if (!res.headersSent) rpcError(res, 500, -32603, 'Internal error: ' + e.message);
      else res.destroy();
    }
  });

  await new Promise((resolve, reject) => {
    http.once('error', reject);
    http.listen(port, '127.0.0.1', resolve);
  });
  const url = `http://127.0.0.1:${http.address().port}${MCP_PATH}`;
  return {
    url,
    log,
    sessionCount: () => sessions.size,
    /// Tests: the server "restarts" and forgets every session (clients then get 404).
    async forgetSessions() {
      const all = [...sessions.values()];
      sessions.clear();
      await Promise.allSettled(all.map((t) => t.close()));
    },
    /// Tests: answer the next `count` POSTs with this status, headers and body.
    injectNext(spec) { inject = { count: 1, ...spec }; },
    async close() {
      await Promise.allSettled([...sessions.values()].map((t) => t.close()));
      http.closeAllConnections();
      await new Promise((resolve) => http.close(resolve));
    },
  };
}

const BAD_JSON = Symbol('bad json');
const TOO_BIG = Symbol('too big');

async function readJson(req) {
  const chunks = [];
  let size = 0;
  for await (const c of req) {   // read to the end even when too big, so the connection stays usable
    size += c.length;
    if (size <= MAX_BODY) chunks.push(c);
  }
  if (size > MAX_BODY) return TOO_BIG;
  try { return JSON.parse(Buffer.concat(chunks).toString('utf8')); } catch { return BAD_JSON; }
}

function reply(res, status, obj) {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(obj));
}

function rpcError(res, status, code, message) {
  reply(res, status, { jsonrpc: '2.0', error: { code, message }, id: null });
}

/// Shared CLI handling for the server scripts: `--mode json|sse --port N`.
export function parseServerArgs(argv) {
  const opts = { port: 0 };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--mode') opts.mode = argv[++i];
    else if (argv[i] === '--port') opts.port = Number(argv[++i]);
    else throw new Error(`unknown argument ${argv[i]} (use --mode json|sse --port N)`);
  }
  if (!Number.isInteger(opts.port) || opts.port < 0 || opts.port > 65535) throw new Error('bad --port');
  return opts;
}

/// Runs a server script as a CLI: prints its URL, stops on SIGINT/SIGTERM.
export async function runServerCli(start, argv) {
  let opts;
  try { opts = parseServerArgs(argv); } catch (e) { console.error(e.message); process.exit(2); }
  const srv = await start(opts);
  console.log(srv.url);
  const stop = () => srv.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
