// Bundles worker.mjs with esbuild as a bundler user would: the `workerd`
// export condition picks the package's workerd entry, and every imported .wasm
// stays a separate file beside the bundle, imported as a module (workerd's
// CompiledWasm), never inlined or compiled from bytes at run time.
//   node worker/build.mjs OUTDIR   -> OUTDIR/worker.mjs + OUTDIR/*.wasm
import { build } from 'esbuild';
import { copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/// esbuild plugin: every imported .wasm copied into outdir and left as an import (workerd CompiledWasm).
export const wasmAsModule = (outdir) => ({
  name: 'wasm-as-module',
  setup(b) {
    b.onResolve({ filter: /\.wasm$/ }, (args) => {
      const file = path.resolve(args.resolveDir, args.path);
      copyFileSync(file, path.join(outdir, path.basename(file)));
      return { path: './' + path.basename(file), external: true };
    });
  },
});

/// Returns { entry, wasm: [file names] } inside outdir.
export async function buildWorker(outdir) {
  mkdirSync(outdir, { recursive: true });
  const result = await build({
    entryPoints: [fileURLToPath(new URL('./worker.mjs', import.meta.url))],
    outfile: path.join(outdir, 'worker.mjs'),
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    conditions: ['workerd', 'worker', 'browser'],
    plugins: [wasmAsModule(outdir)],
    metafile: true,
    logLevel: 'silent',
  });
  const wasm = Object.values(result.metafile.outputs).flatMap((o) => o.imports)
    .filter((i) => i.external && i.path.endsWith('.wasm')).map((i) => i.path.replace(/^\.\//, ''));
  return { entry: path.join(outdir, 'worker.mjs'), wasm: [...new Set(wasm)] };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const outdir = path.resolve(process.argv[2] ?? 'build/worker');
  console.log(JSON.stringify(await buildWorker(outdir)));
}
