// The package as a user gets it: `npm pack`, installed (offline) into a fresh
// project, imported by name from node_modules, and its `mcp-wasm` bin run;
// bundled by esbuild for the browser (run in Debian's Chromium, page and MCP
// endpoint same-origin on 127.0.0.1) and for workerd (run through miniflare);
// a TypeScript consumer type-checked by tsc against the installed types.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from './servers/sdk-server.mjs';
import { TOOL_NAMES, settlesWithin } from './helpers.mjs';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { Miniflare } from 'miniflare';
import { wasmAsModule } from '../worker/build.mjs';

const WEB = fileURLToPath(new URL('..', import.meta.url));
const T = { timeout: 60000 };
const tmp = mkdtempSync(path.join(tmpdir(), 'mcpw-pack-'));
const project = path.join(tmp, 'project');
let srv, packed;

function run(cmd, args, cwd) {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { cwd, timeout: 45000, env: { ...process.env, npm_config_update_notifier: 'false' } },
      (err, stdout, stderr) => (err ? reject(new Error(`${cmd} ${args.join(' ')}: ${err.message}\n${stdout}\n${stderr}`)) : resolve(stdout)));
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
    'dist/mcpw.mjs', 'dist/mcpw.wasm', 'dist/mcpw-flatten.mjs', 'dist/mcpw-flatten.wasm', 'cli/mcp-wasm.mjs'])
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

// The same calls in every bundled runtime: connect, list, call, close.
const USE = `import { Client, McpError } from 'mcp-wasm';
export async function use(url) {
  const c = await Client.connect(url);
  const tools = (await c.listTools()).map((t) => t.name).sort();
  const r = await c.callTool('add', { a: 1, b: 2 });
  // An unknown tool: a tool error result, or a typed McpError, depending on the server.
  const unknown = await c.callTool('no_such_tool', {}).then((x) => (x.isError ? 'isError' : 'no error'),
    (e) => (e instanceof McpError ? e.name : String(e)));
  await c.close();
  return { tools, sum: r.structuredContent.sum, version: c.protocolVersion, unknown, state: c.state };
}
`;
const EXPECTED = { tools: TOOL_NAMES, sum: 3, version: '2025-11-25', state: 'closed' };

/// esbuild from the fresh project's sources: returns the metafile's input paths (relative to the project).
async function bundle(entry, options) {
  const r = await build({ entryPoints: [entry], absWorkingDir: project, bundle: true, format: 'esm', metafile: true, logLevel: 'silent', ...options });
  return Object.keys(r.metafile.inputs);
}

