// The side panel: connect to the server, list its tools, call one, show all three.
// The package is copied beside this file as mcp-wasm/ (see build.mjs).
import { Client } from './mcp-wasm/src/entry-browser.mjs';

const $ = (id) => document.getElementById(id);

function show({ status, tools = [], result, error }) {
  $('status').textContent = status;
  $('tools').replaceChildren(...tools.map((t) => {
    const li = document.createElement('li');
    li.dataset.name = t.name;
    const small = document.createElement('small');
    small.textContent = t.description ? ` — ${t.description}` : '';
    li.append(t.name, small);
    return li;
  }));
  $('result').hidden = result === undefined;
  $('result').textContent = result === undefined ? '' : JSON.stringify(result, null, 2);
  $('error').hidden = !error;
  $('error').textContent = error ?? '';
}

async function connectListCall() {
  document.body.dataset.state = 'running';
  show({ status: 'connecting…' });
  let client;
  try {
    const args = JSON.parse($('args').value || '{}');
    client = await Client.connect($('url').value, { clientInfo: { name: 'mcp-wasm-sidepanel', version: '0.1.0' }, timeoutMs: 15000 });
    const status = `${client.serverInfo?.name} ${client.serverInfo?.version} (protocol ${client.protocolVersion})`;
    const tools = await client.listTools();
    show({ status, tools });
    const result = await client.callTool($('tool').value, args);
    show({ status, tools, result });
    document.body.dataset.state = 'done';
  } catch (e) {
    const what = e?.name && e?.code ? `${e.name} (${e.code})${e.status ? ' HTTP ' + e.status : ''}` : (e?.name ?? 'Error');
    show({ status: 'failed', error: `${what}: ${e?.message ?? e}` });
    document.body.dataset.state = 'error';
  } finally {
    await client?.close().catch(() => {});
  }
}

$('go').addEventListener('click', connectListCall);
