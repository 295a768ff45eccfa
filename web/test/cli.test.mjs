// The `mcp-wasm` CLI (cli/mcp-wasm.mjs) run as a child process against
// Duvo-in-a-box (demo/duvo/server.mjs) on 127.0.0.1: every command, the
// error exits, --json, runs to completion, human-in-the-loop answers, and
// OAuth sign-in with the browser replaced by a headless fetch
// (MCP_WASM_BROWSER, see `mcp-wasm --help`).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startDuvo, IDS, DEMO_READONLY_KEY } from '../demo/duvo/server.mjs';
import { closedPort } from './helpers.mjs';
import { buildArguments, parseArgs, EXIT } from '../cli/args.mjs';
import { answerFromFlags } from '../cli/ask.mjs';

const CLI = fileURLToPath(new URL('../cli/mcp-wasm.mjs', import.meta.url));
const T = { timeout: 60000 };
const STEP_MS = 40;

let duvo, config;
before(async () => {
  // A high rate limit: many CLI runs share one key here (the 429 test has its own server).
  duvo = await startDuvo({ runStepMs: STEP_MS, oauth: { autoApprove: true }, rateLimit: { limit: 100000, windowMs: 60000 } });
  config = mkdtempSync(join(tmpdir(), 'mcpw-cli-'));
});
after(async () => {
  await duvo?.close();
  if (config) rmSync(config, { recursive: true, force: true });
});

/// Runs the CLI (stdin not a TTY) with a clean environment; bounded to 30 s.
function cli(args, env = {}) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      env: { PATH: process.env.PATH, HOME: config, XDG_CONFIG_HOME: config, MCP_WASM_BOX_STEP_MS: String(STEP_MS), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '', stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    const timer = setTimeout(() => child.kill('SIGKILL'), 30000);
    child.on('close', (code, signal) => { clearTimeout(timer); resolve({ code: code ?? signal, stdout, stderr }); });
  });
}
/// Errors are one line, the last one on stderr (after the "server: ..." line).
const lastLine = (s) => { assert.ok(s.endsWith('\n'), s); return s.slice(0, -1).split('\n').at(-1); };
const withKey = (args, key = duvo.apiKey) => cli(['--url', duvo.mcpUrl, ...args], { MCP_WASM_API_KEY: key });

test('--help documents the commands, the environment and the exit codes', T, async () => {
  const r = await cli(['--help']);
  assert.equal(r.code, 0);
  for (const s of ['tools [FILTER]', 'call TOOL', 'run START_TOOL', 'login', 'MCP_WASM_API_KEY', 'DUVO_API_KEY', 'MCP_WASM_BROWSER', 'XDG_CONFIG_HOME',
    '3 unauthorized', '4 forbidden', '5 rate limited', '6 network', '8 run waits on a person'])
    assert.ok(r.stdout.includes(s), s);
});

test('demo without --url: Duvo-in-a-box in process, tools, agents, a run polled to completed', T, async () => {
  const r = await cli(['demo']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /^\(started Duvo-in-a-box at http:\/\/127\.0\.0\.1:\d+\/v2\/mcp\)$/m);
  assert.match(r.stdout, /^TOOL\s+REQUIRED\s+DESCRIPTION$/m);
  assert.match(r.stdout, /^startRun\s+agent_id\s+/m);
  assert.match(r.stdout, /^agents: .*Invoice checker/m);
  assert.match(r.stderr, /^started startRun: job [0-9a-f-]{36}$/m);
  assert.match(r.stderr, /^\s+\d+\.\ds\s+(pending|starting|running) \d+%$/m);
  assert.match(r.stderr, /^\s+\d+\.\ds\s+completed 100%$/m);
  assert.match(r.stdout, /^job [0-9a-f-]{36}: completed after \d+\.\ds \(\d+ status calls\)$/m);
});