test('esbuild for the browser: the browser entry, run in Chromium against a same-origin MCP endpoint', T, async () => {
  const www = path.join(tmp, 'www');
  mkdirSync(path.join(www, 'app'), { recursive: true });
  mkdirSync(path.join(www, 'dist'));
  writeFileSync(path.join(project, 'use.js'), USE);
  writeFileSync(path.join(project, 'page.js'), "import { use } from './use.js';\nglobalThis.use = use;\n");
  const inputs = await bundle('page.js', { outfile: path.join(www, 'app', 'main.js'), platform: 'browser' });
  assert.ok(inputs.includes('node_modules/mcp-wasm/src/entry-browser.mjs'), inputs.join());
  assert.ok(!inputs.some((i) => /entry-(node|workerd)/.test(i)), inputs.join());
  const code = readFileSync(path.join(www, 'app', 'main.js'), 'utf8');
  assert.doesNotMatch(code, /\beval\s*\(|new\s+Function\b|node:/);
  // esbuild keeps `new URL('../dist/mcpw.wasm', import.meta.url)`: the wasm goes where that URL points.
  assert.match(code, /new URL\(["']\.\.\/dist\/mcpw\.wasm["'], import\.meta\.url\)/);
  copyFileSync(path.join(project, 'node_modules/mcp-wasm/dist/mcpw.wasm'), path.join(www, 'dist', 'mcpw.wasm'));
  writeFileSync(path.join(www, 'index.html'), '<!doctype html><title>mcp-wasm</title><script type="module" src="/app/main.js"></script>');

  const types = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm' };
  const proxied = [], served = [];
  const http = createServer(async (req, res) => {
    const { pathname } = new URL(req.url, 'http://x');
    try {
      if (pathname === '/mcp') return await proxy(req, res, srv.url, proxied);
      served.push(pathname);
      const file = path.join(www, pathname === '/' ? 'index.html' : pathname);
      if (!file.startsWith(www + path.sep)) throw new Error('outside');
      const body = readFileSync(file);
      res.writeHead(200, { 'content-type': types[path.extname(file)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      if (!res.headersSent) res.writeHead(404);
      res.end();
    }
  });
  await new Promise((resolve) => http.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${http.address().port}`;
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium', headless: false, timeout: 30000,
    args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const page = await browser.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${origin}/`, { timeout: 20000 });
    await page.waitForFunction(() => typeof globalThis.use === 'function', null, { timeout: 20000 });
    const out = await settlesWithin(page.evaluate((url) => globalThis.use(url), `${origin}/mcp`), 30000, 'use() in Chromium');
    assert.deepEqual(out, { ...EXPECTED, unknown: out.unknown });
    assert.match(out.unknown, /^(isError|\w+Error)$/);
    assert.deepEqual(errors, []);
    assert.deepEqual(served.filter((p) => p !== '/favicon.ico'), ['/', '/app/main.js', '/dist/mcpw.wasm']);
    assert.ok(proxied.includes('POST') && proxied.includes('DELETE'), `the page's requests went through the origin: ${proxied}`);
  } finally {
    await browser.close();
    await new Promise((resolve) => { http.close(resolve); http.closeAllConnections(); });
  }
});

/// Forwards one request to `target` (the SDK server), streaming the answer back.
async function proxy(req, res, target, seen) {
  seen.push(req.method);
  const chunks = [];
  for await (const c of req) chunks.push(c);
  const headers = {};
  for (const [k, v] of Object.entries(req.headers)) if (!['host', 'connection', 'content-length', 'origin', 'referer'].includes(k)) headers[k] = v;
  const r = await fetch(target, { method: req.method, headers, body: chunks.length ? Buffer.concat(chunks) : undefined, signal: AbortSignal.timeout(20000) });
  const out = {};
  r.headers.forEach((v, k) => { if (!['content-length', 'content-encoding', 'transfer-encoding', 'connection', 'keep-alive'].includes(k)) out[k] = v; });
  res.writeHead(r.status, out);
  if (r.body) for await (const c of r.body) res.write(c);
  res.end();
}

test('esbuild for workerd: the workerd entry, the wasm a CompiledWasm module, run in workerd', T, async () => {
  const outdir = path.join(tmp, 'worker');
  mkdirSync(outdir);
  writeFileSync(path.join(project, 'use.js'), USE);
  writeFileSync(path.join(project, 'worker.js'), `import { use } from './use.js';
export default { async fetch(req, env) { return Response.json(await use(env.MCP_URL)); } };
`);
  const inputs = await bundle('worker.js', { outfile: path.join(outdir, 'worker.mjs'), platform: 'neutral',
    conditions: ['workerd', 'worker', 'browser'], plugins: [wasmAsModule(outdir)] });
  assert.ok(inputs.includes('node_modules/mcp-wasm/src/entry-workerd.mjs'), inputs.join());
  const code = readFileSync(path.join(outdir, 'worker.mjs'), 'utf8');
  assert.match(code, /from\s*["']\.\/mcpw\.wasm["']/);
  assert.doesNotMatch(code, /\beval\s*\(|new\s+Function\b/);
  const mf = new Miniflare({
    host: '127.0.0.1', port: 0, modulesRoot: outdir, compatibilityDate: '2025-01-01', bindings: { MCP_URL: srv.url },
    modules: [{ type: 'ESModule', path: path.join(outdir, 'worker.mjs') }, { type: 'CompiledWasm', path: path.join(outdir, 'mcpw.wasm') }],
  });
  try {
    await settlesWithin(mf.ready, 30000, 'miniflare start');
    const res = await settlesWithin(mf.dispatchFetch('http://worker/'), 30000, 'worker fetch');
    const out = await res.json();
    assert.equal(res.status, 200, JSON.stringify(out));
    assert.deepEqual(out, { ...EXPECTED, unknown: out.unknown });
    assert.match(out.unknown, /^(isError|\w+Error)$/);
  } finally {
    await mf.dispose();
  }
});

const CONSUMER = `import {
  Client, compileSchema, flattenOpenApi, McpError, HttpError, UnauthorizedError, RateLimitedError, TransportError,
  ValidationError, RpcError, type Tool, type CallToolResult, type CompiledSchema, type FlatTool, type PollResult,
} from 'mcp-wasm';

export async function main(url: string): Promise<number> {
  const client: Client = await Client.connect(new URL(url), { clientInfo: { name: 'ts', version: '1' } });
  const tools: Tool[] = await client.listTools({ refresh: true });
  const names: string[] = tools.map((t) => t.name);
  const r: CallToolResult = await client.callTool('add', { a: 1, b: 2 }, { timeoutMs: 5000 });
  const sum = (r.structuredContent as { sum?: number } | undefined)?.sum ?? 0;
  const schema: CompiledSchema = await compileSchema({ type: 'object' }, { formats: 'assert', output: 'basic' });
  const v = schema.validate('{}');
  if (!v.valid) for (const e of v.errors) console.log(e.instanceLocation, e.keywordLocation, e.message);
  schema.dispose();
  const flat = await flattenOpenApi({ openapi: '3.1.0', info: { title: 't', version: '1' }, paths: {} }, { maxOperations: 10 });
  const flatTools: FlatTool[] = flat.tools;
  for (const d of flat.diagnostics) console.log(d.code, d.message);
  const handle = client.callAndPoll('startRun', { agent_id: 'a' }, {
    intervalMs: 100, timeoutMs: 1000, onProgress: (p) => console.log(p.attempt, p.status),
    onHumanRequest: async (req) => ({ answers: { [req.id]: 'yes' } }),
  });
  const started: { jobId: unknown } = await handle.started;
  handle.cancelWait();
  try {
    const done: PollResult = await handle;
    console.log(started.jobId, done.status, done.attempts);
  } catch (e) {
    if (e instanceof RateLimitedError) { const wait: number | null = e.retryAfterMs; console.log(wait); }
    else if (e instanceof UnauthorizedError) { const status: number = e.status; console.log(status); }
    else if (e instanceof HttpError) console.log(e.status, e.code);
    else if (e instanceof ValidationError) console.log(e.errors.map((x) => x.keywordLocation));
    else if (e instanceof RpcError) { const code: number = e.rpcCode; console.log(code); }
    else if (e instanceof TransportError) console.log(e.kind);
    else if (e instanceof McpError) { const code: string = e.code; console.log(code, e.data); }
    else throw e;
  }
  await client.close();
  return names.length + sum + flatTools.length;
}
`;

test('tsc --noEmit: a TypeScript consumer type-checks against the installed types (bundler and node16 resolution)', { timeout: 150000 }, async () => {
  const dir = path.join(tmp, 'ts');
  mkdirSync(dir);
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'ts-consumer', private: true, type: 'module' }));
  writeFileSync(path.join(dir, 'consumer.ts'), CONSUMER);
  // A wrong call must fail: the types are really found (not `any`).
  writeFileSync(path.join(dir, 'wrong.ts'), "import { Client } from 'mcp-wasm';\nexport const f = (c: Client) => c.callTool(42);\n");
  const tsc = path.join(WEB, 'node_modules/typescript/bin/tsc');
  const config = (file, compilerOptions) => {
    writeFileSync(path.join(dir, file), JSON.stringify({ compilerOptions: {
      strict: true, noEmit: true, target: 'ES2022', lib: ['ES2022', 'DOM'], types: [], skipLibCheck: false,
      ...compilerOptions }, files: ['consumer.ts'] }));
    return path.join(dir, file);
  };
  // node_modules/mcp-wasm is the installed tarball: link the fresh project's node_modules in.
  symlinkSync(path.join(project, 'node_modules'), path.join(dir, 'node_modules'));
  for (const [file, opts] of [['tsconfig.bundler.json', { module: 'preserve', moduleResolution: 'bundler' }],
    ['tsconfig.node16.json', { module: 'node16', moduleResolution: 'node16' }]]) {
    const out = await run(process.execPath, [tsc, '-p', config(file, opts), '--listFiles'], dir)
      .catch((e) => assert.fail(`${file}: ${e.message}`));
    assert.match(out, /node_modules\/mcp-wasm\/src\/index\.d\.ts$/m, `${file}: the installed package's types are checked`);
  }
  writeFileSync(path.join(dir, 'tsconfig.wrong.json'), JSON.stringify({ compilerOptions: { strict: true, noEmit: true, module: 'preserve',
    moduleResolution: 'bundler', lib: ['ES2022', 'DOM'], types: [] }, files: ['wrong.ts'] }));
  await assert.rejects(run(process.execPath, [tsc, '-p', path.join(dir, 'tsconfig.wrong.json')], dir),
    /wrong\.ts\(2,\d+\): error TS2345: Argument of type 'number' is not assignable to parameter of type 'string'/);
});
