// Duvo-in-a-box in this process, for `mcp-wasm` without --url. It ships with
// the repository (web/demo/duvo), not in the npm package.
import { UsageError } from './args.mjs';

/// Starts it on 127.0.0.1 (any port): {name, url, apiKey, close()}.
/// MCP_WASM_BOX_STEP_MS sets how long each run status step takes (default 500).
export async function startBox(env = process.env) {
  let duvo;
  try {
    duvo = await import('../demo/duvo/server.mjs');
  } catch (e) {
    throw new UsageError(`no --url given and Duvo-in-a-box cannot load here (${e.code ?? e.message}); pass --url`);
  }
  const step = Number(env.MCP_WASM_BOX_STEP_MS ?? 500);
  const box = await duvo.startDuvo({ host: '127.0.0.1', port: 0, runStepMs: Number.isFinite(step) && step >= 0 ? step : 500 });
  return { name: 'Duvo-in-a-box', url: box.mcpUrl, apiKey: box.apiKey, close: () => box.close() };
}