test('tools: a table with required arguments, filtered by substring; --json', T, async () => {
  const all = await withKey(['tools']);
  assert.equal(all.code, 0, all.stderr);
  const total = Number(/^\((\d+) tools\)$/m.exec(all.stdout)?.[1]);
  assert.ok(total >= 30, all.stdout);
  assert.match(all.stdout, /^listAgents\s+-\s+\S/m);
  const some = await withKey(['tools', 'RUN']);
  assert.equal(some.code, 0);
  assert.match(some.stdout, /^getRun\s+run_id\s+/m);
  assert.doesNotMatch(some.stdout, /^listAgents/m);
  assert.match(some.stdout, new RegExp(`^\\(\\d+ of ${total} tools\\)$`, 'm'));
  const j = await withKey(['tools', 'run', '--json']);
  const rows = JSON.parse(j.stdout);
  assert.ok(rows.length > 3 && rows.every((x) => x.name && Array.isArray(x.required) && x.inputSchema?.type === 'object'));
  assert.deepEqual(rows.find((x) => x.name === 'startRun').required, ['agent_id']);
});

test('call: --arg values read as JSON when they parse, --json arguments, --json output', T, async () => {
  const a = await withKey(['call', 'getAgent', '--arg', `agent_id=${IDS.agents.invoices}`]);
  assert.equal(a.code, 0, a.stderr);
  assert.match(a.stdout, /Invoice checker/);
  const b = await withKey(['call', 'listRuns', '--arg', 'limit=1', '--json']);
  assert.equal(b.code, 0, b.stderr);
  const result = JSON.parse(b.stdout);
  assert.ok(Array.isArray(result.content) && !result.isError);
  const c = await withKey(['call', 'getAgent', '--json', JSON.stringify({ agent_id: IDS.agents.inbox })]);
  assert.equal(c.code, 0, c.stderr);
  assert.match(c.stdout, /Inbox triage/);
});

test('argument parsing: JSON when it parses, strings by schema, answers by header', () => {
  const tool = { inputSchema: { properties: { name: { type: 'string' }, n: { type: 'integer' }, any: {} } } };
  assert.deepEqual(buildArguments(tool, [['name', '123'], ['n', '5'], ['any', '{"a":[1]}'], ['other', 'plain text'], ['flag', 'true']], { base: 1 }),
    { base: 1, name: '123', n: 5, any: { a: [1] }, other: 'plain text', flag: true });
  const o = parseArgs(['--json', 'call', 'x', '--json', '{"a":1}'], { DUVO_API_KEY: 'dv_x' });
  assert.equal(o.json, true);
  assert.deepEqual(o.argsJson, { a: 1 });
  assert.equal(o.apiKey, 'dv_x');
  const req = { id: 'hr', questions: [{ question: 'Send?', header: 'Send', options: [{ label: 'Send now' }, { label: 'Hold' }] },
    { question: 'Which?', header: 'Channels', multi_select: true, options: [{ label: 'Email' }, { label: 'Slack' }] }] };
  assert.deepEqual(answerFromFlags(req, { answers: [['send', 'send NOW'], ['Which?', 'email, Slack']], approve: true }),
    { answers: { Send: 'Send now', Channels: ['Email', 'Slack'] }, approved: true });
  assert.throws(() => answerFromFlags(req, { answers: [['Send', 'Later']] }), /not an option .*Send now \| Hold/);
  assert.equal(answerFromFlags(req, { answers: [] }), null);
});

test('run: started, polled with progress lines, exit 0 on completed; --json result', T, async () => {
  const r = await withKey(['run', 'startRun', '--arg', `agent_id=${IDS.agents.invoices}`, '--arg', 'message=Check November', '--interval', '20']);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stderr.split('\n').filter((l) => /^\s+\d+\.\ds\s/.test(l)).map((l) => l.trim().split(/\s+/).slice(1).join(' '));
  // Each status line once, in the run's order (polling may skip a step), ending completed.
  const order = ['not_started 0%', 'pending 0%', 'starting 10%', 'running 30%', 'running 60%', 'running 90%', 'completed 100%'];
  assert.ok(lines.length >= 3 && lines.every((l, i) => i === 0 || order.indexOf(l) > order.indexOf(lines[i - 1])), lines.join(' | '));
  assert.equal(lines.at(-1), 'completed 100%');
  assert.match(r.stdout, /: completed after/);
  assert.match(r.stdout, /^Done: Check November\.$/m);
  const j = await withKey(['run', 'startRun', '--arg', `agent_id=${IDS.agents.invoices}`, '--interval', '20', '--json']);
  assert.equal(j.code, 0, j.stderr);
  const out = JSON.parse(j.stdout);
  assert.equal(out.status, 'completed');
  assert.equal(out.result.run.status, 'completed');
});

