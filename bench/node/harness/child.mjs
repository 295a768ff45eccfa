// Runs in a fresh process for the cold-start and soak cases; prints one JSON line.
//   node child.mjs cold <adapter> <validator> <url>
//   node --expose-gc child.mjs soak <adapter> <validator> <url> <calls>
const t0 = performance.now(); // ms since this process started (timeOrigin)
const warned = new Set(); // one line per kind of warning (the SDK v1 client adds an abort listener per JSON-mode call)
process.removeAllListeners('warning');
process.on('warning', (w) => { if (!warned.has(w.name)) { warned.add(w.name); console.error(`(child warning, shown once: ${w.name}: ${w.message})`); } });
const [kind, adapter, validator, url, callsText] = process.argv.slice(2);
const mod = await import(`./clients/${adapter}.mjs`);
const tImport = performance.now();
if (mod.instantiate) await mod.instantiate();
const tInstantiate = performance.now();
const c = await mod.createClient({ url, validator: validator === '-' ? undefined : validator, transport: process.env.MCPW_BENCH_TRANSPORT });
const tConnect = performance.now();
await c.callTool('echo', { text: 'hello' });
const tFirst = performance.now();
if (kind === 'cold') {
  console.log(JSON.stringify({ boot: t0, import: tImport, instantiate: tInstantiate, connect: tConnect, first: tFirst }));
} else {
  const calls = Number(callsText);
  const mem = () => { globalThis.gc(); globalThis.gc(); const m = process.memoryUsage(); return { heap: m.heapUsed, rss: m.rss }; };
  const marks = {};
  for (let i = 1; i <= calls; i++) {
    await c.callTool('echo', { text: 'hello' });
    if (i === 1000 || i === calls) marks[i] = mem();
  }
  console.log(JSON.stringify({ at1000: marks[1000], atEnd: marks[calls], calls }));
}
await c.close();
process.exit(0);
