#!/usr/bin/env node
// Generates tests/regex/data/differential.json: (pattern, subject, expected)
// triples where `expected` is what Node's RegExp with the `u` flag answers for
// `new RegExp(pattern, 'u').test(subject)`, or "error" when Node rejects the
// pattern. tests/regex/differential_test.cpp replays them against our engine.
//
//   node tools/regex/gen_differential.mjs > tests/regex/data/differential.json
//
// Two parts: hand-written patterns (each feature, JSON Schema patterns seen in
// practice) with hand-picked subjects, and random patterns from a seeded PRNG
// (deterministic output) over a small alphabet so that matches are frequent.

// mulberry32: a tiny seeded PRNG, so the file is reproducible.
function rng(seed) {
  return () => {
    seed |= 0; seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
// SEED / COUNT may be overridden for ad-hoc wider runs (the committed table uses the defaults).
const rand = rng(Number(process.env.SEED || 20261125));
const pick = (a) => a[Math.floor(rand() * a.length)];

const SUBJECTS = ['', 'a', 'b', 'ab', 'ba', 'aab', 'abc', 'abab', 'aaaa', 'a b', 'A', 'Z9', '_', '0', '42', '١٢', 'x-y',
  'é', 'École', 'école', 'ÿ', 'Ωμέγα', 'Жук', '🐲', '🐲🐲', 'a🐲b', '\n', 'a\nb', '\r\n', '\t', '\u00a0', '\u2028',
  '\ufeff', '\u3000', ' ', 'foo.bar', 'foo@example.com', '2024-01-31', '12:30:00Z', 'abc123', 'ABC_def', '$x', '-',
  '()', '[]', '{}', '\\', '/', 'a/b', 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaab'];

const CURATED = [
  // literals, dot, anchors
  'a', 'ab', 'abc', '^a', 'a$', '^$', '^abc$', '.', '^.$', '^..$', 'a.b', '^.*$', 'b$', '^\\n$',
  // classes
  '[abc]', '[^abc]', '[a-z]', '^[a-z]+$', '[A-Z0-9_]', '[^\\n]', '[-a]', '[a-]', '[a\\-z]', '[\\]]', '[\\[]', '[.]',
  '[\\d]', '[\\D]', '[^\\d\\s]', '[\\w-]', '[\\u0041-\\u005a]', '[\\u{1F432}]', '^[🐲]$', '[🐀-🐿]', '[^🐲]', '[]', '[^]',
  '[\\b]', '[\\0]', '[\\cA]', '[a-z-0]', '[--0]', '[\\x41-\\x5A]', '[é-ö]', '[\\p{L}]', '[^\\p{L}]', '[\\P{L}\\d]',
  // escapes
  '\\d', '\\D', '\\w', '\\W', '\\s', '\\S', '^\\d$', '^\\w$', '^\\s$', '^\\S$', '^\\W$', '^\\D$', '\\bfoo\\b', '\\Ba',
  'a\\b', '\\t', '\\n', '\\r', '\\v', '\\f', '\\0', '\\cJ', '\\cj', '\\x41', '\\u0041', '\\u{41}', '\\u{1F432}',
  '\\uD83D\\uDC32', '^\\uD83D\\uDC32$', '\\uD83D', '\\.', '\\*', '\\/', '\\\\', '\\^', '\\$', '\\(', '\\)', '\\[', '\\]',
  '\\{', '\\}', '\\|', '\\?', '\\+',
  // groups, alternation
  'a|b', '^(a|b)$', '(ab)+', '(?:ab)+$', '^(?:a|ab)c', '(a)|b', '^(?<x>a)\\k<x>$', '(?<first>\\w)(?<second>\\w)',
  '(?<$x>a)', '(?<_>a)', '(?<é>a)', '(?<a1>b)', 'a||b', '|', '(|a)', '()',
  // quantifiers
  'a*', 'a+', 'a?', 'a{2}', 'a{2,}', 'a{1,2}', '^a{2}$', '^a{2,3}$', '^a{0}$', 'a*?', 'a+?b', 'a??', 'a{2,}?',
  '^(a+)+$', '^(a|aa)+b$', '^(a*)*b$', '^(?:a?){3}a{3}$', 'a{0,0}b', '^\\d{3}-\\d{4}$', '^[0-9]{2,}$',
  // lookaround, backrefs
  'a(?=b)', 'a(?!b)', '(?<=a)b', '(?<!a)b', '^(?=.*\\d)(?=.*[a-z]).+$', '(?<=🐲)b', '(?<=\\w\\w)c', '(?<!^)a',
  '(a)\\1', '^(a)\\1$', '(\\w)\\1', '\\1(a)', '^(?:(a)|b)\\1$', '(?<=(a))b\\1', '(?=(a))\\1b', '^(a)(?!\\1)b',
  '(?<=\\1(a))b', '^(?:(a)|b){2}\\1$', '(?<=a+)b', '(?<=^a*)b', '(a*)+\\1b', '^(a?)+$',
  // Unicode properties
  '\\p{L}', '\\p{Letter}', '^\\p{L}+$', '\\P{L}', '\\p{Lu}', '\\p{Ll}', '\\p{Lt}', '\\p{Lm}', '\\p{Lo}', '\\p{N}',
  '\\p{Nd}', '^\\p{digit}+$', '\\p{Decimal_Number}', '\\p{gc=Lu}', '\\p{General_Category=Letter}', '\\p{Script=Latin}',
  '\\p{sc=Greek}', '\\p{Script=Cyrillic}', '\\p{scx=Latn}', '\\p{Script_Extensions=Greek}', '\\p{Emoji}',
  '\\p{Emoji_Presentation}', '\\p{ASCII}', '\\p{Any}', '\\p{Alphabetic}', '\\p{White_Space}', '\\p{Zs}', '\\p{P}',
  '\\p{punct}', '\\p{S}', '\\p{Sc}', '\\p{Cc}', '\\p{Cn}', '\\p{C}', '\\p{LC}', '\\p{Uppercase}', '\\p{ID_Start}',
  '\\p{Letter}cole', '\\wcole', '[a-z]cole', '^\\d+$', '^🐲*$',
  // JSON Schema patterns seen in practice
  '^[a-zA-Z0-9_-]+$', '^[a-z][a-z0-9_]*$', '^\\d{4}-\\d{2}-\\d{2}$', '^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$',
  '^(\\([0-9]{3}\\))?[0-9]{3}-[0-9]{4}$', '^[A-Za-z0-9+/]*={0,2}$', '^#[0-9a-fA-F]{6}$', '^x-', '^\\$',
  '^[a-zA-Z0-9._%+-]+@[a-zA-Z0-9.-]+\\.[a-zA-Z]{2,}$', '^(?!\\s*$).+', '^[^/]+/[^/]+$', '^https?://',
  '^([01]?[0-9]|2[0-3]):[0-5][0-9]$', 'f.*o', '[0-9]{2,}', 'X_', '^.*bar$', 'aaa*', '^[\\p{L}\\p{N}_-]+$',
  // syntax errors under the u flag (Node must reject them too)
  '(', ')', '[', ']', '{', '}', 'a{', 'a{1', 'a{1,', 'a{2,1}', '*', '+a', 'a**', 'a{1}{2}', '\\', '\\a', '\\e',
  '\\c', '\\c1', '\\x4', '\\u12', '\\u{110000}', '\\u{}', '\\00', '\\01', '\\1', '(a)\\2', '\\k<x>', '(?<x>a)\\k<y>',
  '(?<x>a)(?<x>b)', '(?<1a>x)', '(?<>x)', '(?x)', '(?i:a)', '[z-a]', '[\\d-z]', '[a-\\d]', '\\p{Foo}', '\\p{L',
  '\\p{Latin}', '\\p{sc=Foo}', '\\p{Script=L}', '\\p{gc=Latin}', '\\p{=L}', '\\p{L=}', '(?=a)*', '(?<=a)+', '^*',
  '$+', '\\b*', '\\-', '[\\B]', '[\\1]', '\\8', 'a{,5}', '\\P', '\\pL', '[\\k]', '\\k', '\\k<', '\\u{1F432',
];

// Random patterns: a small grammar, nested at most 3 deep.
const ATOMS = ['a', 'b', 'ab', '.', '\\d', '\\w', '\\s', '\\W', '[ab]', '[^a]', '[a-c]', 'é', '🐲', '\\p{L}', '\\P{L}',
  '\\p{Nd}', '\\u{1F432}', '\\n', ' ', '\\b', '\\B', '^', '$'];
// Rarely: tokens that often make the pattern invalid (Node must agree).
const BAD = ['\\1', '\\k<g0>', '(', ')', '[', '{', '|', '\\', '{', '**', '\\2', ']'];
const QUANTS = ['', '', '', '*', '+', '?', '{2}', '{1,2}', '{0,}', '*?', '+?', '??', '{2,3}?'];
let names = 0;  // named groups get distinct names (duplicates are an error)
function randomPattern(depth) {
  const n = 1 + Math.floor(rand() * 4);
  let p = '';
  for (let k = 0; k < n; k++) {
    let atom;
    let look = false;
    const r = rand();
    if (depth < 3 && r < 0.25) {
      let open = pick(['(', '(?:', '(?<g>', '(?=', '(?!', '(?<=', '(?<!']);
      if (open === '(?<g>') open = `(?<g${names++}>`;
      atom = open + randomPattern(depth + 1) + (rand() < 0.3 ? '|' + randomPattern(depth + 1) : '') + ')';
      // u-mode: lookarounds cannot be quantified
      look = ['(?=', '(?!', '(?<=', '(?<!'].includes(open);
    } else {
      atom = rand() < 0.04 ? pick(BAD) : pick(ATOMS);
    }
    const assertion = ['^', '$', '\\b', '\\B'].includes(atom);
    p += atom + (rand() < 0.03 ? pick(BAD) : assertion || look ? '' : pick(QUANTS));
    if (rand() < 0.1) p += '|';
  }
  return p;
}
// Second family: backreference- and lookaround-heavy patterns over {a, b}
// that are valid by construction (\N only after N groups were opened), with
// subjects up to 9 characters: they exercise the backtracking VM.
let groups = 0;
function backtrackingPattern(depth) {
  const n = 1 + Math.floor(rand() * 3);
  let p = '';
  for (let k = 0; k < n; k++) {
    let atom;
    let quantifiable = true;
    const r = rand();
    if (depth < 3 && r < 0.35) {
      const open = pick(['(', '(', '(?:', '(?=', '(?!', '(?<=', '(?<!']);
      if (open === '(') groups++;
      atom = open + backtrackingPattern(depth + 1) + (rand() < 0.4 ? '|' + backtrackingPattern(depth + 1) : '') + ')';
      quantifiable = open === '(' || open === '(?:';
    } else if (r < 0.5 && groups > 0) {
      atom = '\\' + (1 + Math.floor(rand() * groups));
    } else {
      atom = pick(['a', 'b', 'a', 'b', '.', '[ab]', '^', '$', '\\b']);
      quantifiable = !['^', '$', '\\b'].includes(atom);
    }
    p += atom + (quantifiable ? pick(['', '', '*', '+', '?', '{2}', '{0,2}', '*?', '+?', '??']) : '');
  }
  return p;
}
function abSubject() {
  let s = '';
  const n = Math.floor(rand() * 10);
  for (let k = 0; k < n; k++) s += pick(['a', 'b']);
  return s;
}

function randomSubject() {
  const alphabet = ['a', 'a', 'b', 'b', 'c', '1', ' ', '\n', 'é', '🐲', 'Ж', '_', '-'];
  const n = Math.floor(rand() * 7);
  let s = '';
  for (let k = 0; k < n; k++) s += pick(alphabet);
  return s;
}

// Spec answer of RegExp.prototype.test (§22.2.7.2 RegExpBuiltinExec): try a
// match at each code point boundary. V8's own unanchored scan also tries
// offsets inside a surrogate pair, so e.g. /\B/u.test("b🐲a") is true in Node
// although no code point boundary matches; UTF-8 subjects have no such
// offsets, so the table records the spec answer (the sticky scan below) and
// counts where plain .test() differs.
let v8Quirks = 0;
function specTest(sticky, s) {
  for (let i = 0; i <= s.length; i += (s.codePointAt(i) > 0xffff ? 2 : 1)) {
    sticky.lastIndex = i;
    if (sticky.test(s)) return true;
  }
  return false;
}
function entry(pattern, subjects) {
  let re, sticky;
  try {
    re = new RegExp(pattern, 'u');
    sticky = new RegExp(pattern, 'uy');
  } catch {
    return [pattern, 'error'];
  }
  return [pattern, subjects.map((s) => {
    const spec = specTest(sticky, s);
    if (spec !== re.test(s)) v8Quirks++;
    return [s, spec ? 1 : 0];
  })];
}

const cases = [];
for (const p of CURATED) cases.push(entry(p, SUBJECTS));
const seen = new Set(CURATED);
while (cases.length < CURATED.length + Number(process.env.COUNT || 2500)) {
  names = 0;
  const p = randomPattern(0);
  if (seen.has(p)) continue;
  seen.add(p);
  const subjects = [];
  for (let k = 0; k < 8; k++) subjects.push(randomSubject());
  cases.push(entry(p, subjects));
}
const firstFamily = cases.length;
while (cases.length < firstFamily + Number(process.env.COUNT2 || 600)) {
  groups = 0;
  const p = backtrackingPattern(0);
  if (seen.has(p)) continue;
  seen.add(p);
  const subjects = [];
  for (let k = 0; k < 6; k++) subjects.push(abSubject());
  cases.push(entry(p, subjects));
}
// Third family: \p{...} tables. Every General_Category value and a sample of
// scripts and binary properties, each against random code points (mostly
// BMP and planes 1-2, where the sets are dense), so a table or decoding
// error shows up.
const PROPERTIES = ['C', 'Cc', 'Cf', 'Cn', 'Co', 'L', 'LC', 'Ll', 'Lm', 'Lo', 'Lt', 'Lu', 'M', 'Mc', 'Me', 'Mn', 'N',
  'Nd', 'Nl', 'No', 'P', 'Pc', 'Pd', 'Pe', 'Pf', 'Pi', 'Po', 'Ps', 'S', 'Sc', 'Sk', 'Sm', 'So', 'Z', 'Zl', 'Zp', 'Zs',
  'Script=Latin', 'Script=Greek', 'Script=Cyrillic', 'Script=Han', 'Script=Arabic', 'Script=Hebrew', 'Script=Common',
  'Script=Inherited', 'Script=Devanagari', 'Script=Hiragana', 'sc=Zyyy', 'scx=Hira', 'scx=Latn', 'scx=Arab',
  'Script_Extensions=Deva', 'Alphabetic', 'White_Space', 'Emoji', 'Extended_Pictographic', 'ID_Start', 'ID_Continue',
  'Uppercase', 'Lowercase', 'Math', 'Dash', 'Assigned', 'Any', 'ASCII', 'Changes_When_NFKC_Casefolded',
  'Grapheme_Base', 'Case_Ignorable', 'Noncharacter_Code_Point', 'Regional_Indicator'];
function randomCodePoint() {
  const r = rand();
  const hi = r < 0.6 ? 0x10000 : r < 0.9 ? 0x30000 : 0x110000;
  for (;;) {
    const cp = Math.floor(rand() * hi);
    if (cp < 0xd800 || cp > 0xdfff) return String.fromCodePoint(cp);
  }
}
for (const prop of PROPERTIES) {
  const subjects = [];
  for (let k = 0; k < 40; k++) subjects.push(randomCodePoint());
  cases.push(entry(`^\\p{${prop}}$`, subjects));
  cases.push(entry(`^[^\\P{${prop}}a]$`, subjects));
}
process.stdout.write('{"generator": "tools/regex/gen_differential.mjs", "node": ' + JSON.stringify(process.version) +
  ', "unicode": ' + JSON.stringify(process.versions.unicode) +
  ', "v8_mid_surrogate_differences": ' + v8Quirks + ',\n "cases": [\n' +
  cases.map((c) => JSON.stringify(c)).join(',\n') + '\n]}\n');
