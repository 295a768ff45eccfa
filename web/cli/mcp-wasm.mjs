#!/usr/bin/env node
// mcp-wasm: the terminal face of the npm package (its public API only): list
// and call tools, run jobs to their end, sign in. Without --url it starts
// Duvo-in-a-box on 127.0.0.1 in this process, with a demo API key.
import { Client, McpError, UnauthorizedError, ForbiddenError, RateLimitedError, TransportError, TimeoutError, AbortError } from 'mcp-wasm';
import { EXIT, USAGE, UsageError, parseArgs, buildArguments, pick } from './args.mjs';
import { toolRows, printTools, printResult, progressReporter } from './render.mjs';
import { answerFromFlags, askOnTty, describeRequest, NeedsPersonError } from './ask.mjs';
import { fileStorage, loopbackRedirect } from './login.mjs';
import { startBox } from './box.mjs';

const COMMANDS = ['tools', 'call', 'run', 'login', 'logout', 'demo'];
const out = process.stdout, err = process.stderr;
const say = (s) => err.write(s + '\n');

async function withServer(o, fn) {
  if (o.url) return fn({ url: o.url, apiKey: o.apiKey });
  const box = await startBox();
  o.intervalMs ??= 250;   // its runs move in half seconds: poll closer than a real server's default
  say(`(started ${box.name} at ${box.url})`);
  // The box's own demo key, unless --api-key names one (a key from the environment is for real servers).
  const apiKey = o.apiKey && !o.apiKeyFromEnv ? o.apiKey : box.apiKey;
  try { return await fn({ url: box.url, apiKey, box }); } finally { await box.close(); }
}

/// Credentials: an API key when there is one; OAuth for `login` (browser) or
/// when tokens for this server are stored (never opening a browser then).
async function connect(o, { url, apiKey }, command) {
  const options = { headers: o.headers, timeoutMs: o.timeoutMs, listen: false, clientInfo: { name: 'mcp-wasm-cli', version: '0.1.0' } };
  const store = fileStorage();
  let redirect = null;
  if (apiKey && command !== 'login') options.bearer = apiKey;
  else if (command === 'login') {
    redirect = await loopbackRedirect({ port: o.callbackPort ?? 0, log: say });
    options.oauth = { redirectUri: redirect.redirectUri, onAuthorize: (u) => redirect.onAuthorize(u), storage: store,
      clientName: 'mcp-wasm CLI', applicationType: 'native' };
  } else if (store.hasTokens(url)) {
    options.oauth = { redirectUri: 'http://127.0.0.1/callback', onAuthorize: () => null, storage: store, applicationType: 'native' };
  }
  try {
    return { client: await Client.connect(url, options), store };
  } finally {
    await redirect?.close();
  }
}

async function toolNamed(client, name) {
  const tool = (await client.listTools()).find((t) => t.name === name);
  if (!tool) throw new UsageError(`no tool named '${name}' (see: mcp-wasm tools)`);
  return tool;
}

function emit(o, value) { out.write(JSON.stringify(value, null, o.json ? 2 : 0) + '\n'); }

async function cmdTools(o, client, filter) {
  const tools = await client.listTools();
  const rows = toolRows(tools, filter);
  if (o.json) emit(o, rows.map((r) => ({ ...r, inputSchema: tools.find((t) => t.name === r.name).inputSchema })));
  else printTools(out, rows, tools.length);
  return EXIT.OK;
}

async function cmdCall(o, client, name) {
  const args = buildArguments(await toolNamed(client, name), o.args, o.argsJson);
  const result = await client.callTool(name, args, { validateArguments: true });
  if (o.json) emit(o, result);
  else printResult(out, err, result);
  return result.isError ? EXIT.FAILED : EXIT.OK;
}

function pollOptions(o) {
  const idArg = o.idArg ?? 'run_id';
  const p = { intervalMs: o.intervalMs, timeoutMs: o.waitTimeoutMs, callTimeoutMs: o.timeoutMs };
  if (o.statusTool) p.statusTool = o.statusTool;
  if (o.stopTool) p.stopTool = o.stopTool;
  if (o.respondTool) p.respondTool = o.respondTool;
  if (o.idArg) {
    p.statusArgs = (id) => ({ [idArg]: id });
    p.stopArgs = (id) => ({ [idArg]: id });
    p.respondArgs = (id, req, answer) => ({ [idArg]: id, request_id: req.id, ...answer });
  }
  if (o.idPath) p.jobId = (x) => pick(x, o.idPath);
  if (o.statusPath) p.status = (x) => pick(x, o.statusPath);
  if (o.terminal) {
    const set = o.terminal.split(',').map((s) => s.trim()).filter(Boolean);
    p.isTerminal = (s) => set.includes(String(s));
  }
  return p;
}

