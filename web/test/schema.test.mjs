// compileSchema() in Node (the package's node entry, the shipped Wasm module),
// and a short run inside workerd through miniflare.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileSchema, ValidationError, ClientStateError, McpError } from '../src/entry-node.mjs';
import { settlesWithin } from './helpers.mjs';

const T = { timeout: 60000 };

const TOOL_INPUT = {
  type: 'object',
  properties: {
    repo: { type: 'string', pattern: '^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$' },
    state: { enum: ['open', 'closed'] },
    labels: { type: 'array', items: { type: 'string', maxLength: 5 }, uniqueItems: true },
    'a/b~c': { type: 'integer' },
  },
  required: ['repo'],
  additionalProperties: false,
};

// The module still answers correctly (checked after every hostile input).
async function stillUsable() {
  const s = await compileSchema({ type: 'integer', minimum: 1 });
  assert.deepEqual(s.validate('2'), { valid: true });
  assert.equal(s.validate('0').valid, false);
  s.dispose();
}

test('valid and invalid instances, as JSON text and as values', async () => {
  const s = await compileSchema(TOOL_INPUT);
  assert.deepEqual(s.validate('{"repo":"acme/widgets","state":"open","labels":["bug"]}'), { valid: true });
  assert.deepEqual(s.validate({ repo: 'acme/widgets', 'a/b~c': 3 }), { valid: true });
  for (const bad of [{}, { repo: 'nope' }, { repo: 'a/b', state: 'x' }, { repo: 'a/b', extra: 1 }, [], 'null', 42]) {
    const r = s.validate(bad);
    assert.equal(r.valid, false, JSON.stringify(bad));
    assert.ok(r.errors.length >= 1);
  }
  // UTF-8 beyond ASCII reaches the core intact (maxLength counts code points).
  assert.equal(s.validate({ repo: 'a/b', labels: ['héllo'] }).valid, true);
  assert.equal(s.validate({ repo: 'a/b', labels: ['🎉🎉🎉🎉🎉'] }).valid, true);
  assert.equal(s.validate({ repo: 'a/b', labels: ['🎉🎉🎉🎉🎉🎉'] }).valid, false);
  s.dispose();
});

test('basic output: instance and keyword locations as JSON Pointers', async () => {
  const s = await compileSchema({ ...TOOL_INPUT, $defs: { n: { type: 'integer' } }, properties: { ...TOOL_INPUT.properties, n: { $ref: '#/$defs/n' } } });
  const r = s.validate({ repo: 'a/b', labels: ['ok', 'toolong', 'ok'], 'a/b~c': 1.5, n: 'x' });
  assert.equal(r.valid, false);
  const where = r.errors.map((e) => `${e.instanceLocation} ${e.keywordLocation}`).sort();
  assert.deepEqual(where, [
    '/a~1b~0c /properties/a~1b~0c/type',
    '/labels /properties/labels/uniqueItems',
    '/labels/1 /properties/labels/items/maxLength',
    '/n /properties/n/$ref/type',
  ]);
  assert.ok(r.errors.every((e) => typeof e.message === 'string' && e.message.length > 0));
  // output "flag": the verdict only.
  const f = await compileSchema(TOOL_INPUT, { output: 'flag' });
  assert.deepEqual(f.validate('{}'), { valid: false, errors: [] });
  assert.deepEqual(f.validate('{"repo":"a/b"}'), { valid: true });
  // assert() lists errors even then.
  assert.throws(() => f.assert('{}'), (e) => e instanceof ValidationError && e.code === 'validation.failed' &&
    e.kind === 'local' && e.errors[0].keywordLocation === '/required' && /repo/.test(e.message));
  assert.equal(f.assert('{"repo":"a/b"}'), undefined);
  s.dispose();
  f.dispose();
});

