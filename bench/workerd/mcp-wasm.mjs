// mcp-wasm in workerd: the package's workerd entry (the .wasm imported as a
// module, handed over through instantiateWasm). validator: 'strict' | 'warn' | 'off';
// fetch: a fetch function of the caller's (default: the runtime's).
import { Client } from '../../web/src/entry-workerd.mjs';

export async function createClient({ url, validator = 'strict', fetch }) {
  const c = await Client.connect(url, { validation: validator, listen: false, fetch });
  return {
    listTools: () => c.listTools({ refresh: true }),
    callTool: (name, args) => c.callTool(name, args),
    close: () => c.close(),
  };
}