async function cmdRun(o, client, startTool, args) {
  args ??= buildArguments(await toolNamed(client, startTool), o.args, o.argsJson);
  const tty = Boolean(err.isTTY);
  const canAsk = tty && Boolean(process.stdin.isTTY);
  const bar = progressReporter(err, { tty });
  const handle = client.callAndPoll(startTool, args, {
    ...pollOptions(o),
    onProgress: (p) => {
      if (p.attempt === 0) say(`started ${startTool}: job ${p.jobId}`);
      bar.update(p);
    },
    onHumanRequest: async (request) => {
      bar.pause();
      const given = answerFromFlags(request, o);
      if (given) {
        say(`${describeRequest(request)}\nanswering: ${JSON.stringify(given)}`);
        return given;
      }
      if (!canAsk) throw new NeedsPersonError(request);
      return askOnTty(request, { input: process.stdin, output: err });
    },
  });
  let interrupted = false;
  const onSigint = () => {
    if (interrupted) process.exit(EXIT.INTERRUPTED);
    interrupted = true;
    bar.pause();
    if (o.stopOnInterrupt) {
      say('stopping the run (Ctrl-C again to leave without waiting)…');
      handle.stopJob().catch((e) => say(`could not stop the run: ${e.message}`));
    } else handle.cancelWait('interrupted');
  };
  process.on('SIGINT', onSigint);
  try {
    const r = await handle;
    bar.pause();
    if (o.json) emit(o, { jobId: r.jobId, status: r.status, attempts: r.attempts, elapsedMs: r.elapsedMs, result: r.result });
    else {
      out.write(`job ${r.jobId}: ${r.status} after ${(r.elapsedMs / 1000).toFixed(1)}s (${r.attempts} status calls)\n`);
      const said = r.result?.run?.result;
      if (typeof said === 'string' && said) out.write(said + '\n');
    }
    return r.status === (o.terminal ? o.terminal.split(',')[0].trim() : 'completed') ? EXIT.OK : EXIT.FAILED;
  } catch (e) {
    bar.pause();
    if (e instanceof AbortError && interrupted) {
      const id = (await handle.started.catch(() => null))?.jobId;
      say(`stopped waiting${id ? `; job ${id} goes on (stop it: mcp-wasm call ${o.stopTool ?? 'stopRun'} --arg ${o.idArg ?? 'run_id'}=${id})` : ''}`);
      return EXIT.INTERRUPTED;
    }
    throw e;
  } finally {
    process.off('SIGINT', onSigint);
  }
}

// demo: the tools, the agents, then a run of the first agent to completion.
async function cmdDemo(o, client) {
  const tools = await client.listTools();
  if (!tools.some((t) => t.name === 'startRun') || !tools.some((t) => t.name === 'listAgents'))
    throw new UsageError('demo needs a Duvo-like server (listAgents, startRun); try: mcp-wasm tools');
  if (!o.json) { printTools(out, toolRows(tools), tools.length); out.write('\n'); }
  const agents = await client.callTool('listAgents', {});
  const list = agents.structuredContent?.data ?? JSON.parse(agents.content?.[0]?.text ?? '{}').data ?? [];
  if (!list.length) throw new UsageError('listAgents returned no agents');
  if (!o.json) out.write(`agents: ${list.map((a) => a.name).join(', ')}\n\n`);
  const agent = list.find((a) => /invoice/i.test(a.name)) ?? list[0];
  return cmdRun({ ...o, intervalMs: o.intervalMs ?? 250 }, client, 'startRun', { agent_id: agent.id, message: 'Check the November invoices' });
}

// The HTTP status behind an error: typed errors carry it; the core's auth
// refusal (auth.unauthorized) and a bare http.status error name it in the text.
function statusOf(e) {
  if (e?.status) return e.status;
  if (e?.data?.status) return e.data.status;
  if (e?.code === 'auth.unauthorized') return 401;
  const m = e?.code === 'http.status' && /\bHTTP (\d{3})\b/.exec(e.message ?? '');
  return m ? Number(m[1]) : undefined;
}

function exitFor(e) {
  if (e instanceof UsageError) return EXIT.USAGE;
  if (e instanceof NeedsPersonError) return EXIT.NEEDS_PERSON;
  if (e?.code === 'validation.arguments') return EXIT.USAGE;
  const status = statusOf(e);
  if (e instanceof UnauthorizedError || status === 401) return EXIT.UNAUTHORIZED;
  if (e instanceof ForbiddenError || status === 403) return EXIT.FORBIDDEN;
  if (e instanceof RateLimitedError || status === 429) return EXIT.RATE_LIMITED;
  if (e instanceof TransportError || e instanceof TimeoutError || e?.code === 'auth.network') return EXIT.NETWORK;
  if (typeof e?.code === 'string' && e.code.startsWith('auth.')) return EXIT.UNAUTHORIZED;
  if (typeof e?.code === 'string' && /^poll\.(start|status|respond|stop)_failed$/.test(e.code)) return EXIT.FAILED;
  return EXIT.PROTOCOL;
}

