// The test MCP server: @modelcontextprotocol/sdk's McpServer behind
// StreamableHTTPServerTransport (stateful sessions) on 127.0.0.1.
//   import { startServer } from './servers/sdk-server.mjs';
//   const srv = await startServer({ mode: 'sse' });  // srv.url, srv.log, await srv.close()
//   node test/servers/sdk-server.mjs --mode sse --port 0   (prints the URL)
import { McpServer, ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js';
import * as z from 'zod/v4';
import { ElicitResultSchema, CreateMessageResultSchema, ListRootsResultSchema } from '@modelcontextprotocol/sdk/types.js';
import { startMcpHttp, runServerCli } from '../../demo/mcp-http.mjs';

export const SERVER_INFO = { name: 'mcpw-test-server', version: '1.2.3' };

/// mode: 'json' | 'sse'. pageSize: if > 0, tools/list answers in pages of that
/// size (nextCursor). protocolVersion: if set, initialize answers this version
/// whatever the client asked (to test the client's fallback).
export async function startServer({ mode = 'json', port = 0, pageSize = 0, protocolVersion, acceptToken } = {}) {
  return startMcpHttp({ mode, port, acceptToken, makeServer: () => makeServer({ pageSize, protocolVersion }) });
}

function makeServer({ pageSize, protocolVersion }) {
  const server = new McpServer(SERVER_INFO, { capabilities: { logging: {} } });
  server.registerTool('echo', {
    description: 'Echoes its text back',
    inputSchema: { text: z.string() },
  }, async ({ text }) => ({ content: [{ type: 'text', text }] }));

  server.registerTool('add', {
    description: 'Adds two numbers',
    inputSchema: { a: z.number(), b: z.number() },
    outputSchema: { sum: z.number() },
  }, async ({ a, b }) => ({
    content: [{ type: 'text', text: String(a + b) }],
    structuredContent: { sum: a + b },
  }));

  // Sends a log message (and progress, when the caller asked for it) on the
  // request's own stream before answering: in SSE mode the answer is then the
  // last of several events.
  server.registerTool('notify', {
    description: 'Sends notifications, then answers',
    inputSchema: { steps: z.number().int().min(1).max(10).default(2) },
  }, async ({ steps }, extra) => {
    const token = extra._meta?.progressToken;
    for (let i = 1; i <= steps; i++) {
      await extra.sendNotification({ method: 'notifications/message', params: { level: 'info', data: `step ${i}/${steps}` } });
      if (token !== undefined)
        await extra.sendNotification({ method: 'notifications/progress', params: { progressToken: token, progress: i, total: steps } });
    }
    return { content: [{ type: 'text', text: `done after ${steps} steps` }] };
  });

  // Members in non-alphabetical order, to check the client keeps the server's order.
  server.registerTool('ordered', {
    description: 'Answers with members in a fixed, non-alphabetical order',
    inputSchema: { zeta: z.string(), alpha: z.number().optional(), mid: z.boolean().optional() },
  }, async ({ zeta }) => ({
    content: [{ type: 'text', text: zeta }],
    structuredContent: { zeta, alpha: 1, mid: true, beta: { y: 1, x: 2 } },
  }));

  // Server-to-client requests on the call's own stream (SSE mode only: a JSON
  // answer has no room for them).
  server.registerTool('ask', {
    description: 'Asks the user (elicitation) and answers with what they said',
    inputSchema: {},
  }, async (_args, extra) => {
    const r = await extra.sendRequest({ method: 'elicitation/create', params: {
      mode: 'form', message: 'Your name?',
      requestedSchema: { type: 'object', properties: {
        name: { type: 'string' }, color: { type: 'string', default: 'blue' } }, required: ['name'] } } }, ElicitResultSchema);
    return { content: [{ type: 'text', text: JSON.stringify(r) }] };
  });
  server.registerTool('sample', {
    description: 'Asks the client to sample a message',
    inputSchema: {},
  }, async (_args, extra) => {
    const r = await extra.sendRequest({ method: 'sampling/createMessage', params: {
      messages: [{ role: 'user', content: { type: 'text', text: 'Say hi' } }], maxTokens: 10 } }, CreateMessageResultSchema);
    return { content: [{ type: 'text', text: r.content.text }] };
  });
  server.registerTool('roots', {
    description: 'Lists the client roots',
    inputSchema: {},
  }, async (_args, extra) => {
    const r = await extra.sendRequest({ method: 'roots/list' }, ListRootsResultSchema);
    return { content: [{ type: 'text', text: r.roots.map((x) => x.uri).join(',') }] };
  });
  // Progress every `gapMs` for `steps` steps, then the answer.
  server.registerTool('slow', {
    description: 'Answers after steps x gapMs, with progress on each step',
    inputSchema: { steps: z.number().int().min(1).max(20), gapMs: z.number().int().min(1).max(2000) },
  }, async ({ steps, gapMs }, extra) => {
    const token = extra._meta?.progressToken;
    for (let i = 1; i <= steps; i++) {
      await new Promise((r) => setTimeout(r, gapMs));
      if (token !== undefined)
        await extra.sendNotification({ method: 'notifications/progress', params: { progressToken: token, progress: i, total: steps } });
    }
    return { content: [{ type: 'text', text: `slept ${steps}x${gapMs}ms` }] };
  });

  server.registerResource('readme', 'docs://readme', { mimeType: 'text/plain', description: 'The readme' },
    async (uri) => ({ contents: [{ uri: uri.href, mimeType: 'text/plain', text: 'Read me first.' }] }));
  server.registerResource('greeting', new ResourceTemplate('greeting://{name}', {
    list: undefined,
    complete: { name: (value) => ['ada', 'alan', 'grace'].filter((n) => n.startsWith(value)) },
  }), { description: 'A greeting for someone' },
  async (uri, { name }) => ({ contents: [{ uri: uri.href, text: `Hello, ${name}!` }] }));
  server.registerPrompt('review', {
    description: 'Asks for a code review',
    argsSchema: { language: z.string() },
  }, ({ language }) => ({ messages: [{ role: 'user', content: { type: 'text', text: `Review this ${language} code.` } }] }));

  // Registers one more tool: the SDK then sends notifications/tools/list_changed
  // on the session's GET stream.
  let grown = 0;
  server.registerTool('grow', {
    description: 'Adds a tool to this server',
    inputSchema: {},
  }, async () => {
    const name = `grown-${++grown}`;
    server.registerTool(name, { description: 'Added at run time', inputSchema: {} },
      async () => ({ content: [{ type: 'text', text: name }] }));
    return { content: [{ type: 'text', text: name }] };
  });

  server.registerTool('fail', {
    description: 'Always reports a tool error (isError: true)',
    inputSchema: {},
  }, async () => ({ content: [{ type: 'text', text: 'this tool always fails' }], isError: true }));

  // Wraps SDK handlers; the SDK has no public hook for either, so this reaches
  // into Protocol's handler map (test server only).
  const handlers = server.server._requestHandlers;
  if (pageSize > 0) {
    const listAll = handlers.get('tools/list');
    handlers.set('tools/list', async (req, extra) => {
      const { tools } = await listAll(req, extra);
      const start = Number(req.params?.cursor ?? 0);
      const page = tools.slice(start, start + pageSize);
      const next = start + pageSize < tools.length ? String(start + pageSize) : undefined;
      return next ? { tools: page, nextCursor: next } : { tools: page };
    });
  }
  if (protocolVersion) {
    const init = handlers.get('initialize');
    handlers.set('initialize', async (req, extra) => ({ ...(await init(req, extra)), protocolVersion }));
  }
  return server;
}

// Run as a script, but not when `node --test test/` loads this file as if it were a test.
if (import.meta.url === `file://${process.argv[1]}` && !process.env.NODE_TEST_CONTEXT)
  await runServerCli(startServer, process.argv.slice(2));
