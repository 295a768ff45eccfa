// An MCP server (2025-11-25, one session) as a fetch function in the
// client's own process: real Response objects, no sockets. The benches hand
// it to every client to measure the clients' own CPU (bench/node/client-cpu.mjs,
// bench/workerd's /calls job with `memory`). It serves the harness's two
// base tools, `echo` and `typed` (tools.mjs), and `tools` more REST-like
// ones in its list (restTool: what the loopback server's /mcp/N lists);
// `changing`: a different list each time (tools.mjs `changed`).
import { BASE_TOOLS, restTool, typedResult, changed } from './tools.mjs';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

// `sse`: answers as an event stream of one event, as the SDK's server sends them.
export function memoryServer({ sse = false, tools = 0, changing = false } = {}) {
  const listed = [...BASE_TOOLS, ...Array.from({ length: tools }, (_, i) => restTool(i))];
  let lists = 0;
  const result = (msg) => {
    switch (msg.method) {
      case 'initialize':
        return { protocolVersion: '2025-11-25', capabilities: { tools: {} }, serverInfo: { name: 'memory', version: '1' } };
      case 'tools/list':
        return { tools: changing ? changed(listed, ++lists) : listed };
      case 'tools/call':
        return msg.params.name === 'echo' ? { content: [{ type: 'text', text: String(msg.params.arguments?.text ?? '') }] }
          : typedResult(Number(msg.params.arguments?.n ?? 1));
      default:
        return undefined;
    }
  };
  return async (input, init = {}) => {
    const method = init.method ?? 'GET';
    if (method === 'DELETE') return new Response(null, { status: 200 });
    if (method !== 'POST') return new Response(null, { status: 405 });
    const msg = JSON.parse(typeof init.body === 'string' ? init.body : decoder.decode(init.body));
    if (msg.id === undefined) return new Response(null, { status: 202 });
    const r = result(msg);
    const reply = JSON.stringify(r === undefined
      ? { jsonrpc: '2.0', id: msg.id, error: { code: -32601, message: 'Method not found' } }
      : { jsonrpc: '2.0', id: msg.id, result: r });
    const headers = { 'mcp-session-id': 'memory-session' };
    if (sse) {
      return new Response(encoder.encode(`event: message\ndata: ${reply}\n\n`),
        { status: 200, headers: { ...headers, 'content-type': 'text/event-stream' } });
    }
    const body = encoder.encode(reply);
    return new Response(body, { status: 200, headers: { ...headers, 'content-type': 'application/json', 'content-length': String(body.length) } });
  };
}
