// The package as a user gets it: `npm pack`, installed (offline) into a fresh
// project, imported by name from node_modules, and its `mcp-wasm` bin run.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from './servers/sdk-server.mjs';
import { TOOL_NAMES } from './helpers.mjs';

const WEB = fileURLToPath(new URL('..', import.meta.url));
const T = { timeout: 60000 };
const tmp = mkdtempSync(path.join(tmpdir(), 'mcpw-pack-'));
const project = path.join(tmp, 'project');
let srv, packed;

function run(cmd, args, cwd) {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { cwd, timeout: 45000, env: { ...process.env, npm_config_update_notifier: 'false' } },
      (err, stdout, stderr) => (err ? reject(new Error(`${cmd} ${args.join(' ')}: ${err.message}\n${stderr}`)) : resolve(stdout)));
  });
}

before(async () => {
  srv = await startServer({ mode: 'sse' });
  [packed] = JSON.parse(await run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', tmp], WEB));
  mkdirSync(project);
  writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'fresh', private: true, type: 'module' }));
  await run('npm', ['install', '--offline', '--no-audit', '--no-fund', path.join(tmp, packed.filename)], project);
});

after(async () => {
  await srv?.close();
  rmSync(tmp, { recursive: true, force: true });
});

test('the tarball holds the entries, the glue, the wasm and the CLI', () => {
  const files = packed.files.map((f) => f.path);
  for (const f of ['package.json', 'src/entry-node.mjs', 'src/entry-browser.mjs', 'src/entry-workerd.mjs',
    'dist/mcpw.mjs', 'dist/mcpw.wasm', 'cli/mcp-wasm.mjs'])
    assert.ok(files.includes(f), `${f} is packed (have: ${files.join(', ')})`);
  assert.ok(!files.some((f) => f.startsWith('test/') || f.startsWith('node_modules/')), 'no tests or node_modules packed');
});

test('import "mcp-wasm" from a fresh project: connect, list, call, close', T, async () => {
  const script = path.join(project, 'use.mjs');
  writeFileSync(script, `import { Client } from 'mcp-wasm';
const c = await Client.connect(process.argv[2]);
const tools = (await c.listTools()).map((t) => t.name).sort();
const r = await c.callTool('add', { a: 1, b: 2 });
await c.close();
console.log(JSON.stringify({ tools, sum: r.structuredContent.sum, version: c.protocolVersion }));
`);
  const out = JSON.parse(await run(process.execPath, [script, srv.url], project));
  assert.deepEqual(out, { tools: TOOL_NAMES, sum: 3, version: '2025-11-25' });
  const resolved = await run(process.execPath, ['--input-type=module', '-e', "console.log(import.meta.resolve('mcp-wasm'))"], project);
  assert.match(resolved.trim(), /node_modules\/mcp-wasm\/src\/entry-node\.mjs$/);
});

test('the installed mcp-wasm bin lists tools', T, async () => {
  const out = await run(path.join(project, 'node_modules/.bin/mcp-wasm'), ['--url', srv.url, 'tools'], project);
  assert.match(out, /^echo\s+text\s+Echoes its text back$/m);
  assert.match(out, new RegExp(`^\\(${TOOL_NAMES.length} tools\\)$`, "m"));
  const pkg = JSON.parse(readFileSync(path.join(project, 'node_modules/mcp-wasm/package.json'), 'utf8'));
  assert.equal(pkg.name, 'mcp-wasm');
});