test('run: a failed run exits 1', T, async () => {
  const r = await withKey(['run', 'startRun', '--arg', `agent_id=${IDS.agents.inbox}`, '--arg', 'message=this will fail', '--interval', '20']);
  assert.equal(r.code, EXIT.FAILED, r.stderr);
  assert.match(r.stdout, /: failed after/);
});

async function messagesOf(jobId) {
  const res = await fetch(`${duvo.restUrl}/v1/runs/${jobId}/messages`, { headers: { authorization: `Bearer ${duvo.apiKey}` } });
  return (await res.json()).data.map((m) => m.content).join('\n');
}

test('run: a human-in-the-loop request answered with --answer, then completed', T, async () => {
  const r = await withKey(['run', 'startRun', '--arg', `agent_id=${IDS.agents.inbox}`, '--arg', 'message=approve the replies', '--interval', '20',
    '--answer', 'Send=send now', '--answer', 'Channels=Email,Slack', '--json']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /Approval needed \(request hr_\w+\)/);
  assert.match(r.stderr, /1\) Send now — Send all drafts at once\./);
  const out = JSON.parse(r.stdout);
  assert.equal(out.status, 'completed');
  const said = /Answers: (\{.*\})\.$/m.exec(await messagesOf(out.jobId));
  assert.deepEqual(JSON.parse(said?.[1] ?? 'null'), { Send: 'Send now', Channels: ['Email', 'Slack'] });
});

test('run: --reject declines (the run stops: exit 1); no answer and no TTY: exit 8 with the question', T, async () => {
  const r = await withKey(['run', 'startRun', '--arg', `agent_id=${IDS.agents.inbox}`, '--arg', 'message=approve it', '--interval', '20', '--reject']);
  assert.equal(r.code, EXIT.FAILED, r.stderr);
  assert.match(r.stdout, /: stopped after/);
  const n = await withKey(['run', 'startRun', '--arg', `agent_id=${IDS.agents.inbox}`, '--arg', 'message=approve it', '--interval', '20', '--json']);
  assert.equal(n.code, EXIT.NEEDS_PERSON, n.stderr);
  assert.match(n.stderr, /^mcp-wasm: the run waits on a person: Approval needed; answer with --answer/m);
  assert.match(n.stderr, /\[Channels\] Which channels may it use\? \(several allowed\)/);
  const e = JSON.parse(n.stdout).error;
  assert.equal(e.exitCode, 8);
  assert.equal(e.humanRequest.title, 'Approval needed');
});

