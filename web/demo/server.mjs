// The bundled demo server that `mcp-wasm` talks to when no --url is given:
// Duvo-in-a-box (duvo/server.mjs, described in duvo/README.md), a local
// stand-in for Duvo's MCP server.
//   node demo/server.mjs [--mode json|sse] [--port N] [--step-ms N] [--auto-approve]
//   (prints the MCP URL on stdout; the API keys and other URLs on stderr)
//
//   import { startDuvo } from './demo/server.mjs';
//   const duvo = await startDuvo({ runStepMs: 500 });
//   await Client.connect(duvo.mcpUrl, { bearer: duvo.apiKey });  ...  await duvo.close();
import { startDuvo, runDuvoCli } from './duvo/server.mjs';

export { startDuvo, DEMO_API_KEY, DEMO_READONLY_KEY, IDS, TEAM_ID, TERMINAL, RUN_STATUSES } from './duvo/server.mjs';

/// The earlier entry point, kept for old callers: Duvo-in-a-box with `url`
/// being its MCP endpoint (/v2/mcp), as the earlier demo's was. Send `apiKey`.
export async function startDemoServer({ mode = 'sse', port = 0, ...options } = {}) {
  const duvo = await startDuvo({ mcpMode: mode, port, ...options });
  return { ...duvo, origin: duvo.url, url: duvo.mcpUrl };
}

if (import.meta.url === `file://${process.argv[1]}`) await runDuvoCli(process.argv.slice(2));