test('formats annotate by default and assert when asked', async () => {
  const schema = { type: 'object', properties: { at: { format: 'date-time' }, mail: { format: 'email' }, id: { format: 'uuid' } } };
  const bad = { at: '2026-03-11 09:30', mail: 'nope', id: 'x' };
  const good = { at: '2026-03-11T09:30:00Z', mail: 'a@example.com', id: '3f2504e0-4f89-11d3-9a0c-0305e82c3311' };
  const annotate = await compileSchema(schema);
  assert.equal(annotate.validate(bad).valid, true);
  const strict = await compileSchema(schema, { formats: 'assert' });
  assert.equal(strict.validate(good).valid, true);
  const r = strict.validate(bad);
  assert.deepEqual(r.errors.map((e) => e.instanceLocation).sort(), ['/at', '/id', '/mail']);
  annotate.dispose();
  strict.dispose();
});

test('dialects: $schema, defaultDialect', async () => {
  // draft-07: items as an array is a tuple; 2020-12 ignores that meaning (prefixItems).
  const tuple = { items: [{ type: 'integer' }] };
  const d7 = await compileSchema(tuple, { defaultDialect: 'draft-07' });
  assert.equal(d7.validate('["x"]').valid, false);
  const d7b = await compileSchema({ $schema: 'http://json-schema.org/draft-07/schema#', ...tuple });
  assert.equal(d7b.validate('["x"]').valid, false);
  await assert.rejects(compileSchema(tuple), (e) => e instanceof ClientStateError && e.code === 'schema.invalid');
  await assert.rejects(compileSchema({}, { defaultDialect: 'draft-03' }), (e) => e.code === 'support.invalid_argument');
  d7.dispose();
  d7b.dispose();
});

test('remote $ref through options.schemas; nothing is fetched', async () => {
  const remote = { $id: 'https://example.com/person.json', type: 'object', properties: { name: { $ref: '#/$defs/name' } },
    $defs: { name: { type: 'string', minLength: 1 } }, required: ['name'] };
  const schema = { type: 'array', items: { $ref: 'https://example.com/person.json' } };
  const s = await compileSchema(schema, { schemas: { 'https://example.com/person.json': remote } });
  assert.deepEqual(s.validate([{ name: 'ada' }]), { valid: true });
  const r = s.validate([{ name: 'ada' }, { name: '' }]);
  assert.equal(r.valid, false);
  assert.equal(r.errors[0].instanceLocation, '/1/name');
  assert.match(r.errors[0].keywordLocation, /^\/items\/\$ref\/properties\/name\/\$ref\/minLength$/);
  await assert.rejects(compileSchema(schema), (e) => e instanceof ClientStateError && e.code === 'schema.unresolved_ref' &&
    /example\.com\/person\.json/.test(e.message));
  s.dispose();
});

test('bad schemas and options reject with typed errors', async () => {
  const cases = [
    [{ type: 5 }, 'schema.invalid'],
    [{ minimum: 'x' }, 'schema.invalid'],
    [{ pattern: '(' }, 'schema.invalid'],
    [{ $ref: '#/$defs/missing' }, 'schema.unresolved_ref'],
    [{ $schema: 'https://example.com/unknown' }, 'schema.unknown_dialect'],
    ['{"type":', 'json.syntax'],
    [42, 'schema.invalid'],
  ];
  for (const [schema, code] of cases) {
    await assert.rejects(compileSchema(schema), (e) => e instanceof ClientStateError && e.code === code &&
      e.kind === 'local' && e.message.length > 0, JSON.stringify(schema));
  }
  await assert.rejects(compileSchema({}, { formats: 'yes' }), (e) => e.code === 'support.invalid_argument');
  await assert.rejects(compileSchema({}, { output: 'verbose' }), (e) => e.code === 'support.invalid_argument');
  await assert.rejects(compileSchema({}, { schemas: [] }), (e) => e.code === 'support.invalid_argument');
  await assert.rejects(compileSchema(undefined), (e) => e.code === 'support.invalid_argument');
  await stillUsable();
});

