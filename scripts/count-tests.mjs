// Sums the test results of one scripts/test run: GoogleTest JSON reports
// (native and wasm) and the TAP stream of node --test. Prints one line per
// part and, last, "N passed, N failed". Exits non-zero on any failure,
// including a build or runner failure that left no report (status arg).
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const [dir, status] = process.argv.slice(2);
let passed = 0;
let failed = 0;

for (const part of ['native', 'wasm']) {
  const d = join(dir, part);
  const files = existsSync(d) ? readdirSync(d).filter((f) => f.endsWith('.json')) : [];
  let p = 0;
  let f = 0;
  for (const file of files) {
    const r = JSON.parse(readFileSync(join(d, file), 'utf8'));
    f += r.failures + (r.errors ?? 0);
    p += r.tests - r.failures - (r.errors ?? 0) - (r.disabled ?? 0);
  }
  console.log(`${part.padEnd(6)} gtest: ${files.length} binaries, ${p} passed, ${f} failed`);
  passed += p;
  failed += f;
}

const tapFile = join(dir, 'js.tap');
const tap = existsSync(tapFile) ? readFileSync(tapFile, 'utf8') : '';
const num = (k) => Number((tap.match(new RegExp(`^# ${k} (\\d+)$`, 'm')) ?? [0, 0])[1]);
console.log(`js     node --test: ${num('pass')} passed, ${num('fail')} failed`);
passed += num('pass');
failed += num('fail') + num('cancelled');

// The conformance suite: runs that matched the baseline vs not (its last line).
const confFile = join(dir, 'conformance.txt');
if (existsSync(confFile)) {
  const m = [...readFileSync(confFile, 'utf8').matchAll(/^(\d+) passed, (\d+) failed$/gm)].pop();
  const p = m ? Number(m[1]) : 0;
  const f = m ? Number(m[2]) : 1;  // no summary line: the run itself broke
  console.log(`conformance runs vs baseline: ${p} passed, ${f} failed`);
  passed += p;
  failed += f;
}

// A step that failed without reporting a failed test (a build error, a crash
// before the report was written) still counts as one failure.
if (status !== '0' && failed === 0) failed = 1;
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