/// One line for people: what happened and what to do.
function explain(e, o) {
  const status = statusOf(e);
  const http = status ? ` (HTTP ${status})` : '';
  const keyHint = 'set MCP_WASM_API_KEY (or DUVO_API_KEY), or sign in with `mcp-wasm login`';
  if (e instanceof UsageError) return `${e.message} (see mcp-wasm --help)`;
  if (e?.code === 'validation.arguments') {
    const why = (e.errors ?? []).slice(0, 3).map((x) => `${x.instanceLocation || '/'} ${x.message}`).join('; ');
    return `the arguments do not fit the tool's input schema${why ? `: ${why}` : ''} (see mcp-wasm tools --json)`;
  }
  if (e instanceof NeedsPersonError) return `${e.message}; answer with --answer K=V or --approve/--reject, or run it on a terminal`;
  if (e instanceof UnauthorizedError || status === 401) return `unauthorized${http}: the server refused ${o.apiKey ? 'the API key' : 'the request'}; ${keyHint}`;
  if (e instanceof ForbiddenError || status === 403) return `forbidden${http}: this key or account may not do that`;
  if (e instanceof RateLimitedError || status === 429) return `rate limited${http}${e.retryAfterMs != null ? `: retry in ${Math.ceil(e.retryAfterMs / 1000)}s` : ''}`;
  if (e?.code === 'auth.redirect_cancelled') return `not signed in: ${keyHint}`;
  if (e instanceof TimeoutError) return `timed out: ${e.message}`;
  if (e instanceof TransportError || e?.code === 'auth.network') return `cannot reach the server${o.url ? ` at ${o.url}` : ''}: ${e.message}`;
  if (e instanceof McpError) return `${e.name} (${e.code})${http}: ${e.message}`;
  return e?.message ?? String(e);
}

async function main(argv) {
  const o = parseArgs(argv, process.env);
  if (o.help) { out.write(USAGE + '\n'); return EXIT.OK; }
  const [command, name, ...extra] = o.rest;
  if (!COMMANDS.includes(command)) throw new UsageError(command ? `unknown command '${command}'` : 'no command given');
  if ((command === 'call' || command === 'run') && !name) throw new UsageError(`${command} needs a tool name`);
  if (extra.length || (name && !['call', 'run', 'tools'].includes(command))) throw new UsageError(`unexpected argument '${extra[0] ?? name}'`);
  if (command === 'logout') {
    if (!o.url) throw new UsageError('logout needs --url');
    const had = fileStorage().forget(o.url);
    if (o.json) emit(o, { loggedOut: had, url: o.url });
    else say(had ? `forgot the tokens for ${o.url}` : `no tokens stored for ${o.url}`);
    return EXIT.OK;
  }
  return withServer(o, async (server) => {
    const { client, store } = await connect(o, server, command);
    try {
      if (!o.json && command !== 'login') {
        const info = client.serverInfo ?? {};
        say(`server: ${info.name} ${info.version} (protocol ${client.protocolVersion})`);
      }
      if (command === 'tools') return await cmdTools(o, client, name);
      if (command === 'call') return await cmdCall(o, client, name);
      if (command === 'run') return await cmdRun(o, client, name);
      if (command === 'demo') return await cmdDemo(o, client);
      // login: connect() signed in (or found valid tokens); prove it with a request.
      const tools = await client.listTools();
      if (o.json) emit(o, { signedIn: true, url: server.url, tokens: store.file, tools: tools.length });
      else out.write(`signed in to ${server.url} (${tools.length} tools); tokens in ${store.file}\n`);
      return EXIT.OK;
    } finally {
      await client.close().catch(() => {});
    }
  });
}

let json = false;
try {
  json = process.argv.includes('--json') && !process.argv.some((a, i) => process.argv[i - 1] === '--json' && a.trimStart().startsWith('{'));
  process.exitCode = await main(process.argv.slice(2));
} catch (e) {
  const code = exitFor(e);
  const o = { url: process.env.MCP_WASM_URL, apiKey: process.env.MCP_WASM_API_KEY || process.env.DUVO_API_KEY };
  try { Object.assign(o, parseArgs(process.argv.slice(2), process.env)); } catch { /* usage errors are explained as they are */ }
  const line = explain(e, o).split('\n')[0];
  err.write(`mcp-wasm: ${line}\n`);
  if (e instanceof NeedsPersonError) err.write(describeRequest(e.request) + '\n');
  if (json) {
    out.write(JSON.stringify({ error: { message: line, name: e?.name ?? 'Error', code: e?.code ?? null, status: statusOf(e) ?? null, exitCode: code,
      ...(e instanceof NeedsPersonError ? { humanRequest: e.request } : {}) } }) + '\n');
  }
  process.exitCode = code;
}