test('invalid JSON text and unserialisable values are typed errors', async () => {
  const s = await compileSchema({});
  for (const [text, code] of [['{', 'json.syntax'], ['', 'json.syntax'], ['{"a":1}x', 'json.syntax'],
    ['"\\ud800"', 'json.syntax'], ['[1,]', 'json.syntax'], ['nan', 'json.syntax']]) {
    assert.throws(() => s.validate(text), (e) => e instanceof ValidationError && e.code === code, text);
    assert.throws(() => s.assert(text), (e) => e instanceof ValidationError && e.code === code, text);
  }
  const cyclic = {};
  cyclic.self = cyclic;
  assert.throws(() => s.validate(cyclic), (e) => e instanceof ValidationError && e.code === 'json.unserialisable');
  assert.throws(() => s.validate(undefined), (e) => e instanceof ValidationError && e.code === 'json.unserialisable');
  assert.throws(() => s.validate(10n), (e) => e instanceof ValidationError && e.code === 'json.unserialisable');
  assert.deepEqual(s.validate('true'), { valid: true });
  s.dispose();
});

test('the first text a process validates may be empty: a typed error', T, async () => {
  // A fresh process: its module has no text buffer yet (an empty text needs none).
  const entry = new URL('../src/entry-node.mjs', import.meta.url).href;
  const script = `import { compileSchema } from ${JSON.stringify(entry)};
    const s = await compileSchema({});
    try { s.validate(''); console.log('no error'); } catch (e) { console.log(e.constructor.name, e.code); }
    console.log(JSON.stringify(s.validate('[1]')));`;
  const { execFileSync } = await import('node:child_process');
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 30000 });
  assert.equal(out, 'ValidationError json.syntax\n{"valid":true}\n');
});

test('dispose() frees the program; a disposed schema refuses to run', async () => {
  const s = await compileSchema({ type: 'string' });
  s.dispose();
  s.dispose();  // idempotent
  assert.throws(() => s.validate('"x"'), (e) => e instanceof ClientStateError && e.code === 'schema.disposed');
  // Many compile/dispose cycles: no growth that breaks anything.
  for (let i = 0; i < 2000; i++) (await compileSchema({ type: 'object', properties: { [`p${i}`]: { minimum: i } } })).dispose();
  await stillUsable();
});

test('1e6-deep instances: typed errors, no crash', T, async () => {
  const s = await compileSchema({ items: { $ref: '#' } });
  const depth = 1e6;
  const deepText = '['.repeat(depth) + ']'.repeat(depth);
  assert.throws(() => s.validate(deepText), (e) => e instanceof ValidationError && e.code === 'json.too_deep');
  const unclosed = '{"a":'.repeat(depth);
  assert.throws(() => s.validate(unclosed), (e) => e instanceof ValidationError && e.code === 'json.too_deep');
  let deepValue = [];
  for (let i = 0; i < depth; i++) deepValue = [deepValue];
  assert.throws(() => s.validate(deepValue), (e) => e instanceof ValidationError);
  // Within the limit it validates.
  assert.deepEqual(s.validate('['.repeat(100) + ']'.repeat(100)), { valid: true });
  s.dispose();
  await stillUsable();
});

test('1e6-deep schemas: typed errors, no crash', T, async () => {
  const depth = 1e6;
  const text = '{"items":'.repeat(depth) + '{}' + '}'.repeat(depth);
  await assert.rejects(compileSchema(text), (e) => e instanceof ClientStateError && /^(json|schema)\.too_(deep|large)$/.test(e.code));
  let deep = {};
  for (let i = 0; i < depth; i++) deep = { not: deep };
  await assert.rejects(compileSchema(deep), (e) => e instanceof McpError && e.code === 'json.unserialisable');
  // A schema that recurses without consuming the instance: evaluation depth, not a stack overflow.
  const loop = await compileSchema({ $defs: { a: { $ref: '#/$defs/b' }, b: { $ref: '#/$defs/a' } }, $ref: '#/$defs/a' });
  assert.throws(() => loop.validate('1'), (e) => e instanceof ValidationError && e.code === 'schema.eval_depth');
  loop.dispose();
  await stillUsable();
});

