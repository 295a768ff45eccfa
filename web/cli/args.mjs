// Command-line parsing for mcp-wasm: global options, per-command options, the
// help text and the exit codes scripts can rely on.

/// Exit codes (stable: scripts branch on them).
export const EXIT = Object.freeze({
  OK: 0,            // done; a run ended `completed`
  FAILED: 1,        // the tool answered isError, or the run ended failed/stopped/interrupted/needs_attention
  USAGE: 2,         // bad command line
  UNAUTHORIZED: 3,  // 401, not signed in, sign-in failed
  FORBIDDEN: 4,     // 403: the key or account may not use this
  RATE_LIMITED: 5,  // 429 (after the retries callAndPoll allows)
  NETWORK: 6,       // server unreachable, connection cut, timed out
  PROTOCOL: 7,      // any other server error (HTTP status, bad answer)
  NEEDS_PERSON: 8,  // a run waits on a person and no answer was given (no TTY, no --answer/--approve)
  INTERRUPTED: 130, // Ctrl-C: the wait stopped (the run goes on unless --stop-on-interrupt)
});

export const USAGE = `usage: mcp-wasm [options] COMMAND [args]

Commands:
  tools [FILTER]                  the tools (name, required arguments, description);
                                  FILTER: a substring of the name or description
  call TOOL [--arg k=v]... [--args '{...}' | --json '{...}']
                                  call a tool, print its result
  run START_TOOL [--arg k=v]...   start a job, poll it to its end with progress
                                  (Duvo: run startRun --arg agent_id=... --arg message=...)
  login                           sign in with OAuth (system browser, loopback redirect)
  logout                          forget the stored tokens of the server
  demo                            tools, then listAgents, then a run to completion

Options:
  --url URL            the MCP server (env MCP_WASM_URL); without it Duvo-in-a-box
                       starts in this process on 127.0.0.1 with a demo API key
  --api-key KEY        bearer API key (better: env MCP_WASM_API_KEY or DUVO_API_KEY)
  --header 'K: V'      extra header on every request (repeatable)
  --timeout MS         per request (default 30000)
  --json               machine-readable output on stdout (errors too: {"error":{...}})
  --arg k=v            a tool argument; v is read as JSON when it parses (2, true,
                       null, [1], {"a":1}) unless the tool declares k a string
  --args '{...}'       tool arguments as one JSON object (also: --json '{...}')
run options:
  --answer K=V         answer to a human-in-the-loop question (K: its header or text;
                       for a multi-select question V is comma-separated); repeatable
  --approve | --reject approve or decline a human-in-the-loop request
  --interval MS        first wait between status calls (default 1000; backoff x1.5 to 10000)
  --wait-timeout MS    give up waiting after this long (default 3600000; the run goes on)
  --stop-on-interrupt  Ctrl-C stops the run too (default: only the wait)
  --status-tool T --stop-tool T --respond-tool T --id-arg NAME
  --id-path P --status-path P --terminal a,b,c
                       another server's job tools (defaults: getRun, stopRun,
                       respondToHumanRequest, run_id, run.id, run.status,
                       completed,failed,interrupted,stopped,needs_attention;
                       the first terminal status is the one that exits 0)
login options:
  --callback-port N    the loopback redirect port (default: any free port)

Environment:
  MCP_WASM_API_KEY, DUVO_API_KEY   API key sent as Authorization: Bearer
  MCP_WASM_BROWSER                 command that opens the sign-in URL (given as its last
                                   argument) instead of xdg-open/open, e.g. a headless fetcher
  XDG_CONFIG_HOME                  tokens live in $XDG_CONFIG_HOME/mcp-wasm/tokens.json
                                   (else ~/.config/mcp-wasm/tokens.json), mode 0600

Exit codes: 0 ok (run completed) | 1 tool error or run not completed | 2 usage
  (also arguments that do not fit the tool's input schema, checked before sending) |
  3 unauthorized (401 / not signed in) | 4 forbidden (403) | 5 rate limited (429) |
  6 network (unreachable, timeout) | 7 other server error | 8 run waits on a person |
  130 interrupted`;

export class UsageError extends Error {}

