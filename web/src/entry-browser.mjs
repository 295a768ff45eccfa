// Browsers and extensions: fetch the .wasm relative to this file (bundlers
// understand `new URL(..., import.meta.url)`) and compile it while streaming.
import { instantiate } from './load.mjs';
import { setModuleLoader } from './client.mjs';

let once;
export function loadModule() {
  return (once ??= fetch(new URL('../dist/mcpw.wasm', import.meta.url)).then((res) => instantiate(res)));
}
setModuleLoader(loadModule);
export * from './api.mjs';
