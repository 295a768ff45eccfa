// The side panel: settings (server URL, API key or OAuth sign-in, kept in
// chrome.storage), a searchable tool list, a form per tool checked against its
// inputSchema before sending, results checked against the outputSchema, and
// jobs run to completion. The package is copied beside this file as mcp-wasm/.
import { Client, chromeStorage, chromeIdentityRedirect, compileSchema } from './mcp-wasm/src/entry-browser.mjs';
import { buildForm } from './form.mjs';
import { renderResult } from './view.mjs';
import { runJob } from './run.mjs';

const $ = (id) => document.getElementById(id);
const CLIENT_INFO = { name: 'mcp-wasm-sidepanel', version: '0.2.0' };
const SETTINGS = ['url', 'key', 'auth'];

let client = null;
let tools = [];
let current = null;      // {tool, form}
let stopWaiting = null;  // AbortController of the run being watched
const warnings = [];     // the client's validation warnings, newest last (bounded)
const validators = new Map();

function setState(state) { document.body.dataset.state = state; }

function showError(e) {
  const err = $('error');
  err.hidden = !e;
  err.textContent = e ? describeError(e) : '';
}

/// One line a person can act on.
export function describeError(e) {
  if (!e?.name || !e?.code) return `${e?.name ?? 'Error'}: ${e?.message ?? e}`;
  // The core's message for a status already starts with "HTTP <status>": say it once.
  const message = String(e.message ?? '');
  const status = e.status && !message.startsWith(`HTTP ${e.status}`) ? ` HTTP ${e.status}` : '';
  const head = `${e.name} (${e.code})${status}: ${message}`;
  if (e.status === 401) return `${head}\nSign in again or set a new API key.`;
  if (e.status === 403) return `${head}\nThis key or account may not use this tool.`;
  if (e.status === 429) return `${head}\nRate limited${e.retryAfterMs != null ? `; retry in ${Math.ceil(e.retryAfterMs / 1000)} s` : ''}.`;
  return head;
}

// A validator per input schema, compiled once into a Wasm program (null: no
// schema, or one the validator refuses; the call then goes unchecked).
async function validatorFor(key, schema) {
  if (!schema) return null;
  if (!validators.has(key)) {
    validators.set(key, compileSchema(schema).catch((e) => {
      console.warn(`no validator for ${key}: ${e?.message ?? e}`);
      return null;
    }));
  }
  return validators.get(key);
}

async function loadSettings() {
  const stored = await chrome.storage.local.get(SETTINGS);
  if (stored.url) $('url').value = stored.url;
  if (stored.key) $('key').value = stored.key;
  return stored;
}

async function connect(auth) {
  showError(null);
  setState('connecting');
  $('status').textContent = 'connecting…';
  await disconnect(false);
  const url = $('url').value.trim();
  const key = $('key').value.trim();
  await chrome.storage.local.set({ url, key, auth });
  const options = {
    clientInfo: CLIENT_INFO, timeoutMs: 20000, listen: false, validation: 'warn',
    onWarning: (w) => {
      warnings.push(w);
      if (warnings.length > 200) warnings.splice(0, 100);
    },
  };
  if (auth === 'key' && key) options.bearer = key;
  if (auth === 'oauth') {
    options.oauth = {
      redirectUri: chrome.identity.getRedirectURL('oauth'),
      onAuthorize: chromeIdentityRedirect(),
      storage: chromeStorage(),
      clientName: 'mcp-wasm side panel',
    };
  }
  try {
    client = await Client.connect(url, options);
    tools = await client.listTools();
    $('status').textContent = `${client.serverInfo?.name ?? '?'} ${client.serverInfo?.version ?? ''} · ${tools.length} tools · ${auth === 'oauth' ? 'signed in' : key ? 'API key' : 'no auth'}`;
    $('disconnect').hidden = false;
    $('tools-section').hidden = false;
    for (const id of ['tool-section', 'result-section', 'run-section']) $(id).hidden = true;
    current = null;
    $('search').value = '';
    renderTools();
    setState('connected');
  } catch (e) {
    $('status').textContent = 'not connected';
    showError(e);
    setState('error');
    await disconnect(false);
  }
}

async function disconnect(reset = true) {
  stopWaiting?.abort();
  const c = client;
  client = null;
  for (const v of validators.values()) v.then((compiled) => compiled?.dispose());
  validators.clear();
  await c?.close().catch(() => {});
  if (reset) {
    tools = [];
    for (const id of ['tools-section', 'tool-section', 'result-section', 'run-section', 'disconnect']) $(id).hidden = true;
    $('status').textContent = 'not connected';
    setState('idle');
  }
}

function matches(tool, words) {
  const text = `${tool.name} ${tool.title ?? ''} ${tool.description ?? ''}`.toLowerCase();
  return words.every((w) => text.includes(w));
}

