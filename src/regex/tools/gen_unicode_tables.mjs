#!/usr/bin/env node
// Generates src/regex/unicode_tables.inc: the code point sets behind `\p{...}`
// (ECMA-262 §22.2.2.9 UnicodePropertyValueExpression, tables 67-69), taken
// from the running Node's own RegExp engine so our answers equal V8's.
//
// Usage (property/value NAMES come from three small npm packages by Mathias
// Bynens, the ones regexpu uses; the SETS come from Node itself):
//   npm install --prefix /tmp/regexgen unicode-property-value-aliases-ecmascript@2.2.1 \
//       unicode-property-aliases-ecmascript@3.0.0 unicode-canonical-property-names-ecmascript@3.0.0
//   node src/regex/tools/gen_unicode_tables.mjs /tmp/regexgen/node_modules > src/regex/unicode_tables.inc
//
// Encoding (compact): every set is a sorted list of disjoint ranges [lo, hi],
// stored as LEB128 varints of (lo - previous hi - 1, hi - lo) in one byte
// string. General_Category stores its 30 leaf values only; composite values
// (L, LC, N, ...) are a bit mask over the leaves and are unioned at compile.
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const dir = process.argv[2] || './node_modules';
const load = async (p) => (await import(pathToFileURL(path.resolve(dir, p)).href)).default;
const valueAliases = await load('unicode-property-value-aliases-ecmascript/index.js');
const propAliases = await load('unicode-property-aliases-ecmascript/index.mjs');
const canonical = await load('unicode-canonical-property-names-ecmascript/index.mjs');

// One string holding every non-surrogate code point in order; surrogates are
// tested one by one (a lone surrogate pair would otherwise join).
const parts = [];
for (let c = 0; c < 0xd800; c++) parts.push(String.fromCodePoint(c));
for (let c = 0xe000; c < 0x110000; c++) parts.push(String.fromCodePoint(c));
const ALL = parts.join('');

function valid(expr) {
  try { new RegExp(expr, 'u'); return true; } catch { return false; }
}
const memo = new Map();
function rangesOf(expr) {
  if (!memo.has(expr)) memo.set(expr, computeRanges(expr));
  return memo.get(expr);
}
function computeRanges(expr) {
  const bm = new Uint8Array(0x110000);
  for (const m of ALL.matchAll(new RegExp(expr + '+', 'gu'))) {
    for (const ch of m[0]) bm[ch.codePointAt(0)] = 1;
  }
  const one = new RegExp('^' + expr + '$', 'u');
  for (let c = 0xd800; c < 0xe000; c++) if (one.test(String.fromCharCode(c))) bm[c] = 1;
  const r = [];
  for (let c = 0; c < 0x110000;) {
    if (!bm[c]) { c++; continue; }
    const s = c;
    while (c < 0x110000 && bm[c]) c++;
    r.push([s, c - 1]);
  }
  return r;
}

const bytes = [];
function varint(n) {
  do { let b = n & 0x7f; n >>>= 7; if (n) b |= 0x80; bytes.push(b); } while (n);
}
function emitSet(r) {
  const offset = bytes.length;
  let prev = 0;
  for (const [lo, hi] of r) { varint(lo - prev); varint(hi - lo); prev = hi + 1; }
  return { offset, count: r.length };
}
const namesOf = (map, canon) => [...new Set([...map.entries()].filter(([, c]) => c === canon).map(([a]) => a).concat([canon]))];

// General_Category: leaves, then every name (alias or composite) as a mask.
const LEAVES = ['Cc', 'Cf', 'Cn', 'Co', 'Cs', 'Ll', 'Lm', 'Lo', 'Lt', 'Lu', 'Mc', 'Me', 'Mn', 'Nd', 'Nl',
  'No', 'Pc', 'Pd', 'Pe', 'Pf', 'Pi', 'Po', 'Ps', 'Sc', 'Sk', 'Sm', 'So', 'Zl', 'Zp', 'Zs'];