test('pathological patterns on long inputs: a verdict or a typed error, quickly', T, async () => {
  const long = 'a'.repeat(100000) + '!';
  for (const pattern of ['^(a+)+$', '^(a|a)*$', '^(a|aa)+$', '(x+x+)+y', '^(\\w+\\s?)*$']) {
    const s = await compileSchema({ type: 'string', pattern });
    const t0 = performance.now();
    let outcome;
    try { outcome = s.validate(JSON.stringify(long)).valid; } catch (e) {
      assert.ok(e instanceof ValidationError && e.code === 'schema.regex_budget', `${pattern}: ${e.code}`);
      outcome = e.code;
    }
    const ms = performance.now() - t0;
    assert.ok(outcome === false || outcome === 'schema.regex_budget', `${pattern}: ${outcome}`);
    assert.ok(ms < 10000, `${pattern} took ${ms} ms`);
    s.dispose();
  }
  // patternProperties over many long keys stays bounded too.
  const pp = await compileSchema({ patternProperties: { '^(a+)+$': { type: 'integer' } } });
  const obj = {};
  for (let i = 0; i < 50; i++) obj['a'.repeat(2000) + i] = 'x';
  try { assert.equal(pp.validate(obj).valid, true); } catch (e) {
    assert.ok(e instanceof ValidationError && /^schema\.(regex|eval)_budget$/.test(e.code), e.code);
  }
  pp.dispose();
  await stillUsable();
});

test('exponential fan-out schemas stop at the evaluation budget', T, async () => {
  // Each level refers to the one below three times: 3^40 paths, a small schema.
  const $defs = { l0: { type: 'integer' } };
  for (let i = 1; i <= 40; i++) {
    const below = { $ref: `#/$defs/l${i - 1}` };
    $defs[`l${i}`] = { anyOf: [{ allOf: [{}, below] }, { not: { not: below } }, below] };
  }
  const s = await compileSchema({ $defs, $ref: '#/$defs/l40' });
  assert.deepEqual(s.validate('1'), { valid: true });  // the first path succeeds at once
  const t0 = performance.now();
  assert.throws(() => s.validate('"x"'), (e) => e instanceof ValidationError && e.code === 'schema.eval_budget');
  assert.ok(performance.now() - t0 < 20000);
  s.dispose();
  await stillUsable();
});

// The shipped module takes \p{...} sets from the host's RegExp
// (bindings/host_unicode.cpp), not from the generated tables the native and
// test builds use: the official optional cases that name properties, run
// here through the package, and the cases around them.
const REGEX_SUITE = fileURLToPath(new URL('../../../shared/json-schema-test-suite/tests/draft2020-12/optional/ecmascript-regex.json', import.meta.url));