function renderTools() {
  const words = $('search').value.toLowerCase().split(/\s+/).filter(Boolean);
  $('tools').replaceChildren(...tools.filter((t) => matches(t, words)).map((t) => {
    const li = document.createElement('li');
    li.dataset.name = t.name;
    li.classList.toggle('selected', current?.tool.name === t.name);
    const small = document.createElement('small');
    small.textContent = t.description ?? '';
    li.append(t.title && t.title !== t.name ? `${t.name} — ${t.title}` : t.name, small);
    li.addEventListener('click', () => selectTool(t));
    return li;
  }));
}

function selectTool(tool) {
  current = { tool, form: buildForm($('fields'), tool.inputSchema) };
  $('tool-name').textContent = tool.title ?? tool.name;
  $('tool-desc').textContent = tool.description ?? '';
  $('tool-section').hidden = false;
  $('tool-section').dataset.tool = tool.name;
  $('run').hidden = !/^start/i.test(tool.name);
  $('result-section').hidden = true;
  $('run-section').hidden = true;
  $('form-error').hidden = true;
  renderTools();
  setState('connected');
}

// Reads the form and checks it against the inputSchema; null (errors shown) when invalid.
async function readArguments() {
  const { tool, form } = current;
  form.clear();
  $('form-error').hidden = true;
  const { args, problems } = form.read();
  let errors = problems;
  if (errors.length === 0) {
    const validator = await validatorFor(`in:${tool.name}`, tool.inputSchema);
    if (validator) errors = (await validator.validate(args)).errors ?? [];
  }
  if (errors.length === 0) return args;
  const unplaced = form.showErrors(errors);
  if (unplaced.length) {
    $('form-error').hidden = false;
    $('form-error').textContent = unplaced.map((e) => `${e.instanceLocation || '(arguments)'}: ${e.message}`).join('\n');
  }
  setState('invalid');
  return null;
}

/// Shows a result; `since` is where this call's warnings start. The client
/// itself checks structuredContent against the listed outputSchema
/// (validation: "warn" returns the result and reports the mismatch).
function showResult(tool, result, since) {
  const mismatch = warnings.slice(since).find((w) => w.tool === tool.name && w.code?.startsWith('validation.'));
  const check = mismatch ? { state: 'invalid', errors: mismatch.errors ?? [{ instanceLocation: '', message: mismatch.message }] }
    : tool.outputSchema && result.structuredContent !== undefined ? { state: 'valid', errors: [] } : { state: 'none', errors: [] };
  $('result-section').hidden = false;
  renderResult($('result'), $('result-meta'), result, check);
}

async function callCurrent(event) {
  event.preventDefault();
  if (!client || !current) return;
  setState('calling');  // before any await: no earlier outcome may look like this call's
  showError(null);
  const args = await readArguments();
  if (!args) return;
  const since = warnings.length;
  try {
    const result = await client.callTool(current.tool.name, args);
    showResult(current.tool, result, since);
    setState('result');
  } catch (e) {
    showError(e);
    setState('error');
  }
}

async function runCurrent() {
  if (!client || !current) return;
  setState('running');
  showError(null);
  const args = await readArguments();
  if (!args) return;
  stopWaiting = new AbortController();
  const ui = { bar: $('run-progress'), status: $('run-status'), human: $('human') };
  $('run-section').hidden = false;
  $('result-section').hidden = true;
  $('stop').hidden = false;
  const since = warnings.length;
  try {
    const final = await runJob(client, current.tool.name, args, { ui, signal: stopWaiting.signal });
    ui.bar.value = 1;
    // The last status payload, checked against the status tool's outputSchema (callAndPoll polls getRun).
    const statusTool = tools.find((t) => t.name === 'getRun') ?? { name: 'getRun' };
    showResult(statusTool, final.callResult ?? { content: [], structuredContent: final.result }, since);
    setState('run-done');
  } catch (e) {
    showError(e);
    setState(e?.name === 'AbortError' ? 'run-stopped' : 'error');
  } finally {
    $('stop').hidden = true;
    ui.human.hidden = true;
    stopWaiting = null;
  }
}

// With no key, Connect reuses a past sign-in (its tokens are in chrome.storage; no window opens unless they fail).
$('connect').addEventListener('click', async () => {
  setState('connecting');  // at once: the state must never look settled while the click is handled
  const { auth } = await chrome.storage.local.get('auth');
  connect(!$('key').value.trim() && auth === 'oauth' ? 'oauth' : 'key');
});
$('signin').addEventListener('click', () => connect('oauth'));
$('disconnect').addEventListener('click', () => disconnect());
$('search').addEventListener('input', renderTools);
$('tool-form').addEventListener('submit', callCurrent);
$('run').addEventListener('click', runCurrent);
$('stop').addEventListener('click', () => stopWaiting?.abort());
loadSettings().then(() => { document.body.dataset.ready = '1'; }, showError);
