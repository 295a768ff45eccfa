// The bundled demo server that `mcp-wasm` talks to when no --url is given:
// Duvo-in-a-box (duvo/server.mjs), a local stand-in for Duvo's MCP server.
//   node demo/server.mjs [--mode json|sse] [--port N] [--step-ms N] [--auto-approve]
//   (prints the MCP URL on stdout; the API keys and other URLs on stderr)
//
//   import { startDuvo } from './demo/server.mjs';
//   const duvo = await startDuvo({ runStepMs: 500 });
//   await Client.connect(duvo.mcpUrl, { bearer: duvo.apiKey });  ...  await duvo.close();
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import * as z from 'zod/v4';
import { startMcpHttp } from './mcp-http.mjs';
import { runDuvoCli } from './duvo/server.mjs';

export { startDuvo, DEMO_API_KEY, DEMO_READONLY_KEY, IDS, TEAM_ID, TERMINAL, RUN_STATUSES } from './duvo/server.mjs';

export const DEMO_INFO = { name: 'mcp-wasm-demo', version: '0.1.0' };

/// The earlier demo: four small tools (greet, add, word_count, reverse), no
/// auth, on 127.0.0.1: { url, close() }. Kept for callers not yet on startDuvo.
export async function startDemoServer({ mode = 'sse', port = 0 } = {}) {
  return startMcpHttp({ mode, port, makeServer });
}

function makeServer() {
  const server = new McpServer(DEMO_INFO);
  server.registerTool('greet', {
    title: 'Greet',
    description: 'Says hello to someone',
    inputSchema: { name: z.string().describe('Who to greet') },
  }, async ({ name }) => ({ content: [{ type: 'text', text: `Hello, ${name}! (from the demo MCP server)` }] }));

  server.registerTool('add', {
    title: 'Add',
    description: 'Adds two numbers',
    inputSchema: { a: z.number(), b: z.number() },
    outputSchema: { sum: z.number() },
  }, async ({ a, b }) => ({ content: [{ type: 'text', text: `${a} + ${b} = ${a + b}` }], structuredContent: { sum: a + b } }));

  server.registerTool('word_count', {
    title: 'Word count',
    description: 'Counts the words and characters of a text',
    inputSchema: { text: z.string() },
    outputSchema: { words: z.number(), chars: z.number() },
  }, async ({ text }) => {
    const counts = { words: text.split(/\s+/).filter(Boolean).length, chars: [...text].length };
    return { content: [{ type: 'text', text: `${counts.words} words, ${counts.chars} characters` }], structuredContent: counts };
  });

  server.registerTool('reverse', {
    title: 'Reverse',
    description: 'Reverses a text',
    inputSchema: { text: z.string() },
  }, async ({ text }) => ({ content: [{ type: 'text', text: [...text].reverse().join('') }] }));
  return server;
}

if (import.meta.url === `file://${process.argv[1]}`) await runDuvoCli(process.argv.slice(2));
