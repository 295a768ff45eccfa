// Node: read the .wasm next to the package and compile it.
import { readFile } from 'node:fs/promises';
import { instantiate } from './load.mjs';
import { setDefaultFetch, setModuleLoader } from './client.mjs';
import { nodeFetch } from './node-fetch.mjs';
import { setFlattenLoader } from './flatten.mjs';

let once;
export function loadModule() {
  return (once ??= readFile(new URL('../dist/mcpw.wasm', import.meta.url)).then(instantiate));
}
setModuleLoader(loadModule);
let flattenOnce;
/** The flattener's module (flattenOpenApi and friends), on first use. */
export function loadFlattenModule() {
  return (flattenOnce ??= Promise.all([readFile(new URL('../dist/mcpw-flatten.wasm', import.meta.url)), import('../dist/mcpw-flatten.mjs')])
    .then(([bytes, glue]) => instantiate(bytes, glue.default)));
}
setFlattenLoader(loadFlattenModule);
setDefaultFetch(nodeFetch);
export * from './api.mjs';
