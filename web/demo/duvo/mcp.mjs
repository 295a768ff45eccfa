// The MCP face of Duvo-in-a-box: every operation of openapi.json as a tool,
// flattened by mcp-wasm's own flattener, served by the official SDK's
// low-level Server (the schemas are JSON Schema, not zod). tools/call builds
// the REST request from the flat arguments (buildRequest) and dispatches it
// into rest.mjs in-process; the result is the REST response (text and
// structuredContent), an HTTP error an isError result carrying status and body.
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { CallToolRequestSchema, ListToolsRequestSchema, McpError, ErrorCode } from '@modelcontextprotocol/sdk/types.js';
import { flattenOpenApi, buildRequest } from 'mcp-wasm';
import { scopeOf } from './rest.mjs';
import { legacyCatalog, legacyPage, legacyCall } from './legacy-catalog.mjs';

export const SERVER_INFO = { name: 'duvo-in-a-box', version: '1.0.0' };
const BASE = 'https://duvo.invalid';  // buildRequest wants a base URL; only the target is used
const INSTRUCTIONS = 'Duvo-in-a-box: the Duvo Public API as tools. Runs are not streamed: start one with startRun, '
  + 'then poll getRun (or listRunMessages) until its status is completed, failed, interrupted, stopped or needs_attention. '
  + 'A run in `waiting` has a pending_human_request: answer it with respondToHumanRequest.';

/// Flattens the document once: { tools (MCP Tool objects), byName (name -> flat tool),
/// legacy (the /v1/mcp catalog), scopeOf(name) ('read' | 'write' | undefined), diagnostics }.
export async function makeToolSet(document, { legacyToolCount = 380 } = {}) {
  const { tools, diagnostics } = await flattenOpenApi(document);
  const byName = new Map(tools.map((t) => [t.name, t]));
  const listed = tools.map((t) => {
    const method = t.binding.method;
    const tool = { name: t.name, description: t.description, inputSchema: t.inputSchema,
      annotations: { readOnlyHint: method === 'GET', destructiveHint: method === 'DELETE', idempotentHint: ['GET', 'PUT', 'DELETE'].includes(method), openWorldHint: false } };
    if (t.title) tool.title = t.title;
    if (t.outputSchema) tool.outputSchema = t.outputSchema;
    return tool;
  });
  const legacy = legacyCatalog(listed, legacyToolCount);
  const toolScope = (name) => (byName.has(name) ? scopeOf(byName.get(name).binding.method) : legacy.scopes.get(name));
  return { tools: listed, byName, legacy, scopeOf: toolScope, diagnostics };
}

/// Runs one tool call against the REST implementation as `principal`.
export async function callTool(toolSet, rest, name, args, principal) {
  const tool = toolSet.byName.get(name);
  if (!tool) throw new McpError(ErrorCode.InvalidParams, `Unknown tool: ${name}`);
  let req;
  try {
    req = await buildRequest(tool, args ?? {}, { baseUrl: BASE });
  } catch (e) {
    return { isError: true, content: [{ type: 'text', text: `Invalid arguments for ${name}: ${e.message}` }] };
  }
  const res = await rest.dispatch({ method: req.method, target: req.url.slice(BASE.length), headers: req.headers, body: req.body, principal });
  if (res.status >= 400) {
    return { isError: true, content: [{ type: 'text', text: JSON.stringify({ status: res.status, ...res.body }) }] };
  }
  if (res.body === null) return { content: [{ type: 'text', text: `HTTP ${res.status}: done, no content` }] };
  const result = { content: [{ type: 'text', text: JSON.stringify(res.body, null, 2) }] };
  if (tool.outputSchema) result.structuredContent = tool.binding.outputWrapped ? { result: res.body } : res.body;
  return result;
}

/// A fresh, unconnected SDK Server for one session. The caller comes from
/// the transport's authInfo (set by the HTTP layer): extra.principal.
/// legacy: the /v1/mcp catalog (~380 tools, listed in pages).
export function makeMcpServer(toolSet, rest, { legacy = false } = {}) {
  const server = new Server(SERVER_INFO, { capabilities: { tools: { listChanged: false } }, instructions: INSTRUCTIONS });
  server.setRequestHandler(ListToolsRequestSchema, async (request) => {
    if (!legacy) return { tools: toolSet.tools };
    try { return legacyPage(toolSet.legacy.tools, request.params?.cursor); } catch (e) { throw new McpError(ErrorCode.InvalidParams, e.message); }
  });
  server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
    const principal = extra.authInfo?.extra?.principal;
    if (!principal) throw new McpError(ErrorCode.InvalidRequest, 'not authenticated');
    const { name, arguments: args } = request.params;
    if (legacy && !toolSet.byName.has(name) && toolSet.legacy.scopes.has(name)) return legacyCall(name, args ?? {});
    return callTool(toolSet, rest, name, args, principal);
  });
  return server;
}
