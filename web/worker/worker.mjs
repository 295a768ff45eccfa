// An edge worker (workerd / Cloudflare Workers) that calls the tools of one
// configured MCP server, with the package's `workerd` entry: the .wasm is an
// imported WebAssembly.Module, instantiated once per isolate.
//   GET  /                        -> {routes, runtime, isolate: {id, requests, wasmInstances}}
//   GET  /tools                   -> {tools}
//   POST /call {tool, arguments}  -> {result}
//   POST /run {tool, arguments, timeoutMs?} -> a job started and polled to its end:
//        200 {jobId, status, result}, or 202 {jobId, status, pending_human_request}
//        when it waits on a person (answer with /call respondToHumanRequest)
//   cron (scheduled)              -> calls SCHEDULED_CALLS, keeps the outcome in RESULTS
// Configuration (wrangler.toml vars, secrets, bindings):
//   MCP_URL          the server's MCP endpoint
//   MCP_API_KEY      secret: an API key sent as a bearer token (then OAuth never runs)
//   TOKENS           KV namespace: OAuth tokens and client registration (kvStorage)
//   OAUTH_REDIRECT_URI  where the authorization server sends the browser back
//   SCHEDULED_CALLS  JSON: [{tool, arguments}] made on each cron trigger
//   RESULTS          KV namespace (optional): the last scheduled outcome, key "scheduled:last"
// Without an API key the worker signs in with OAuth using headlessRedirect: it
// suits an authorization server that approves at once (a pre-approved client);
// one that asks a person needs callbackRedirect and a route for the callback.
import { Client, McpError, kvStorage, headlessRedirect, loadModule } from 'mcp-wasm';

const CLIENT_INFO = { name: 'mcp-wasm-worker', version: '0.2.0' };
const MAX_SCHEDULED_CALLS = 50;
const MAX_RUN_WAIT_MS = 25000;  // a request should not outlive the caller's patience

// This isolate: module scope lives as long as the isolate. Random values are
// not allowed at global scope in workerd, so the id is drawn on first use.
const isolate = { id: null, requests: 0, wasmInstances: 0 };
const seenModules = new WeakSet();

/// Counts the distinct Wasm module instances this isolate has used (1 when memoised).
async function touchIsolate() {
  isolate.id ??= crypto.randomUUID();
  isolate.requests++;
  const module = await loadModule();
  if (!seenModules.has(module)) { seenModules.add(module); isolate.wasmInstances++; }
}

const json = (value, status = 200) =>
  new Response(JSON.stringify(value), { status, headers: { 'content-type': 'application/json' } });

function clientOptions(env) {
  const options = { clientInfo: CLIENT_INFO, timeoutMs: Number(env.MCP_TIMEOUT_MS ?? 15000), listen: false };
  if (env.MCP_API_KEY) {
    options.bearer = env.MCP_API_KEY;
  } else if (env.TOKENS) {
    options.oauth = {
      storage: kvStorage(env.TOKENS),
      redirectUri: env.OAUTH_REDIRECT_URI ?? 'http://127.0.0.1/oauth/callback',
      onAuthorize: headlessRedirect(),
      clientName: 'mcp-wasm edge worker',
    };
  }
  return options;
}

async function withClient(env, fn) {
  if (!env.MCP_URL) throw new McpError('MCP_URL is not configured', { code: 'worker.config', kind: 'local' });
  const client = await Client.connect(env.MCP_URL, clientOptions(env));
  try { return await fn(client); } finally { await client.close().catch(() => {}); }
}

function errorBody(e) {
  const { name = 'Error', code, message = String(e), status, retryAfterMs, errors } = e ?? {};
  return { error: { name, code, message, status, retryAfterMs, errors, isMcpError: e instanceof McpError } };
}

// The server's 401/403/429 pass through (the caller can act on them); a
// caller's mistake is 400; a missing setting 500; anything else from upstream 502.
function errorStatus(e) {
  if ([401, 403, 429].includes(e?.status)) return e.status;
  if (e?.code === 'auth.unauthorized') return 401;  // the configured key was refused
  if (e?.code === 'worker.config') return 500;       // this worker's configuration, not the caller's request
  if (e instanceof McpError && e.kind === 'local') return 400;
  return 502;
}

