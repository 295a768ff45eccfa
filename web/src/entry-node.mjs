// Node: read the .wasm next to the package and compile it.
import { readFile } from 'node:fs/promises';
import { instantiate } from './load.mjs';
import { setDefaultFetch, setModuleLoader } from './client.mjs';
import { nodeFetch } from './node-fetch.mjs';

let once;
export function loadModule() {
  return (once ??= readFile(new URL('../dist/mcpw.wasm', import.meta.url)).then(instantiate));
}
setModuleLoader(loadModule);
setDefaultFetch(nodeFetch);
export * from './api.mjs';
