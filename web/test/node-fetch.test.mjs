// web/src/node-fetch.mjs: Node's default transport keeps fetch's rules
// (redirects, credentials across origins, aborts, errors) against real
// loopback servers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { once } from 'node:events';
import { nodeFetch } from '../src/node-fetch.mjs';

const T = { timeout: 20_000 };

// A loopback server answering by path; records each request it got.
async function server(routes) {
  const seen = [];
  const s = createServer(async (req, res) => {
    const chunks = [];
    for await (const c of req) chunks.push(c);
    seen.push({ method: req.method, path: req.url, headers: req.headers, body: Buffer.concat(chunks).toString() });
    const route = routes[new URL(req.url, 'http://x').pathname];
    if (route) route(req, res); else res.writeHead(404).end('no');
  });
  s.listen(0, '127.0.0.1');
  await once(s, 'listening');
  const url = `http://127.0.0.1:${s.address().port}`;
  return { url, seen, close: () => { s.closeAllConnections(); s.close(); } };
}

const read = async (res) => {
  const reader = res.body.getReader();
  let text = '';
  for (let i = 0; i < 1000; i++) {
    const { done, value } = await reader.read();
    if (done) return text;
    text += Buffer.from(value).toString();
  }
  throw new Error('body did not end');
};

test('a POST: status, headers (case-insensitive), the body in chunks', T, async () => {
  const s = await server({ '/a': (req, res) => { res.writeHead(201, { 'X-One': '1', 'content-type': 'text/plain' }); res.write('he'); res.end('llo'); } });
  try {
    const res = await nodeFetch(s.url + '/a', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"a":"é"}' });
    assert.equal(res.status, 201);
    assert.equal(res.ok, true);
    assert.equal(res.headers.get('x-one'), '1');
    assert.equal(res.headers.get('X-ONE'), '1');
    assert.equal(res.headers.get('absent'), null);
    assert.equal(await read(res), 'hello');
    assert.equal(s.seen[0].body, '{"a":"é"}');
    assert.equal(s.seen[0].headers['content-length'], String(Buffer.byteLength('{"a":"é"}')));
    assert.equal(s.seen[0].headers['content-type'], 'application/json');
  } finally { s.close(); }
});

test('redirects: 307 keeps the method and body; 303 and a POST 302 become a GET without a body', T, async () => {
  const s = await server({
    '/307': (req, res) => res.writeHead(307, { location: '/end' }).end(),
    '/303': (req, res) => res.writeHead(303, { location: '/end' }).end(),
    '/302': (req, res) => res.writeHead(302, { location: '/end' }).end(),
    '/end': (req, res) => res.end(req.method),
  });
  try {
    const post = { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"x":1}' };
    let res = await nodeFetch(s.url + '/307', post);
    assert.equal(await read(res), 'POST');
    assert.equal(res.redirected, true);
    assert.equal(s.seen[1].body, '{"x":1}');
    res = await nodeFetch(s.url + '/303', post);
    assert.equal(await read(res), 'GET');
    assert.equal(s.seen[3].body, '');
    assert.equal(s.seen[3].headers['content-type'], undefined);
    res = await nodeFetch(s.url + '/302', post);
    assert.equal(await read(res), 'GET');
    res = await nodeFetch(s.url + '/307', { ...post, redirect: 'manual' });
    assert.equal(res.status, 307);
    assert.equal(res.headers.get('location'), '/end');
  } finally { s.close(); }
});

test('a redirect to another origin drops Authorization and Cookie; the same origin keeps them', T, async () => {
  const target = await server({ '/t': (req, res) => res.end('there') });
  const s = await server({
    '/away': (req, res) => res.writeHead(307, { location: target.url + '/t' }).end(),
    '/home': (req, res) => res.writeHead(307, { location: '/t' }).end(),
    '/t': (req, res) => res.end('here'),
  });
  try {
    const secret = { authorization: 'Bearer s3cret', cookie: 'sid=1', 'x-keep': 'k' };
    assert.equal(await read(await nodeFetch(s.url + '/away', { headers: secret })), 'there');
    assert.equal(target.seen[0].headers.authorization, undefined);
    assert.equal(target.seen[0].headers.cookie, undefined);
    assert.equal(target.seen[0].headers['x-keep'], 'k');
    assert.equal(await read(await nodeFetch(s.url + '/home', { headers: secret })), 'here');
    assert.equal(s.seen.at(-1).headers.authorization, 'Bearer s3cret');
  } finally { s.close(); target.close(); }
});

test('a redirect loop ends as a network error after 20 hops', T, async () => {
  const s = await server({ '/loop': (req, res) => res.writeHead(302, { location: '/loop' }).end() });
  try {
    await assert.rejects(nodeFetch(s.url + '/loop'), (e) => e instanceof TypeError && e.message === 'fetch failed' && /too many redirects/.test(e.cause.message));
    assert.equal(s.seen.length, 21);
  } finally { s.close(); }
});

test('network errors reject as TypeError("fetch failed") with the cause', T, async () => {
  const s = await server({});
  const { url } = s;
  s.close();
  await assert.rejects(nodeFetch(url + '/x'), (e) => e instanceof TypeError && e.message === 'fetch failed' && e.cause?.code === 'ECONNREFUSED');
  await assert.rejects(nodeFetch('ftp://127.0.0.1/x'), (e) => e instanceof TypeError && /unsupported scheme/.test(e.cause.message));
});

test('abort: before the request, while waiting for the head, and during the body', T, async () => {
  let release;
  const s = await server({
    '/stall': () => {},  // never answers
    '/drip': (req, res) => { res.writeHead(200); res.write('first'); release = () => res.end('last'); },
  });
  try {
    const early = new AbortController();
    early.abort(new Error('not wanted'));
    await assert.rejects(nodeFetch(s.url + '/stall', { signal: early.signal }), /not wanted/);
    const head = new AbortController();
    const pending = nodeFetch(s.url + '/stall', { signal: head.signal });
    setTimeout(() => head.abort(), 50);
    await assert.rejects(pending, (e) => e.name === 'AbortError');
    const body = new AbortController();
    const res = await nodeFetch(s.url + '/drip', { signal: body.signal });
    const reader = res.body.getReader();
    assert.equal(Buffer.from((await reader.read()).value).toString(), 'first');
    body.abort();
    await assert.rejects(reader.read(), (e) => e.name === 'AbortError');
    release();
  } finally { s.close(); }
});

test('HEAD and 204 have no body; cancel() ends a body early', T, async () => {
  const s = await server({
    '/none': (req, res) => res.writeHead(204).end(),
    '/long': (req, res) => { res.writeHead(200); res.write('x'.repeat(1000)); },
  });
  try {
    assert.equal((await nodeFetch(s.url + '/none')).body, null);
    assert.equal((await nodeFetch(s.url + '/none', { method: 'HEAD' })).body, null);
    const res = await nodeFetch(s.url + '/long');
    const reader = res.body.getReader();
    await reader.cancel();
    assert.deepEqual(await reader.read(), { done: true, value: undefined });
  } finally { s.close(); }
});
