// The worker the workerd benchmark runs (bench/workerd/run.mjs): one client
// adapter per bundle, so a cold start parses only that client. Every request
// does its whole job inside itself (workerd ties I/O objects to the request
// that made them): connect, warm up, the timed calls, close.
//   POST /calls {url, validator, warm, n, concurrency, memory}  -> {ms, n}
//     memory: 'json' | 'sse' talks to an in-memory server instead of `url`
//     (../node/harness/memory-server.mjs): the clients' own CPU, no sockets
//   POST /list  {url, validator, rounds, memory, changing} -> {ms: [per list]}
//     memory: lists 1,000 tools from an in-memory server (JSON answers);
//     changing: a different list each time (the server's /changing)
//   POST /cold  {url, validator}                         -> {ok}: connect + one call
// Date.now() in workerd advances only at I/O, so a total over many calls
// (each waits on the network) is what can be timed inside; the runner times
// cold starts from outside.

import { memoryServer } from '../node/harness/memory-server.mjs';

export function makeWorker(createClient) {
  const args = { text: 'hello' };
  async function calls({ url, validator, warm = 100, n = 1000, concurrency = 1, memory }) {
    const fetch = memory ? memoryServer({ sse: memory === 'sse' }) : undefined;
    const c = await createClient(memory ? { url: 'http://memory.test/mcp', validator, fetch } : { url, validator });
    try {
      for (let i = 0; i < warm; i++) await c.callTool('echo', args);
      const t0 = Date.now();
      if (concurrency === 1) {
        for (let i = 0; i < n; i++) await c.callTool('echo', args);
      } else {
        for (let i = 0; i < n; i += concurrency) {
          await Promise.all(Array.from({ length: Math.min(concurrency, n - i) }, () => c.callTool('echo', args)));
        }
      }
      return { ms: Date.now() - t0, n };
    } finally {
      await c.close();
    }
  }
  async function list({ url, validator, rounds = 3, memory, changing = false }) {
    const fetch = memory ? memoryServer({ tools: 1000, changing }) : undefined;
    const c = await createClient(memory ? { url: 'http://memory.test/mcp', validator, fetch } : { url: changing ? url + '/changing' : url, validator });
    try {
      await c.listTools();  // warm-up (and the client's first view of the list)
      const ms = [];
      for (let r = 0; r < rounds; r++) {
        const t0 = Date.now();
        const tools = await c.listTools();
        ms.push(Date.now() - t0);
        if (!Array.isArray(tools) || tools.length < 1000) throw new Error(`listTools gave ${tools?.length} tools`);
      }
      return { ms };
    } finally {
      await c.close();
    }
  }
  async function cold({ url, validator }) {
    const c = await createClient({ url, validator });
    const r = await c.callTool('echo', args);
    await c.close();
    return { ok: JSON.stringify(r).includes('hello') };
  }
  const jobs = { '/calls': calls, '/list': list, '/cold': cold };
  return {
    async fetch(request) {
      const job = jobs[new URL(request.url).pathname];
      if (!job) return new Response('not found', { status: 404 });
      try {
        return Response.json(await job(await request.json()));
      } catch (e) {
        return Response.json({ error: String(e?.stack ?? e) }, { status: 500 });
      }
    },
  };
}
