// Instantiates an Emscripten module (by default the client's; the flattener's
// glue is passed in by the entries) from a compiled WebAssembly.Module or
// from bytes / a Response. The glue never fetches or reads the .wasm itself:
// each runtime's entry hands it over (RUNTIME.md "Loading the same .wasm").
import createMcpwModule from '../dist/mcpw.mjs';

export async function instantiate(source, factory = createMcpwModule) {
  let module;
  if (source instanceof WebAssembly.Module) module = source;
  else if (source instanceof ArrayBuffer || ArrayBuffer.isView(source)) module = await WebAssembly.compile(source);
  else {
    // A Response: stream-compile it; a server that sends the wrong MIME type
    // makes compileStreaming fail, so fall back to the bytes.
    const copy = source.clone();
    try { module = await WebAssembly.compileStreaming(source); }
    catch { module = await WebAssembly.compile(await copy.arrayBuffer()); }
  }

  let fail;
  const failed = new Promise((_, reject) => { fail = reject; });
  const ready = factory({
    locateFile: (p) => p,  // keeps the glue from touching import.meta.url
    instantiateWasm(imports, receiveInstance) {
      WebAssembly.instantiate(module, imports).then((instance) => receiveInstance(instance, module), fail);
      return {};
    },
    onAbort: (what) => fail(new Error('mcp-wasm module aborted: ' + what)),
  });
  // Emscripten 3.1.6 never rejects `ready` when instantiateWasm fails.
  return Promise.race([ready, failed]);
}