// A pseudo-terminal through util-linux `script`: the bar is drawn in place
// and the questions are asked, answered here once each prompt shows.
const HAS_SCRIPT = ['/usr/bin/script', '/bin/script'].some((f) => existsSync(f));   // util-linux (Debian: bsdutils, essential)
test('run on a TTY: a progress bar, and the questions asked with their options', { ...T, skip: !HAS_SCRIPT && 'no script(1)' }, async () => {
  const cmd = [process.execPath, CLI, '--url', duvo.mcpUrl, 'run', 'startRun', '--arg', `agent_id=${IDS.agents.inbox}`,
    '--arg', "message='approve the replies'", '--interval', '20'].join(' ');
  const child = spawn('script', ['-qec', cmd, '/dev/null'], {
    env: { PATH: process.env.PATH, HOME: config, XDG_CONFIG_HOME: config, MCP_WASM_API_KEY: duvo.apiKey },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let seen = '';
  const answered = new Set();
  child.stdout.on('data', (d) => {
    seen += d;
    for (const [prompt, answer] of [[/Send \(1-2\): /, '2\n'], [/Channels \(1-2, comma-separated\): /, '1, 2\n']]) {
      if (prompt.test(seen) && !answered.has(answer)) { answered.add(answer); child.stdin.write(answer); }
    }
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), 30000);
  const code = await new Promise((resolve) => child.on('close', (c) => resolve(c)));
  clearTimeout(timer);
  child.stdin.destroy();
  assert.equal(code, 0, seen);
  assert.match(seen, /\r\x1b\[2K\[#+\.+\]\s+\d+% running/);
  assert.match(seen, /1\) Send now — Send all drafts at once\./);
  assert.match(seen, /: completed after/);
  const jobId = /job ([0-9a-f-]{36}): completed/.exec(seen)[1];
  const said = /Answers: (\{.*\})\.$/m.exec(await messagesOf(jobId));
  assert.deepEqual(JSON.parse(said?.[1] ?? 'null'), { Send: 'Hold', Channels: ['Email', 'Slack'] });
});

test('Ctrl-C stops the wait (exit 130, the run goes on); with --stop-on-interrupt it stops the run', T, async () => {
  const slow = await startDuvo({ runStepMs: 3000, oauth: false });
  try {
    const interrupt = (extra) => new Promise((resolve) => {
      const child = spawn(process.execPath, [CLI, '--url', slow.mcpUrl, 'run', 'startRun', '--arg', `agent_id=${IDS.agents.invoices}`, '--interval', '50', ...extra], {
        env: { PATH: process.env.PATH, HOME: config, XDG_CONFIG_HOME: config, MCP_WASM_API_KEY: slow.apiKey }, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '', stderr = '';
      child.stdout.on('data', (d) => { stdout += d; });
      child.stderr.on('data', (d) => {
        stderr += d;
        if (/started startRun/.test(stderr) && !child.sent) { child.sent = true; setTimeout(() => child.kill('SIGINT'), 100); }
      });
      const timer = setTimeout(() => child.kill('SIGKILL'), 30000);
      child.on('close', (code) => { clearTimeout(timer); resolve({ code, stdout, stderr, jobId: /job ([0-9a-f-]{36})/.exec(stderr)?.[1] }); });
    });
    const a = await interrupt([]);
    assert.equal(a.code, EXIT.INTERRUPTED, a.stderr);
    assert.match(a.stderr, /stopped waiting; job [0-9a-f-]{36} goes on \(stop it: mcp-wasm call stopRun --arg run_id=/);
    assert.ok(['pending', 'starting', 'running'].includes(await runStatus(slow, a.jobId)), 'the run goes on');
    const b = await interrupt(['--stop-on-interrupt']);
    assert.equal(b.code, EXIT.FAILED, b.stderr);
    assert.match(b.stdout, /: stopped after/);
  } finally {
    await slow.close();
  }
});

async function runStatus(server, id) {
  const res = await fetch(`${server.restUrl}/v1/runs/${id}`, { headers: { authorization: `Bearer ${server.apiKey}` } });
  return (await res.json()).run.status;
}

test('401: a wrong key is one line and exit 3 (and --json says so on stdout)', T, async () => {
  const r = await withKey(['tools'], 'dv_wrong_key');
  assert.equal(r.code, EXIT.UNAUTHORIZED);
  assert.match(lastLine(r.stderr), /^mcp-wasm: unauthorized \(HTTP 401\): the server refused the API key; set MCP_WASM_API_KEY .+$/);
  const j = await withKey(['tools', '--json'], 'dv_wrong_key');
  assert.equal(j.code, EXIT.UNAUTHORIZED);
  const e = JSON.parse(j.stdout).error;
  assert.equal(e.status, 401);
  assert.equal(e.exitCode, 3);
  const none = await cli(['--url', duvo.mcpUrl, 'tools']);
  assert.equal(none.code, EXIT.UNAUTHORIZED, none.stderr);
  assert.match(lastLine(none.stderr), /^mcp-wasm: unauthorized \(HTTP 401\): the server refused the request; set MCP_WASM_API_KEY/);
});

test('403: a read-only key may list but not start runs: exit 4', T, async () => {
  assert.equal((await withKey(['tools'], DEMO_READONLY_KEY)).code, 0);
  const r = await withKey(['run', 'startRun', '--arg', `agent_id=${IDS.agents.inbox}`], DEMO_READONLY_KEY);
  assert.equal(r.code, EXIT.FORBIDDEN, r.stderr);
  assert.match(lastLine(r.stderr), /^mcp-wasm: forbidden \(HTTP 403\): this key or account may not do that$/);
});

test('429: over the rate limit is one line with the wait and exit 5', T, async () => {
  const tight = await startDuvo({ rateLimit: { limit: 1, windowMs: 60000 }, oauth: false });
  try {
    const run = (args) => cli(['--url', tight.mcpUrl, ...args], { DUVO_API_KEY: tight.apiKey });
    assert.equal((await run(['call', 'listAgents'])).code, 0);
    const t = Date.now();
    const r = await run(['call', 'listAgents']);
    assert.equal(r.code, EXIT.RATE_LIMITED, r.stderr);
    assert.match(lastLine(r.stderr), /^mcp-wasm: rate limited \(HTTP 429\): retry in \d+s$/);
    assert.ok(Date.now() - t < 15000, 'no long wait');
  } finally {
    await tight.close();
  }
});

test('unreachable server: exit 6, one line', T, async () => {
  const url = `http://127.0.0.1:${await closedPort()}/mcp`;
  const r = await cli(['--url', url, '--timeout', '5000', 'tools'], { MCP_WASM_API_KEY: 'dv_x' });
  assert.equal(r.code, EXIT.NETWORK, r.stderr);
  assert.match(r.stderr, /^mcp-wasm: cannot reach the server at http:\/\/127\.0\.0\.1:\d+\/mcp: .+\n$/);
});

test('usage errors exit 2', T, async () => {
  for (const args of [['bogus'], ['call'], ['run'], ['--url'], ['--header', 'nocolon', 'tools'], ['tools', 'a', 'b'], ['--args', '[1]', 'tools'],
    ['--approve', '--reject', 'tools'], ['logout'], ['--bogus', 'tools']]) {
    const r = await cli(args);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, /^mcp-wasm: .+ \(see mcp-wasm --help\)\n$/);
  }
  const r = await withKey(['call', 'nope']);
  assert.equal(r.code, 2);
  const bad = await withKey(['call', 'listRuns', '--arg', 'limit=1000']);   // checked against the input schema before sending
  assert.equal(bad.code, 2, bad.stderr);
  assert.match(lastLine(bad.stderr), /^mcp-wasm: the arguments do not fit the tool's input schema: \/limit .*100/);
});

test('login: OAuth through the (headless) browser and a loopback redirect; tokens 0600; used, then forgotten', T, async () => {
  // The "browser": a command that fetches the sign-in URL and follows the
  // redirects (Duvo-in-a-box auto-approves) to the CLI's loopback listener.
  const browser = { MCP_WASM_BROWSER: `${process.execPath} -e fetch(process.argv.at(-1)).then((r)=>r.text())` };
  const r = await cli(['--url', duvo.mcpUrl, 'login'], browser);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /visit:\n  http:\/\/127\.0\.0\.1:\d+\/oauth\/authorize\?/);
  assert.match(r.stdout, /^signed in to http:\/\/127\.0\.0\.1:\d+\/v2\/mcp \(\d+ tools\); tokens in .*mcp-wasm\/tokens\.json$/m);
  const file = join(config, 'mcp-wasm', 'tokens.json');
  assert.equal(statSync(file).mode & 0o777, 0o600);
  assert.ok(Object.keys(JSON.parse(readFileSync(file, 'utf8'))).some((k) => k.endsWith(`.tokens|${duvo.mcpUrl}`)));
  assert.ok(duvo.log.some((x) => x.path.startsWith('/oauth/')), 'the authorization server was used');

  const t = await cli(['--url', duvo.mcpUrl, 'tools', 'agent']);   // no key: the stored token
  assert.equal(t.code, 0, t.stderr);
  assert.match(t.stdout, /^listAgents\s/m);

  const out = await cli(['--url', duvo.mcpUrl, 'logout']);
  assert.equal(out.code, 0);
  assert.equal((await cli(['--url', duvo.mcpUrl, 'tools'])).code, EXIT.UNAUTHORIZED);
  assert.ok(existsSync(file));
});