async function handleCall(request, env) {
  let body;
  try { body = await request.json(); } catch { return json({ error: { message: 'the body is not JSON' } }, 400); }
  if (typeof body?.tool !== 'string' || !body.tool) return json({ error: { message: 'body.tool must be a tool name' } }, 400);
  const args = body.arguments ?? {};
  if (args === null || typeof args !== 'object' || Array.isArray(args)) return json({ error: { message: 'body.arguments must be an object' } }, 400);
  const result = await withClient(env, (c) => c.callTool(body.tool, args));
  return json({ result });
}

// Starts a job and polls it (callAndPoll); a question for a person ends the
// wait (the job goes on) and is handed back to the caller.
async function handleRun(request, env) {
  let body;
  try { body = await request.json(); } catch { return json({ error: { message: 'the body is not JSON' } }, 400); }
  if (typeof body?.tool !== 'string' || !body.tool) return json({ error: { message: 'body.tool must be a start tool name' } }, 400);
  const timeoutMs = Math.min(Math.max(Number(body.timeoutMs) || MAX_RUN_WAIT_MS, 100), MAX_RUN_WAIT_MS);
  return withClient(env, async (client) => {
    let waiting = null;
    const job = client.callAndPoll(body.tool, body.arguments ?? {}, {
      intervalMs: 250, maxIntervalMs: 2000, timeoutMs,
      onHumanRequest: (pending, { jobId, status }) => {
        waiting = { jobId, status, pending_human_request: pending };
        job.cancelWait('a person must answer');
        return null;
      },
    });
    try {
      const { jobId, status, result, attempts, elapsedMs } = await job;
      return json({ jobId, status, result, attempts, elapsedMs });
    } catch (e) {
      if (waiting) return json(waiting, 202);
      throw e;
    }
  });
}

/// One cron trigger: each configured call in turn; one failing does not stop the others.
export async function runScheduled(env, cron) {
  let calls;
  try { calls = JSON.parse(env.SCHEDULED_CALLS ?? '[]'); } catch { calls = null; }
  if (!Array.isArray(calls)) throw new McpError('SCHEDULED_CALLS must be a JSON array', { code: 'worker.config', kind: 'local' });
  const outcome = { cron, at: new Date().toISOString(), results: [] };
  try {
    await withClient(env, async (client) => {
      for (const { tool, arguments: args = {} } of calls.slice(0, MAX_SCHEDULED_CALLS)) {
        try { outcome.results.push({ tool, ok: true, result: await client.callTool(tool, args) }); }
        catch (e) { outcome.results.push({ tool, ok: false, ...errorBody(e) }); }
      }
    });
  } catch (e) {
    Object.assign(outcome, errorBody(e));  // no connection: nothing was called
  }
  await env.RESULTS?.put('scheduled:last', JSON.stringify(outcome));
  return outcome;
}

export default {
  async fetch(request, env) {
    await touchIsolate();
    const { pathname } = new URL(request.url);
    try {
      if (request.method === 'GET' && pathname === '/') {
        return json({ routes: ['GET /tools', 'POST /call', 'POST /run'], runtime: navigator.userAgent, isolate });
      }
      if (request.method === 'GET' && pathname === '/tools') return json({ tools: await withClient(env, (c) => c.listTools()) });
      if (request.method === 'POST' && pathname === '/call') return await handleCall(request, env);
      if (request.method === 'POST' && pathname === '/run') return await handleRun(request, env);
      return json({ error: { message: 'GET /tools, POST /call {tool, arguments} or POST /run {tool, arguments}' } }, 404);
    } catch (e) {
      return json(errorBody(e), errorStatus(e));
    }
  },

  async scheduled(controller, env, ctx) {
    await touchIsolate();
    ctx.waitUntil(runScheduled(env, controller.cron));
  },
};
