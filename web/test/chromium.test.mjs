// The package in an MV3 extension side panel, in Debian's Chromium (headless,
// driven by playwright-core). The panel page is opened as a tab: the real
// side panel is not a Playwright page, and sidePanel.open() needs a user gesture.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { buildExtension } from '../extension/build.mjs';
import { startServer, SERVER_INFO } from './servers/sdk-server.mjs';
import { TOOL_NAMES, closedPort } from './helpers.mjs';

const T = { timeout: 60000 };
const SCREENSHOT = fileURLToPath(new URL('../../build/screenshots/sidepanel.png', import.meta.url));
const tmp = mkdtempSync(path.join(tmpdir(), 'mcpw-chromium-'));
const servers = {};
let context, page;
const pageErrors = [];

before(async () => {
  servers.json = await startServer({ mode: 'json' });
  servers.sse = await startServer({ mode: 'sse' });
  const ext = buildExtension(path.join(tmp, 'extension'));
  context = await chromium.launchPersistentContext(path.join(tmp, 'profile'), {
    executablePath: '/usr/bin/chromium',
    headless: false,   // --headless=new below: extensions need the new headless mode
    args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      `--disable-extensions-except=${ext}`, `--load-extension=${ext}`],
    viewport: { width: 440, height: 640 },
    timeout: 60000,
  });
  const sw = context.serviceWorkers()[0] ?? await context.waitForEvent('serviceworker', { timeout: 20000 });
  const extId = new URL(sw.url()).host;
  page = await context.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
  // (the failure test below makes Chromium log 'Failed to load resource': expected)
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) pageErrors.push(m.text());
  });
  await page.goto(`chrome-extension://${extId}/sidepanel.html`, { timeout: 20000 });
});

after(async () => {
  await context?.close();
  await Promise.all(Object.values(servers).map((s) => s.close()));
  rmSync(tmp, { recursive: true, force: true });
});

/// Fills the form, clicks, waits for the page to finish, and reads the DOM.
async function runPanel({ url, tool, args }) {
  await page.fill('#url', url);
  await page.fill('#tool', tool);
  await page.fill('#args', JSON.stringify(args));
  await page.click('#go');
  await page.waitForSelector('body[data-state="done"], body[data-state="error"]', { timeout: 30000 });
  return page.evaluate(() => ({
    state: document.body.dataset.state,
    status: document.getElementById('status').textContent,
    tools: [...document.querySelectorAll('#tools li')].map((li) => li.dataset.name),
    result: document.getElementById('result').hidden ? null : document.getElementById('result').textContent,
    error: document.getElementById('error').hidden ? null : document.getElementById('error').textContent,
  }));
}

for (const mode of ['json', 'sse']) {
  test(`chromium extension, ${mode} responses: connect, list, call`, T, async () => {
    const before = servers[mode].log.length;
    const dom = await runPanel({ url: servers[mode].url, tool: 'add', args: { a: 20, b: 22 } });
    assert.equal(dom.state, 'done', dom.error ?? '');
    assert.equal(dom.status, `${SERVER_INFO.name} ${SERVER_INFO.version} (protocol 2025-11-25)`);
    assert.deepEqual([...dom.tools].sort(), TOOL_NAMES);
    const result = JSON.parse(dom.result);
    assert.deepEqual(result.structuredContent, { sum: 42 });
    assert.equal(result.content[0].text, '42');
    const seen = servers[mode].log.slice(before);
    assert.match(seen[0].headers.origin ?? '', /^chrome-extension:\/\//, 'the request came from the extension');
    assert.ok(seen.some((r) => r.method === 'DELETE'), 'close sent DELETE');
    if (mode === 'sse') {
      mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
      await page.screenshot({ path: SCREENSHOT });
    }
  });
}

test('chromium extension: a tool call with notifications first (SSE) shows the final result', T, async () => {
  const dom = await runPanel({ url: servers.sse.url, tool: 'notify', args: { steps: 3 } });
  assert.equal(dom.state, 'done', dom.error ?? '');
  assert.equal(JSON.parse(dom.result).content[0].text, 'done after 3 steps');
});

test('chromium extension: HTTP 404 and connection refused show an McpError', T, async () => {
  const missing = await runPanel({ url: servers.json.url.replace(/\/mcp$/, '/nothing-here'), tool: 'echo', args: {} });
  assert.equal(missing.state, 'error');
  assert.match(missing.error, /^HttpError \([\w.]+\) HTTP 404: /);
  const refused = await runPanel({ url: `http://127.0.0.1:${await closedPort()}/mcp`, tool: 'echo', args: {} });
  assert.equal(refused.state, 'error');
  assert.match(refused.error, /^TransportError \([\w.]+\): /);
});

test('chromium extension: no page errors (CSP, wasm compile, uncaught)', () => {
  assert.deepEqual(pageErrors, []);
});
