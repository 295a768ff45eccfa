// mcp-wasm, from the working tree. validator: 'strict' (default) | 'warn' | 'off'.
import { Client } from '../../../../web/src/entry-node.mjs';

export async function createClient({ url, validator = 'strict' }) {
  const c = await Client.connect(url, { validation: validator, listen: false });
  return {
    listTools: () => c.listTools({ refresh: true }),
    callTool: (name, args) => c.callTool(name, args),
    close: () => c.close(),
  };
}

/// Compiles and instantiates the Wasm module (cold start: measured apart from connect).
export { loadModule as instantiate } from '../../../../web/src/entry-node.mjs';
