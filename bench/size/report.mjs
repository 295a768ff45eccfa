// Size report (issue 9): what a browser or worker loads for mcp-wasm (wasm +
// Emscripten glue + the package's JS, bundled and minified by esbuild) next to
// an esbuild bundle of the official SDK's minimal client (Client +
// StreamableHTTPClientTransport), with its OAuth module and with it stubbed out.
// Sizes: raw, gzip -9, brotli q11. Exits 1 when mcp-wasm's gzip total is over
// the budget in size-budget.json (pass --no-budget to only print).
//
//   node bench/size/report.mjs [--json] [--no-budget]
import { readFileSync, mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const web = join(root, 'web');
const require = createRequire(join(web, 'package.json'));
const esbuild = require('esbuild');
const sdkDir = join(web, 'node_modules/@modelcontextprotocol/sdk');
const sdkVersion = JSON.parse(readFileSync(join(sdkDir, 'package.json'), 'utf8')).version;

export function sizes(bytes) {
  return {
    raw: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
    brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
}

async function bundle(entrySource, { stubAuth = false, external = [] } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'mcpw-size-'));
  try {
    const entry = join(dir, 'entry.mjs');
    writeFileSync(entry, entrySource);
    const plugins = [];
    if (stubAuth) {
      // The SDK's client/auth.js (OAuth: discovery, DCR, PKCE, token refresh) and what
      // only it pulls in become a stub with the three names streamableHttp.js imports.
      plugins.push({
        name: 'stub-auth',
        setup(b) {
          b.onResolve({ filter: /\/auth\.js$/ }, (a) =>
            a.importer.endsWith(join('client', 'streamableHttp.js')) ? { path: 'auth-stub', namespace: 'stub' } : undefined);
          b.onLoad({ filter: /.*/, namespace: 'stub' }, () => ({
            contents: 'export class UnauthorizedError extends Error {}\n' +
              'export async function auth() { throw new UnauthorizedError(); }\n' +
              'export function extractWWWAuthenticateParams() { return {}; }\n',
            loader: 'js',
          }));
        },
      });
    }
    // Code splitting, as app bundlers do: what is imported dynamically (the
    // flattener's glue) becomes a chunk of its own, loaded only when used.
    const out = await esbuild.build({
      entryPoints: [entry], bundle: true, minify: true, format: 'esm', platform: 'browser',
      target: 'es2022', write: false, nodePaths: [join(web, 'node_modules')], plugins, external,
      logLevel: 'silent', absWorkingDir: web, splitting: true, outdir: join(dir, 'out'),
    });
    const main = out.outputFiles.find((f) => f.path.endsWith('entry.js'));
    const lazy = out.outputFiles.filter((f) => f !== main).map((f) => Buffer.from(f.contents));
    return Object.assign(Buffer.from(main.contents), { lazy: Buffer.concat(lazy) });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const sdkEntry = `
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
export async function connect(url) {
  const client = new Client({ name: 'size', version: '1' });
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
  return client;
}
`;

export async function report() {
  const wasm = readFileSync(join(web, 'dist/mcpw.wasm'));
  const glue = readFileSync(join(web, 'dist/mcpw.mjs'));
  // The package's browser entry with the glue, as an app bundler would ship it.
  const js = await bundle(`export * from ${JSON.stringify(join(web, 'src/entry-browser.mjs'))};\n`);
  const rows = {
    'mcpw.wasm': sizes(wasm),
    'mcpw.mjs (glue, unminified)': sizes(glue),
    'mcp-wasm JS bundle (glue + src, esbuild min)': sizes(js),
  };
  const total = (a, b) => ({ raw: a.raw + b.raw, gzip: a.gzip + b.gzip, brotli: a.brotli + b.brotli });
  rows['mcp-wasm total (wasm + JS bundle)'] = total(rows['mcpw.wasm'], rows['mcp-wasm JS bundle (glue + src, esbuild min)']);
  // Loaded only on the first flattenOpenApi/buildRequest/parseRequest/adaptTools.
  rows['flattener, on first use: mcpw-flatten.wasm + its glue chunk'] =
    total(sizes(readFileSync(join(web, 'dist/mcpw-flatten.wasm'))), sizes(js.lazy));
  rows[`SDK ${sdkVersion} Client+StreamableHTTP (with auth)`] = sizes(await bundle(sdkEntry));
  rows[`SDK ${sdkVersion} Client+StreamableHTTP (auth stubbed)`] = sizes(await bundle(sdkEntry, { stubAuth: true }));
  return rows;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const rows = await report();
  if (process.argv.includes('--json')) {
    console.log(JSON.stringify(rows, null, 2));
  } else {
    console.log(`${'bundle'.padEnd(62)} ${'raw'.padStart(9)} ${'gzip'.padStart(8)} ${'brotli'.padStart(8)}`);
    for (const [k, v] of Object.entries(rows)) {
      console.log(`${k.padEnd(62)} ${String(v.raw).padStart(9)} ${String(v.gzip).padStart(8)} ${String(v.brotli).padStart(8)}`);
    }
  }
  if (!process.argv.includes('--no-budget')) {
    const budget = JSON.parse(readFileSync(join(root, 'size-budget.json'), 'utf8'));
    const gzip = rows['mcp-wasm total (wasm + JS bundle)'].gzip;
    if (gzip > budget.bundleGzip) {
      console.error(`size budget exceeded: mcp-wasm total gzip ${gzip} > ${budget.bundleGzip} (size-budget.json)`);
      process.exit(1);
    }
    console.log(`size budget ok: mcp-wasm total gzip ${gzip} <= ${budget.bundleGzip}`);
  }
}
