// A second build of mcp-wasm for before/after runs: `run.mjs --base DIR`
// (DIR: a web/ snapshot with src/ and dist/) measures it beside the working
// tree's build as "mcp-wasm base", in the same run and load.
import { pathToFileURL } from 'node:url';

if (!process.env.MCPW_BENCH_BASE) throw new Error('mcp-wasm-base: MCPW_BENCH_BASE is not set (run.mjs --base DIR)');
const entry = await import(new URL('src/entry-node.mjs', pathToFileURL(process.env.MCPW_BENCH_BASE + '/').href).href);

export async function createClient({ url, validator = 'strict' }) {
  const c = await entry.Client.connect(url, { validation: validator, listen: false });
  return {
    listTools: () => c.listTools({ refresh: true }),
    callTool: (name, args) => c.callTool(name, args),
    close: () => c.close(),
  };
}

export const instantiate = () => entry.loadModule();
