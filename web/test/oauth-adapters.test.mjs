// The OAuth host adapters (storage and redirect), each against a stand-in of
// the host API it wraps, and the headless redirect against a real HTTP 302.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import {
  memoryStorage, webStorage, chromeStorage, kvStorage, headlessRedirect, chromeIdentityRedirect, callbackRedirect,
} from 'mcp-wasm';

async function roundTrip(storage) {
  assert.equal(await storage.get('k'), null);
  await storage.set('k', 'v1');
  assert.equal(await storage.get('k'), 'v1');
  await storage.delete('k');
  assert.equal(await storage.get('k'), null);
}

test('storage adapters keep, return and delete values', async () => {
  await roundTrip(memoryStorage());
  const items = new Map();
  await roundTrip(webStorage({ getItem: (k) => items.get(k) ?? null, setItem: (k, v) => items.set(k, v), removeItem: (k) => items.delete(k) }));
  const area = new Map();
  await roundTrip(chromeStorage({
    get: async (k) => (area.has(k) ? { [k]: area.get(k) } : {}),
    set: async (o) => { for (const [k, v] of Object.entries(o)) area.set(k, v); },
    remove: async (k) => { area.delete(k); },
  }));
  const kv = new Map();
  await roundTrip(kvStorage({ get: async (k) => kv.get(k) ?? null, put: async (k, v) => { kv.set(k, v); }, delete: async (k) => { kv.delete(k); } }));
});

test('headless redirect reads the Location of a real 302', async () => {
  const srv = createServer((req, res) => {
    const state = new URL(req.url, 'http://x').searchParams.get('state');
    res.writeHead(302, { location: `http://127.0.0.1:1/callback?code=c1&state=${state}` });
    res.end();
  });
  await new Promise((r) => srv.listen(0, '127.0.0.1', r));
  try {
    const cb = await headlessRedirect()(`http://127.0.0.1:${srv.address().port}/authorize?state=s9`);
    assert.equal(cb, 'http://127.0.0.1:1/callback?code=c1&state=s9');
  } finally {
    srv.close();
  }
});

test('chrome.identity redirect passes the URL and returns the callback', async () => {
  const seen = [];
  const onAuthorize = chromeIdentityRedirect({ identity: { launchWebAuthFlow: async (o) => { seen.push(o); return 'https://x.chromiumapp.org/?code=1'; } } });
  assert.equal(await onAuthorize('https://as/authorize?state=a'), 'https://x.chromiumapp.org/?code=1');
  assert.deepEqual(seen, [{ url: 'https://as/authorize?state=a', interactive: true }]);
});

test('callback redirect matches callbacks to flows by state', async () => {
  const sent = [];
  const r = callbackRedirect({ sendUserTo: (url) => sent.push(url), timeoutMs: 5000 });
  const a = r.onAuthorize('https://as/authorize?state=aaa');
  const b = r.onAuthorize('https://as/authorize?state=bbb');
  assert.equal(sent.length, 2);
  assert.equal(r.handleCallback('https://app/cb?code=2&state=bbb'), true);
  assert.equal(r.handleCallback('https://app/cb?code=1&state=aaa'), true);
  assert.equal(r.handleCallback('https://app/cb?code=3&state=zzz'), false);  // nobody waits for it
  assert.equal(await a, 'https://app/cb?code=1&state=aaa');
  assert.equal(await b, 'https://app/cb?code=2&state=bbb');
  const late = callbackRedirect({ timeoutMs: 20 });
  assert.equal(await late.onAuthorize('https://as/authorize?state=t'), null);  // timed out: cancelled
});
