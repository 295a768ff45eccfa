// workerd (Cloudflare Workers): the .wasm arrives as a compiled
// WebAssembly.Module; compiling from bytes is forbidden there.
import wasm from '../dist/mcpw.wasm';
import { instantiate } from './load.mjs';
import { setModuleLoader } from './client.mjs';

let once;  // one instance per isolate
export function loadModule() {
  return (once ??= instantiate(wasm));
}
setModuleLoader(loadModule);
export * from './api.mjs';
