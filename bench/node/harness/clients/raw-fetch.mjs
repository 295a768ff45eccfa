// The floor: the same HTTP exchanges as a client (initialize, initialized,
// tools/list, tools/call, DELETE), with no client logic beyond finding the
// answer in the JSON body or in the SSE stream's last data line.
const PV = '2025-11-25';

export async function createClient({ url, fetch = globalThis.fetch }) {
  const base = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
  let h = base;
  const rpc = async (body) => {
    const res = await fetch(url, { method: 'POST', headers: h, body: JSON.stringify(body) });
    const text = await res.text();
    if (body.id === undefined) return { res };
    const sse = (res.headers.get('content-type') ?? '').startsWith('text/event-stream');
    const msg = JSON.parse(sse ? text.slice(text.lastIndexOf('data: ') + 6) : text);
    if (msg.error) throw new Error(msg.error.message);
    return { res, result: msg.result };
  };
  const init = await rpc({ jsonrpc: '2.0', id: 0, method: 'initialize',
    params: { protocolVersion: PV, capabilities: {}, clientInfo: { name: 'raw', version: '0' } } });
  h = { ...base, 'mcp-session-id': init.res.headers.get('mcp-session-id'), 'mcp-protocol-version': PV };
  await rpc({ jsonrpc: '2.0', method: 'notifications/initialized' });
  let id = 1;
  return {
    listTools: async () => (await rpc({ jsonrpc: '2.0', id: id++, method: 'tools/list', params: {} })).result.tools,
    callTool: async (name, args) => (await rpc({ jsonrpc: '2.0', id: id++, method: 'tools/call', params: { name, arguments: args } })).result,
    close: () => fetch(url, { method: 'DELETE', headers: h }).then((r) => r.text()),
  };
}
