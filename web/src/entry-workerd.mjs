// workerd (Cloudflare Workers): the .wasm arrives as a compiled
// WebAssembly.Module; compiling from bytes is forbidden there.
import wasm from '../dist/mcpw.wasm';
import { instantiate } from './load.mjs';
import { setModuleLoader } from './client.mjs';
import { setFlattenLoader } from './flatten.mjs';

let once;  // one instance per isolate
export function loadModule() {
  return (once ??= instantiate(wasm));
}
setModuleLoader(loadModule);
let flattenOnce;
/** The flattener's module (flattenOpenApi and friends), on first use: both
 * are imported lazily, so a worker that never flattens does not load them. */
export function loadFlattenModule() {
  return (flattenOnce ??= Promise.all([import('../dist/mcpw-flatten.wasm'), import('../dist/mcpw-flatten.mjs')])
    .then(([wasm, glue]) => instantiate(wasm.default, glue.default)));
}
setFlattenLoader(loadFlattenModule);
export * from './api.mjs';