const VALUE_OPTS = {
  '--url': 'url', '--api-key': 'apiKey', '--timeout': 'timeoutMs', '--interval': 'intervalMs', '--wait-timeout': 'waitTimeoutMs',
  '--status-tool': 'statusTool', '--stop-tool': 'stopTool', '--respond-tool': 'respondTool', '--id-arg': 'idArg',
  '--id-path': 'idPath', '--status-path': 'statusPath', '--terminal': 'terminal', '--callback-port': 'callbackPort',
  '--args': 'argsJson',
};
const FLAGS = { '--approve': 'approve', '--reject': 'reject', '--stop-on-interrupt': 'stopOnInterrupt', '--help': 'help', '-h': 'help' };
const NUMBERS = ['timeoutMs', 'intervalMs', 'waitTimeoutMs', 'callbackPort'];

function objectArg(text, what) {
  let v;
  try { v = JSON.parse(text); } catch { throw new UsageError(`${what} is not valid JSON`); }
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw new UsageError(`${what} must be a JSON object`);
  return v;
}

/// argv -> options. `--json` alone asks for JSON output; `--json '{...}'` (a
/// value starting with "{") gives tool arguments.
export function parseArgs(argv, env = {}) {
  const o = { headers: {}, timeoutMs: 30000, args: [], answers: [], rest: [], json: false, argsJson: null };
  const value = (i) => {
    if (i + 1 >= argv.length) throw new UsageError(`${argv[i]} needs a value`);
    return argv[i + 1];
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a in FLAGS) o[FLAGS[a]] = true;
    else if (a === '--json') {
      if (i + 1 < argv.length && argv[i + 1].trimStart().startsWith('{')) o.argsJson = argv[++i];
      else o.json = true;
    } else if (a in VALUE_OPTS) o[VALUE_OPTS[a]] = value(i++);
    else if (a === '--header') {
      const m = /^([^:\s]+)\s*:\s*(.*)$/.exec(value(i++));
      if (!m) throw new UsageError(`--header wants 'Name: value', got '${argv[i]}'`);
      o.headers[m[1]] = m[2];
    } else if (a === '--arg' || a === '--answer') {
      const m = /^([^=]+)=(.*)$/s.exec(value(i++));
      if (!m) throw new UsageError(`${a} wants k=v, got '${argv[i]}'`);
      (a === '--arg' ? o.args : o.answers).push([m[1], m[2]]);
    } else if (a.startsWith('-') && a !== '-') throw new UsageError(`unknown option ${a}`);
    else o.rest.push(a);
  }
  for (const k of NUMBERS) {
    if (o[k] === undefined) continue;
    o[k] = Number(o[k]);
    if (!Number.isFinite(o[k]) || o[k] < 0) throw new UsageError(`--${k.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase()).replace(/-ms$/, '')} must be a number >= 0`);
  }
  if (o.timeoutMs <= 0) throw new UsageError('--timeout must be a positive number');
  if (o.approve && o.reject) throw new UsageError('--approve and --reject exclude each other');
  if (o.argsJson !== null) o.argsJson = objectArg(o.argsJson, '--args');
  o.url ??= env.MCP_WASM_URL || undefined;
  o.apiKeyFromEnv = o.apiKey === undefined && Boolean(env.MCP_WASM_API_KEY || env.DUVO_API_KEY);
  o.apiKey ??= env.MCP_WASM_API_KEY || env.DUVO_API_KEY || undefined;
  return o;
}

function types(schema) {
  const t = schema?.type;
  return Array.isArray(t) ? t : t ? [t] : [];
}

/// --arg pairs -> arguments: a value is JSON when it parses, else a string;
/// a property the tool declares as string only keeps the text as it is.
export function buildArguments(tool, pairs, json) {
  const out = { ...(json ?? {}) };
  const props = tool?.inputSchema?.properties ?? {};
  for (const [k, v] of pairs) {
    const t = types(props[k]);
    if (t.length === 1 && t[0] === 'string') { out[k] = v; continue; }
    try { out[k] = JSON.parse(v); } catch { out[k] = v; }
  }
  return out;
}

/// A dotted path into a value ("run.id").
export function pick(value, path) {
  let v = value;
  for (const part of String(path).split('.')) {
    if (v == null || typeof v !== 'object') return undefined;
    v = v[part];
  }
  return v;
}
