// mcp-wasm. validator: 'strict' (default) | 'warn' | 'off'; transport: the
// package's default (Node: node:http) or 'fetch' (Node's fetch, as raw fetch);
// fetch: a fetch function of the caller's (overrides transport). run.mjs points
// MCPW_BENCH_WEB at a snapshot of web/ (src + dist) so that one run measures
// one build even while web/dist is rebuilt; alone it uses the working tree.
import { pathToFileURL } from 'node:url';

/// The adapter over the package entry of one build of web/ (also mcp-wasm-base.mjs).
export function adapter(entry) {
  return {
    async createClient({ url, validator = 'strict', transport, fetch: given }) {
      const fetch = given ?? (transport === 'fetch' ? (input, init) => globalThis.fetch(input, init) : undefined);
      const c = await entry.Client.connect(url, { validation: validator, listen: false, fetch });
      return {
        listTools: () => c.listTools({ refresh: true }),
        callTool: (name, args) => c.callTool(name, args),
        close: () => c.close(),
      };
    },
    /// Compiles and instantiates the Wasm module (cold start: measured apart from connect).
    instantiate: () => entry.loadModule(),
  };
}

const web = process.env.MCPW_BENCH_WEB ? pathToFileURL(process.env.MCPW_BENCH_WEB + '/').href : new URL('../../../../web/', import.meta.url).href;
export const { createClient, instantiate } = adapter(await import(new URL('src/entry-node.mjs', web).href));
