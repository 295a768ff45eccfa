// Assembles the loadable (unpacked) extension: this folder's files (but this one and READMEs) plus the
// package's src/ and dist/ as mcp-wasm/.   node extension/build.mjs OUTDIR
import { cpSync, mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export function buildExtension(outdir) {
  const here = fileURLToPath(new URL('.', import.meta.url));
  const pkg = fileURLToPath(new URL('..', import.meta.url));
  mkdirSync(outdir, { recursive: true });
  for (const f of readdirSync(here)) if (f !== 'build.mjs' && !f.endsWith('.md')) cpSync(path.join(here, f), path.join(outdir, f));
  for (const d of ['src', 'dist']) cpSync(path.join(pkg, d), path.join(outdir, 'mcp-wasm', d), { recursive: true });
  return outdir;
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(buildExtension(path.resolve(process.argv[2] ?? 'build/extension')));
