#!/usr/bin/env node
// mcp-wasm: list and call the tools of an MCP server through the Wasm client.
// Without --url it starts the bundled demo server on 127.0.0.1 and stops it at the end.
import { Client, McpError } from 'mcp-wasm';

const USAGE = `usage: mcp-wasm [--url URL] [--header 'K: V']... [--timeout MS] COMMAND
  tools                                   list the server's tools
  call TOOL [--arg k=v]... [--json '{}']  call a tool and print its result
  demo                                    list the tools, then call one
Without --url, the bundled demo server is started on 127.0.0.1.`;

class UsageError extends Error {}

function parseArgs(argv) {
  const o = { headers: {}, timeoutMs: 30000, args: {}, json: null, rest: [] };
  const value = (i) => {
    if (i + 1 >= argv.length) throw new UsageError(`${argv[i]} needs a value`);
    return argv[i + 1];
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--help' || a === '-h') o.help = true;
    else if (a === '--url') o.url = value(i++);
    else if (a === '--timeout') o.timeoutMs = Number(value(i++));
    else if (a === '--header') {
      const m = /^([^:\s]+)\s*:\s*(.*)$/.exec(value(i++));
      if (!m) throw new UsageError(`--header wants 'Name: value', got '${argv[i]}'`);
      o.headers[m[1]] = m[2];
    } else if (a === '--arg') {
      const m = /^([^=]+)=(.*)$/s.exec(value(i++));
      if (!m) throw new UsageError(`--arg wants k=v, got '${argv[i]}'`);
      o.args[m[1]] = m[2];
    } else if (a === '--json') {
      try { o.json = JSON.parse(value(i++)); } catch { throw new UsageError('--json is not valid JSON'); }
      if (!o.json || typeof o.json !== 'object' || Array.isArray(o.json)) throw new UsageError('--json must be a JSON object');
    } else if (a.startsWith('--')) throw new UsageError(`unknown option ${a}`);
    else o.rest.push(a);
  }
  if (!Number.isFinite(o.timeoutMs) || o.timeoutMs <= 0) throw new UsageError('--timeout must be a positive number');
  return o;
}

/// --arg values are strings; a property whose schema type is not string is read as JSON (a=2 -> 2).
function buildArguments(tool, args, json) {
  const out = { ...(json ?? {}) };
  const props = tool?.inputSchema?.properties ?? {};
  for (const [k, v] of Object.entries(args)) {
    const type = props[k]?.type;
    if (type === undefined || type === 'string') out[k] = v;
    else {
      try { out[k] = JSON.parse(v); } catch { throw new UsageError(`--arg ${k}: '${v}' is not a ${type}`); }
    }
  }
  return out;
}

function printTools(tools) {
  const rows = tools.map((t) => {
    const req = new Set(t.inputSchema?.required ?? []);
    const params = Object.keys(t.inputSchema?.properties ?? {}).map((p) => (req.has(p) ? p : p + '?')).join(', ');
    const desc = (t.description ?? '').split('\n')[0];
    return [t.name, params, desc.length > 60 ? desc.slice(0, 57) + '...' : desc];
  });
  const head = ['TOOL', 'ARGUMENTS', 'DESCRIPTION'];
  const width = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  for (const r of [head, ...rows]) console.log(r.map((c, i) => c.padEnd(width[i])).join('  ').trimEnd());
  console.log(`(${tools.length} tool${tools.length === 1 ? '' : 's'})`);
}

function printResult(result) {
  const print = result.isError ? console.error : console.log;
  for (const c of result.content ?? []) {
    if (c.type === 'text') print(c.text);
    else if (c.type === 'resource') print(`[resource ${c.resource?.uri}]`);
    else print(`[${c.type}${c.mimeType ? ' ' + c.mimeType : ''}]`);
  }
  if (result.structuredContent !== undefined) print('structured: ' + JSON.stringify(result.structuredContent));
  if (result.isError) console.error('(the tool reported an error)');
}

async function withServer(o, fn) {
  if (o.url) return fn(o.url);
  let demo;
  try { demo = await import('../demo/server.mjs'); } catch (e) {
    throw new UsageError(`no --url given and the bundled demo server cannot load (${e.message})`);
  }
  const srv = await demo.startDemoServer();
  console.error(`(started the bundled demo server at ${srv.url})`);
  try { return await fn(srv.url); } finally { await srv.close(); }
}

async function run(o) {
  const [command, toolName] = o.rest;
  if (!['tools', 'call', 'demo'].includes(command)) throw new UsageError(command ? `unknown command '${command}'` : 'no command given');
  if (command === 'call' && !toolName) throw new UsageError('call needs a tool name');
  return withServer(o, async (url) => {
    const client = await Client.connect(url, { headers: o.headers, timeoutMs: o.timeoutMs, clientInfo: { name: 'mcp-wasm-cli', version: '0.1.0' } });
    try {
      const info = client.serverInfo ?? {};
      console.log(`server: ${info.name} ${info.version} (protocol ${client.protocolVersion})`);
      const tools = await client.listTools();
      if (command === 'tools' || command === 'demo') printTools(tools);
      if (command === 'tools') return 0;
      let name = toolName, args;
      if (command === 'demo') {
        const pick = tools.find((t) => t.name === 'greet') ?? tools.find((t) => !(t.inputSchema?.required ?? []).length);
        if (!pick) throw new UsageError('demo: no tool that can be called without arguments');
        name = pick.name;
        args = pick.name === 'greet' ? { name: 'mcp-wasm' } : {};
      } else {
        const tool = tools.find((t) => t.name === name);
        if (!tool) throw new UsageError(`no tool named '${name}' (see: mcp-wasm tools)`);
        args = buildArguments(tool, o.args, o.json);
      }
      console.log(`\ncall ${name} ${JSON.stringify(args)}`);
      const result = await client.callTool(name, args);
      printResult(result);
      return result.isError ? 1 : 0;
    } finally {
      await client.close();
    }
  });
}

try {
  const o = parseArgs(process.argv.slice(2));
  if (o.help) { console.log(USAGE); process.exit(0); }
  process.exitCode = await run(o);
} catch (e) {
  if (e instanceof UsageError) {
    console.error(`mcp-wasm: ${e.message} (see mcp-wasm --help)`);
    process.exitCode = 2;
  } else if (e instanceof McpError) {
    console.error(`mcp-wasm: ${e.name} (${e.code})${e.status ? ' HTTP ' + e.status : ''}: ${e.message}`);
    process.exitCode = 1;
  } else {
    console.error(`mcp-wasm: ${e?.message ?? e}`);
    process.exitCode = 1;
  }
}