test('\\p{...} patterns: sets from the host RegExp, as the official suite expects', T, async (t) => {
  if (!existsSync(REGEX_SUITE)) {
    assert.ok(!process.env.CI, `the JSON-Schema-Test-Suite is missing under CI: ${REGEX_SUITE}`);
    t.skip(`JSON-Schema-Test-Suite not found at ${REGEX_SUITE}`);
    return;
  }
  const groups = JSON.parse(readFileSync(REGEX_SUITE, 'utf8')).filter((g) => /\\[pP]\{/.test(JSON.stringify(g.schema)));
  assert.ok(groups.length >= 4, 'the suite names Unicode properties in some patterns');
  let cases = 0;
  for (const g of groups) {
    const s = await compileSchema(g.schema, { output: 'flag' });
    for (const c of g.tests) {
      assert.equal(s.validate(JSON.stringify(c.data)).valid, c.valid, `${g.description}: ${c.description}`);
      cases++;
    }
  }
  assert.ok(cases >= 10);
  const mixed = await compileSchema({ type: 'string', pattern: '^\\p{Lu}\\p{Ll}+$' }, { output: 'flag' });
  assert.deepEqual(['Émile', 'émile', 'Ωmega', 'ÉCOLE'].map((x) => mixed.validate(JSON.stringify(x)).valid), [true, false, true, false]);
  const greek = await compileSchema({ type: 'string', pattern: '^\\p{Script=Greek}+$' }, { output: 'flag' });
  assert.deepEqual(['αβγ', 'abc'].map((x) => greek.validate(JSON.stringify(x)).valid), [true, false]);
  const group = await compileSchema({ type: 'string', pattern: '^(?<ñame>x)\\k<ñame>$' }, { output: 'flag' });
  assert.deepEqual(['xx', 'xy'].map((x) => group.validate(JSON.stringify(x)).valid), [true, false]);
  for (const bad of ['\\p{Foo}', '\\p{Script=Nope}', '\\p{L}+)', '\\p{L}|\\p{}']) {
    await assert.rejects(compileSchema({ pattern: bad }), (e) => e instanceof ClientStateError && e.code === 'schema.invalid', bad);
  }
  await stillUsable();
});

// --- workerd, through miniflare -------------------------------------------
const WORKER = `
import { compileSchema, ValidationError } from ${JSON.stringify(fileURLToPath(new URL('../src/entry-workerd.mjs', import.meta.url)))};
export default {
  async fetch(request) {
    const { schema, instances, options } = await request.json();
    const s = await compileSchema(schema, options);
    const results = instances.map((x) => s.validate(x));
    let asserted = null;
    try { s.assert(instances[instances.length - 1]); } catch (e) { asserted = { name: e.name, code: e.code, isValidationError: e instanceof ValidationError }; }
    s.dispose();
    let rejected = null;
    try { await compileSchema({ type: 7 }); } catch (e) { rejected = { name: e.name, code: e.code }; }
    return Response.json({ results, asserted, rejected });
  },
};
`;

let outdir;
after(() => { if (outdir) rmSync(outdir, { recursive: true, force: true }); });

test('compileSchema inside workerd (miniflare): no eval, same verdicts', T, async () => {
  const { build } = await import('esbuild');
  const { Miniflare } = await import('miniflare');
  const { wasmAsModule } = await import('../worker/build.mjs');
  outdir = mkdtempSync(path.join(tmpdir(), 'mcpw-schema-worker-'));
  writeFileSync(path.join(outdir, 'src.mjs'), WORKER);
  await build({
    entryPoints: [path.join(outdir, 'src.mjs')], outfile: path.join(outdir, 'worker.mjs'), bundle: true,
    format: 'esm', platform: 'neutral', conditions: ['workerd', 'worker', 'browser'], logLevel: 'silent',
    plugins: [wasmAsModule(outdir)],
  });
  const mf = new Miniflare({
    modulesRoot: outdir,
    modules: [{ type: 'ESModule', path: path.join(outdir, 'worker.mjs') }, { type: 'CompiledWasm', path: path.join(outdir, 'mcpw.wasm') }],
    compatibilityDate: '2025-01-01', host: '127.0.0.1', port: 0,
  });
  try {
    await settlesWithin(mf.ready, 30000, 'miniflare start');
    const res = await settlesWithin(mf.dispatchFetch('http://worker/', {
      method: 'POST',
      body: JSON.stringify({ schema: TOOL_INPUT, options: { formats: 'assert' }, instances: ['{"repo":"a/b"}', { repo: 'a/b' }, { repo: 'ab' }] }),
    }), 30000, 'worker fetch');
    const text = await res.text();
    assert.equal(res.status, 200, text);
    const body = JSON.parse(text);
    assert.deepEqual(body.results.map((r) => r.valid), [true, true, false]);
    assert.equal(body.results[2].errors[0].keywordLocation, '/properties/repo/pattern');
    assert.deepEqual(body.asserted, { name: 'ValidationError', code: 'validation.failed', isValidationError: true });
    assert.deepEqual(body.rejected, { name: 'ClientStateError', code: 'schema.invalid' });
    // \\p{...} sets from workerd's own RegExp (bindings/host_unicode.cpp).
    const uni = await settlesWithin(mf.dispatchFetch('http://worker/', {
      method: 'POST',
      body: JSON.stringify({ schema: { type: 'string', pattern: '^\\p{Lu}\\p{Ll}+$' }, options: {}, instances: ['"Émile"', '"Ωmega"', '"émile"'] }),
    }), 30000, 'worker fetch');
    const uniText = await uni.text();
    assert.equal(uni.status, 200, uniText);
    assert.deepEqual(JSON.parse(uniText).results.map((r) => r.valid), [true, true, false]);
  } finally {
    await mf.dispose();
  }
});
