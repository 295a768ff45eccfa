// The side-panel extension (web/extension/) in Debian's Chromium, driven by
// playwright-core, against Duvo-in-a-box on 127.0.0.1. The panel page is
// opened as a tab: the real side panel is not a Playwright page, and
// sidePanel.open() needs a user gesture (RUNTIME.md). The steps run in order
// on one page, like a person would; each leaves a screenshot in
// web/test-output/screenshots/ (gitignored).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { buildExtension } from '../extension/build.mjs';
import { startDuvo, DEMO_API_KEY, DEMO_READONLY_KEY, IDS } from '../demo/duvo/server.mjs';
import { closedPort } from './helpers.mjs';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { startMcpHttp } from '../demo/mcp-http.mjs';

// A server whose one tool answers against its own outputSchema (the SDK's
// low-level Server does not check what a handler returns).
function makeLyingServer() {
  const server = new Server({ name: 'liar', version: '0.0.1' }, { capabilities: { tools: {} } });
  server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: [{
    name: 'countThings', description: 'Counts things', inputSchema: { type: 'object', properties: {} },
    outputSchema: { type: 'object', properties: { count: { type: 'integer' } }, required: ['count'] },
  }] }));
  server.setRequestHandler(CallToolRequestSchema, async () => ({
    content: [{ type: 'text', text: '{"count":"three"}' }], structuredContent: { count: 'three' },
  }));
  return server;
}

const T = { timeout: 60000 };
const SHOTS = fileURLToPath(new URL('../test-output/screenshots/', import.meta.url));
const tmp = mkdtempSync(path.join(tmpdir(), 'mcpw-chromium-'));
let duvo, liar, context, page, extId, ext;
const pageErrors = [];
const toolCalls = () => duvo.log.filter((r) => r.method === 'POST' && r.path === '/v2/mcp').length;

before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  duvo = await startDuvo({ host: '127.0.0.1', port: 0, runStepMs: 250, mcpMode: 'sse', oauth: { autoApprove: true } });
  liar = await startMcpHttp({ mode: 'json', makeServer: makeLyingServer });
  ext = buildExtension(path.join(tmp, 'extension'));
  context = await chromium.launchPersistentContext(path.join(tmp, 'profile'), {
    executablePath: '/usr/bin/chromium',
    headless: false,   // --headless=new below: extensions need the new headless mode
    args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      `--disable-extensions-except=${ext}`, `--load-extension=${ext}`],
    viewport: { width: 480, height: 900 },
    timeout: 60000,
  });
  const sw = context.serviceWorkers()[0] ?? await context.waitForEvent('serviceworker', { timeout: 20000 });
  extId = new URL(sw.url()).host;
  page = await context.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
  // Chromium logs every non-2xx fetch as 'Failed to load resource' (the 2026
  // discovery probe, the refused connection below): expected.
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) pageErrors.push(m.text());
  });
  await page.goto(`chrome-extension://${extId}/sidepanel.html`, { timeout: 20000 });
  await page.waitForSelector('body[data-ready="1"]', { timeout: 20000 });
});

after(async () => {
  await context?.close();
  await duvo?.close();
  await liar?.close();
  rmSync(tmp, { recursive: true, force: true });
});

const shot = (name) => page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
const state = () => page.getAttribute('body', 'data-state');
const settle = (states, timeout = 30000) =>
  page.waitForSelector(states.map((s) => `body[data-state="${s}"]`).join(', '), { timeout });
const field = (name) => `.field[data-name="${name}"]`;

/// Fills the settings, clicks Connect, waits for the outcome: 'connected' or 'error'.
async function connectWith(url, key) {
  await page.fill('#url', url);
  await page.fill('#key', key);
  await page.click('#connect');
  await settle(['connected', 'error']);
  return state();
}

async function openTool(name) {
  await page.fill('#search', name);
  await page.click(`#tools li[data-name="${name}"]`);
  await page.waitForSelector(`#tool-section[data-tool="${name}"]`);
}

async function callTool() {
  await page.click('#call');
  await settle(['result', 'invalid', 'error']);
  return state();
}

