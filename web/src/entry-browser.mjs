// Browsers and extensions: fetch the .wasm relative to this file (bundlers
// understand `new URL(..., import.meta.url)`) and compile it while streaming.
import { instantiate } from './load.mjs';
import { setModuleLoader } from './client.mjs';
import { setFlattenLoader } from './flatten.mjs';

let once;
export function loadModule() {
  return (once ??= fetch(new URL('../dist/mcpw.wasm', import.meta.url)).then((res) => instantiate(res)));
}
setModuleLoader(loadModule);
let flattenOnce;
/** The flattener's module (flattenOpenApi and friends), on first use. */
export function loadFlattenModule() {
  return (flattenOnce ??= Promise.all([fetch(new URL('../dist/mcpw-flatten.wasm', import.meta.url)), import('../dist/mcpw-flatten.mjs')])
    .then(([res, glue]) => instantiate(res, glue.default)));
}
setFlattenLoader(loadFlattenModule);
export * from './api.mjs';