const gcMap = valueAliases.get('General_Category');
const leafSets = LEAVES.map((l) => emitSet(rangesOf(`\\p{gc=${l}}`)));
const gcNames = [];
for (const canon of new Set(gcMap.values())) {
  // Mask: the leaves whose sets lie inside this value's set.
  const set = rangesOf(`\\p{gc=${canon}}`);
  const has = (cp) => set.some(([lo, hi]) => cp >= lo && cp <= hi);
  let mask = 0;
  LEAVES.forEach((l, i) => { const r = rangesOf(`\\p{gc=${l}}`); if (r.length && has(r[0][0])) mask |= (1 << i); });
  // Sanity: the union of the chosen leaves must equal the set.
  const union = LEAVES.flatMap((l, i) => (mask & (1 << i)) ? rangesOf(`\\p{gc=${l}}`) : []).reduce((n, [lo, hi]) => n + hi - lo + 1, 0);
  const size = set.reduce((n, [lo, hi]) => n + hi - lo + 1, 0);
  if (union !== size) throw new Error(`gc ${canon}: leaf union ${union} != ${size}`);
  for (const n of namesOf(gcMap, canon)) if (valid(`\\p{gc=${n}}`)) gcNames.push([n, mask >>> 0]);
}

function valued(prop, short) {
  const map = valueAliases.get(prop);
  const out = [];
  for (const canon of new Set(map.values())) {
    if (!valid(`\\p{${short}=${canon}}`)) continue;  // e.g. Katakana_Or_Hiragana
    const s = emitSet(rangesOf(`\\p{${short}=${canon}}`));
    for (const n of namesOf(map, canon)) if (valid(`\\p{${short}=${n}}`)) out.push([n, s]);
  }
  return out;
}
const scripts = valued('Script', 'sc');
const scriptExt = valued('Script_Extensions', 'scx');

const binary = [];
for (const canon of canonical) {
  if (valueAliases.has(canon) || !valid(`\\p{${canon}}`)) continue;
  const s = emitSet(rangesOf(`\\p{${canon}}`));
  const names = namesOf(propAliases, canon);
  for (const n of names) if (valid(`\\p{${n}}`)) binary.push([n, s]);
}

const byName = (a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);
gcNames.sort(byName); scripts.sort(byName); scriptExt.sort(byName); binary.sort(byName);

const out = [];
out.push('// GENERATED by src/regex/tools/gen_unicode_tables.mjs from Node ' + process.version +
  ' (Unicode ' + process.versions.unicode + '). DO NOT EDIT.');
out.push('// Included only by src/regex/unicode_props.cpp. Sets are varint-delta range lists');
out.push('// (see the generator for the encoding); names are sorted for binary search.');
out.push('');
out.push('inline constexpr const char* kGcLeafNames[] = {' + LEAVES.map((l) => `"${l}"`).join(', ') + '};');
out.push('inline constexpr SetRef kGcLeafSets[] = {');
for (const s of leafSets) out.push(`    {${s.offset}, ${s.count}},`);
out.push('};');
out.push('inline constexpr GcName kGcNames[] = {');
for (const [n, m] of gcNames) out.push(`    {"${n}", 0x${m.toString(16)}u},`);
out.push('};');
for (const [id, list] of [['kScripts', scripts], ['kScriptExtensions', scriptExt], ['kBinaryProperties', binary]]) {
  out.push(`inline constexpr NamedSet ${id}[] = {`);
  for (const [n, s] of list) out.push(`    {"${n}", {${s.offset}, ${s.count}}},`);
  out.push('};');
}
// The byte string: octal escapes, three digits each so no escape runs on.
out.push(`inline constexpr std::size_t kSetBytesSize = ${bytes.length};`);
out.push('inline constexpr const char kSetBytes[] =');
for (let i = 0; i < bytes.length; i += 32) {
  out.push('    "' + bytes.slice(i, i + 32).map((b) => '\\' + b.toString(8).padStart(3, '0')).join('') + '"');
}
out.push('    ;');
process.stdout.write(out.join('\n') + '\n');
