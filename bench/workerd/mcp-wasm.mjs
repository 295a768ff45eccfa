// mcp-wasm in workerd: the package's workerd entry (the .wasm imported as a
// module, handed over through instantiateWasm). validator: 'strict' | 'warn' | 'off'.
import { Client } from '../../web/src/entry-workerd.mjs';

export async function createClient({ url, validator = 'strict' }) {
  const c = await Client.connect(url, { validation: validator, listen: false });
  return {
    listTools: () => c.listTools({ refresh: true }),
    callTool: (name, args) => c.callTool(name, args),
    close: () => c.close(),
  };
}
