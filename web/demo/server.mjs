// The bundled demo MCP server that `mcp-wasm` talks to when no --url is given.
//   node demo/server.mjs [--mode json|sse] [--port N]   (prints the URL)
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import * as z from 'zod/v4';
import { startMcpHttp, runServerCli } from './mcp-http.mjs';

export const DEMO_INFO = { name: 'mcp-wasm-demo', version: '0.1.0' };

/// Starts the demo server on 127.0.0.1: { url, close() }.
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

if (import.meta.url === `file://${process.argv[1]}`) await runServerCli(startDemoServer, process.argv.slice(2));