test('the extension: MV3 side panel, a CSP allowing wasm-unsafe-eval only, no eval in any script', () => {
  const manifest = JSON.parse(readFileSync(path.join(ext, 'manifest.json'), 'utf8'));
  assert.equal(manifest.manifest_version, 3);
  assert.equal(manifest.side_panel.default_path, 'sidepanel.html');
  assert.equal(manifest.content_security_policy.extension_pages, "script-src 'self' 'wasm-unsafe-eval'; object-src 'self';");
  const scripts = readdirSync(ext, { recursive: true }).filter((f) => /\.(m?js)$/.test(f));
  assert.ok(scripts.includes(path.join('mcp-wasm', 'dist', 'mcpw.mjs')) && scripts.includes('sidepanel.mjs'), scripts.join());
  for (const f of scripts) assert.doesNotMatch(readFileSync(path.join(ext, f), 'utf8'), /\beval\s*\(|new\s+Function\b/, f);
});

test('connect: a refused connection is a one-line TransportError', T, async () => {
  assert.equal(await connectWith(`http://127.0.0.1:${await closedPort()}/v2/mcp`, DEMO_API_KEY), 'error');
  assert.match(await page.textContent('#error'), /^TransportError \([\w.]+\): /);
});

test('connect with the server URL and an API key; the settings are kept in chrome.storage', T, async () => {
  assert.equal(await connectWith(duvo.mcpUrl, DEMO_API_KEY), 'connected', await page.textContent('#error'));
  assert.match(await page.textContent('#status'), /^duvo-in-a-box 1\.0\.0 · \d+ tools · API key$/);
  const authed = duvo.log.filter((r) => r.path === '/v2/mcp');
  assert.ok(authed.length > 0 && authed.every((r) => r.headers.authorization === `Bearer ${DEMO_API_KEY}`));
  assert.match(authed.at(-1).headers.origin ?? '', /^chrome-extension:\/\//, 'the request came from the extension');
  const stored = await page.evaluate(() => chrome.storage.local.get(['url', 'key', 'auth']));
  assert.deepEqual(stored, { url: duvo.mcpUrl, key: DEMO_API_KEY, auth: 'key' });
  await shot('01-connected-with-api-key');
});

test('the tool list is searchable', T, async () => {
  const all = await page.$$eval('#tools li', (l) => l.map((x) => x.dataset.name));
  assert.ok(all.length > 30, `${all.length} tools`);
  await page.fill('#search', 'run');
  const some = await page.$$eval('#tools li', (l) => l.map((x) => x.dataset.name));
  assert.ok(some.includes('startRun') && some.includes('getRun') && some.includes('listRuns'), some.join());
  assert.ok(!some.includes('listFiles') && some.length < all.length);
  await page.fill('#search', 'human request');
  assert.ok((await page.$$eval('#tools li', (l) => l.map((x) => x.dataset.name))).includes('respondToHumanRequest'));
  await page.fill('#search', 'run');
  await shot('02-tool-search-run');
});

test('a form from the flat input schema: enum -> select, integer -> number, required marked; a bad value is caught before sending', T, async () => {
  await openTool('listRuns');
  assert.equal(await page.getAttribute(field('sort_order'), 'data-kind'), 'enum');
  assert.equal(await page.getAttribute(field('limit'), 'data-kind'), 'number');
  assert.equal(await page.getAttribute(`${field('limit')} input`, 'type'), 'number');
  await page.selectOption(`${field('sort_order')} select`, { label: 'asc' });
  await page.fill(`${field('limit')} input`, '500');
  const before = toolCalls();
  assert.equal(await callTool(), 'invalid');
  assert.equal(toolCalls(), before, 'nothing was sent');
  assert.equal(await page.getAttribute(field('limit'), 'class'), 'field invalid');
  assert.match(await page.textContent(`${field('limit')} .field-error`), /100/);
  await shot('03-client-side-validation-error');
});

test('a call: the result as a table, checked against the outputSchema', T, async () => {
  await page.fill(`${field('limit')} input`, '5');
  assert.equal(await callTool(), 'result', await page.textContent('#error'));
  const headers = await page.$$eval('#result table th', (l) => l.map((x) => x.textContent));
  assert.ok(headers.includes('id') && headers.includes('status'), headers.join());
  const ids = await page.$$eval('#result table tbody tr td:first-child', (l) => l.map((x) => x.textContent));
  assert.ok(ids.includes(IDS.runs.done), ids.join());
  assert.match(await page.textContent('#result-meta'), /matches the outputSchema/);
  await shot('04-result-table');
});

test('a boolean, an explicit null, and a required field', T, async () => {
  await openTool('updateAssignment');
  assert.match(await page.getAttribute(`${field('assignment_id')} label`, 'class'), /required/);
  assert.equal(await page.getAttribute(field('enabled'), 'data-kind'), 'boolean');
  assert.equal(await callTool(), 'invalid', 'a missing required field is caught before sending');
  assert.match(await page.textContent(`${field('assignment_id')} .field-error`), /missing required/);
  await page.fill(`${field('assignment_id')} input`, IDS.assignments.daily);
  await page.check(`${field('enabled')} input[type=checkbox]`);
  await page.uncheck(`${field('enabled')} input[type=checkbox]`);
  await page.check(`${field('schedule')} .null-box`);
  assert.equal(await callTool(), 'result', await page.textContent('#error'));
  const tree = await page.textContent('#result .tree');
  assert.match(tree, /enabled: false/);
  assert.match(tree, /schedule: null/);
  await shot('05-boolean-and-null');
});

test('objects as JSON (bad JSON and a bad nested value caught beside the field), arrays as lists', T, async () => {
  await openTool('createAgent');
  assert.equal(await page.getAttribute(field('tool_permissions'), 'data-kind'), 'json');
  await page.fill(`${field('name')} input`, 'Panel agent');
  await page.selectOption(`${field('model')} select`, { label: 'deep' });
  await page.check(`${field('folder_id')} .null-box`);
  await page.fill(`${field('tool_permissions')} textarea`, '{"*": "allow",');
  assert.equal(await callTool(), 'invalid');
  assert.match(await page.textContent(`${field('tool_permissions')} .field-error`), /not JSON/);
  await page.fill(`${field('tool_permissions')} textarea`, '{"*": "maybe"}');
  assert.equal(await callTool(), 'invalid');
  assert.match(await page.textContent(`${field('tool_permissions')} .field-error`), /allow|enum/);
  await page.fill(`${field('tool_permissions')} textarea`, '{"*": "ask", "gmail_send": "deny"}');
  assert.equal(await callTool(), 'result', await page.textContent('#error'));
  const agent = await page.textContent('#result .tree');
  assert.match(agent, /model: "deep"/);
  assert.match(agent, /folder_id: null/);
  assert.match(agent, /gmail_send: "deny"/);

  await openTool('labelCase');
  assert.equal(await page.getAttribute(field('add'), 'data-kind'), 'list');
  await page.fill(`${field('case_id')} input`, IDS.cases.refund);
  for (const label of ['urgent', 'vip', 'dropped']) {
    await page.click(`${field('add')} .add-item`);
    await page.locator(`${field('add')} .list-item input`).last().fill(label);
  }
  await page.locator(`${field('add')} .list-item button`).last().click();  // remove "dropped"
  await page.click(`${field('remove')} .as-json`);
  await page.fill(`${field('remove')} textarea`, '["billing"]');
  assert.equal(await callTool(), 'result', await page.textContent('#error'));
  const labels = await page.textContent('#result .tree');
  assert.match(labels, /"urgent"[\s\S]*"vip"/);
  assert.doesNotMatch(labels, /"billing"|"dropped"/);
  await shot('06-arrays-as-lists');
});

test('a run to completion: progress, then a human-in-the-loop question answered in the panel', T, async () => {
  await openTool('startRun');
  assert.equal(await page.isVisible('#run'), true, 'a start tool offers "Run until done"');
  await page.fill(`${field('agent_id')} input`, IDS.agents.invoices);
  await page.fill(`${field('message')} input`, 'Please approve the refund');
  await page.click('#run');
  await page.waitForSelector('#human:not([hidden]) fieldset', { timeout: 20000 });
  const progress = await page.getAttribute('#run-progress', 'value');
  assert.ok(Number(progress) > 0 && Number(progress) < 1, `progress ${progress}`);
  assert.match(await page.textContent('#run-status'), /waiting/);
  assert.equal(await page.evaluate(() => document.documentElement.scrollWidth <= innerWidth), true, 'nothing wider than the panel');
  await shot('07-human-in-the-loop-question');
  await page.locator('#human fieldset input[type=radio], #human fieldset input[type=checkbox]').first().check();
  await page.click('#human .approve');
  await settle(['run-done', 'error', 'run-stopped']);
  assert.equal(await state(), 'run-done', await page.textContent('#error'));
  assert.match(await page.textContent('#run-status'), /completed/);
  assert.equal(await page.getAttribute('#run-progress', 'value'), '1');
  const seen = await page.getAttribute('#run-status', 'data-seen');
  // (which intermediate statuses a poll lands on depends on timing; the run passes through several)
  assert.match(seen, /^pending .*waiting completed$/, seen);
  assert.ok(seen.split(' ').length >= 4, seen);
  assert.match(await page.textContent('#result .tree'), /status: "completed"/);
  await shot('08-run-completed');
});

test('"Reject" answers the question with approved: false, and the run stops', T, async () => {
  await page.fill(`${field('message')} input`, 'Approve the payout?');
  await page.click('#run');
  await page.waitForSelector('#human:not([hidden]) fieldset', { timeout: 20000 });
  await page.click('#human .reject');
  await settle(['run-done', 'error', 'run-stopped']);
  assert.equal(await state(), 'run-done', await page.textContent('#error'));
  assert.match(await page.textContent('#run-status'), /status: stopped/);
  assert.match(await page.textContent('#result .tree'), /not approved/);
});

test('"Stop waiting" ends the wait, not the run', T, async () => {
  await page.fill(`${field('message')} input`, 'A long task');
  await page.click('#run');
  await page.waitForSelector('#stop:not([hidden])');
  await page.click('#stop');
  await settle(['run-stopped', 'run-done', 'error']);
  assert.equal(await state(), 'run-stopped');
  const text = await page.textContent('#error');
  assert.match(text, /^AbortError \(poll\.wait_cancelled\): .*not stopped/);
  const runId = /job ([0-9a-f-]{36})/.exec(text)?.[1];
  assert.ok(runId, text);
  let status;
  for (let i = 0; i < 50 && status !== 'completed'; i++) {
    await new Promise((r) => setTimeout(r, 100));
    const res = await fetch(`${duvo.restUrl}/v1/runs/${runId}`, { headers: { authorization: `Bearer ${DEMO_API_KEY}` } });
    status = (await res.json()).run?.status;
  }
  assert.equal(status, 'completed', 'the run went on after the panel stopped waiting');
});

test('"Sign in": OAuth through chrome.identity.launchWebAuthFlow (DCR, PKCE), tokens in chrome.storage', T, async () => {
  await page.fill('#key', '');
  await page.click('#signin');
  await settle(['connected', 'error']);
  assert.equal(await state(), 'connected', await page.textContent('#error'));
  assert.match(await page.textContent('#status'), /· signed in$/);
  const authorize = duvo.log.filter((r) => r.path === '/oauth/authorize');
  assert.ok(authorize.length >= 1, 'the sign-in went through the authorization endpoint');
  const bearer = duvo.log.filter((r) => r.path === '/v2/mcp').at(-1).headers.authorization;
  assert.match(bearer, /^Bearer /);
  assert.ok(!bearer.includes('dv_'), 'an OAuth access token, not the API key');
  const stored = JSON.stringify(await page.evaluate(() => chrome.storage.local.get(null)));
  assert.match(stored, /access_token/, 'tokens kept through the chromeStorage adapter');
  await shot('09-signed-in-with-oauth');

  // The panel opened again: the settings come back, and Connect reuses the stored tokens.
  const signIns = duvo.log.filter((r) => r.path === '/oauth/authorize' || r.path === '/oauth/register').length;
  await page.reload();
  await page.waitForSelector('body[data-ready="1"]', { timeout: 20000 });
  assert.equal(await page.inputValue('#url'), duvo.mcpUrl);
  assert.equal(await page.inputValue('#key'), '');
  await page.click('#connect');
  await settle(['connected', 'error']);
  assert.equal(await state(), 'connected', await page.textContent('#error'));
  assert.match(await page.textContent('#status'), /· signed in$/);
  assert.equal(duvo.log.filter((r) => r.path === '/oauth/authorize' || r.path === '/oauth/register').length, signIns,
    'no new registration or sign-in');
});

test('the legacy endpoint (/v1/mcp, HTTP+SSE) with its catalog of several hundred tools, in pages', T, async () => {
  assert.equal(await connectWith(duvo.legacyMcpUrl, DEMO_API_KEY), 'connected', await page.textContent('#error'));
  const count = Number(/· (\d+) tools ·/.exec(await page.textContent('#status'))[1]);
  assert.ok(count > 300, `${count} tools`);
  assert.equal(await page.locator('#tools li').count(), count);
  await page.fill('#search', 'getRun');
  assert.ok(await page.locator('#tools li').count() < 10);
  await openTool('getRun');
  await page.fill(`${field('run_id')} input`, IDS.runs.done);
  assert.equal(await callTool(), 'result', await page.textContent('#error'));
  assert.match(await page.textContent('#result .tree'), /status: "completed"/);
});

test('a read-only key: a write tool answers 403, shown as one line with what to do', T, async () => {
  assert.equal(await connectWith(duvo.mcpUrl, DEMO_READONLY_KEY), 'connected', await page.textContent('#error'));
  await openTool('startRun');
  await page.fill(`${field('agent_id')} input`, IDS.agents.invoices);
  assert.equal(await callTool(), 'error');
  const text = await page.textContent('#error');
  assert.match(text, /^ForbiddenError \(http\.status\): HTTP 403: .*\nThis key or account may not use this tool\.$/s);
  assert.doesNotMatch(text, /HTTP 403.*HTTP 403/s, 'the status said once');
  await shot('10-forbidden-with-read-only-key');
});

test('a result that breaks its outputSchema is flagged, with the failing location', T, async () => {
  assert.equal(await connectWith(liar.url, ''), 'connected', await page.textContent('#error'));
  await openTool('countThings');
  await callTool();
  const meta = await page.textContent('#result-meta');
  assert.match(meta, /does not match the outputSchema/);
  assert.match(meta, /\/count: /);
  assert.match(await page.textContent('#result .tree'), /count: "three"/, 'the result is still shown');
  await shot('11-result-breaks-output-schema');
});

test('the browser entry loads the flattener\'s own module on first use (fetch + dynamic import under the CSP)', T, async () => {
  const out = await page.evaluate(async () => {
    const fetched = [];
    const realFetch = window.fetch;
    window.fetch = (input, init) => { fetched.push(String(input)); return realFetch(input, init); };
    const m = await import('./mcp-wasm/src/entry-browser.mjs');
    const doc = { openapi: '3.1.0', info: { title: 't', version: '1' }, paths: { '/items/{id}': {
      get: { operationId: 'getItem', parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
        responses: { 200: { description: 'ok' } } } } } };
    const { tools } = await m.flattenOpenApi(doc);
    const req = await m.buildRequest(tools[0], { id: 'a/b' }, { baseUrl: 'https://api.example.com' });
    window.fetch = realFetch;
    return { fetched: fetched.map((u) => u.split('/').pop()), names: tools.map((t) => t.name), url: req.url };
  });
  assert.deepEqual(out, { fetched: ['mcpw-flatten.wasm'], names: ['getItem'], url: 'https://api.example.com/items/a%2Fb' });
});

test('no page errors (CSP, wasm compile, uncaught)', () => {
  assert.deepEqual(pageErrors, []);
});
