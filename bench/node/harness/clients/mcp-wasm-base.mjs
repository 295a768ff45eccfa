// A second build of mcp-wasm for before/after runs: `run.mjs --base DIR`
// (DIR: a web/ snapshot with src/ and dist/) measures it beside the working
// tree's build as "mcp-wasm base", in the same run and load.
import { pathToFileURL } from 'node:url';
import { adapter } from './mcp-wasm.mjs';

if (!process.env.MCPW_BENCH_BASE) throw new Error('mcp-wasm-base: MCPW_BENCH_BASE is not set (run.mjs --base DIR)');
export const { createClient, instantiate } = adapter(await import(new URL('src/entry-node.mjs', pathToFileURL(process.env.MCPW_BENCH_BASE + '/').href).href));
