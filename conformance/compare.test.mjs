// Tests of compare.mjs, the baseline check of conformance/run, on results
// dirs laid out like ../shared/conformance/run-all.sh leaves them
// (plan.tsv + jobs/NNN/result.tsv). Run: node --test conformance/
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const COMPARE = new URL('./compare.mjs', import.meta.url).pathname;

/** Writes a results dir: rows are [scenario, version, status, failIds]. */
function results(rows) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcpw-compare-'));
  let plan = '';
  rows.forEach(([scenario, version, status, failIds = '-'], i) => {
    const idx = String(i + 1).padStart(3, '0');
    plan += `${idx}\t${scenario}\t${version}\tlabel\n`;
    if (status === null) return;  // the runner left no result for this run
    fs.mkdirSync(path.join(dir, 'jobs', idx), { recursive: true });
    fs.writeFileSync(path.join(dir, 'jobs', idx, 'result.tsv'),
      `${idx}\t${scenario}\t${version}\t${status}\t1\t0\t0\t0\t${failIds}\t-\t-\n`);
  });
  fs.writeFileSync(path.join(dir, 'plan.tsv'), plan);
  return dir;
}

function baseline(lines) {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mcpw-baseline-')), 'expected.tsv');
  fs.writeFileSync(file, ['# scenario\tversion\texpected\treason', ...lines].join('\n') + '\n');
  return file;
}

function compare(base, dirs, ...extra) {
  const r = spawnSync(process.execPath, [COMPARE, base, ...dirs, ...extra], { encoding: 'utf8' });
  const lines = r.stdout.trim().split('\n');
  return { code: r.status, last: lines.at(-1), out: r.stdout, err: r.stderr };
}

const BASE = baseline([
  'initialize\t2025-11-25\tPASS',
  'tools_call\t2026-07-28\tFAIL\t2026-07-28 era not implemented',
  'sep-2640-client-no-prefetch\t2025-11-25\tSKIP\tskills extension not implemented',
]);

test('every run as expected: exit 0, all counted as passed', () => {
  const dir = results([['initialize', '2025-11-25', 'PASS'], ['tools_call', '2026-07-28', 'FAIL', 'tool-add-numbers'],
    ['sep-2640-client-no-prefetch', '2025-11-25', 'SKIP']]);
  const r = compare(BASE, [dir]);
  assert.equal(r.code, 0, r.out);
  assert.equal(r.last, '3 passed, 0 failed');
});

test('WARN, HANG and ERROR count as an expected failure', () => {
  for (const status of ['WARN', 'HANG', 'ERROR']) {
    const dir = results([['initialize', '2025-11-25', 'PASS'], ['tools_call', '2026-07-28', status],
      ['sep-2640-client-no-prefetch', '2025-11-25', 'SKIP']]);
    assert.equal(compare(BASE, [dir]).last, '3 passed, 0 failed', status);
  }
});

test('a listed failure that now passes fails the run', () => {
  const dir = results([['initialize', '2025-11-25', 'PASS'], ['tools_call', '2026-07-28', 'PASS'],
    ['sep-2640-client-no-prefetch', '2025-11-25', 'SKIP']]);
  const r = compare(BASE, [dir]);
  assert.equal(r.code, 1);
  assert.equal(r.last, '2 passed, 1 failed');
  assert.match(r.out, /tools_call 2026-07-28: NOW PASSES/);
});

test('an expected pass that fails, and an unlisted failure, fail the run', () => {
  const dir = results([['initialize', '2025-11-25', 'FAIL', 'mcp-client-initialization'], ['tools_call', '2026-07-28', 'FAIL'],
    ['sep-2640-client-no-prefetch', '2025-11-25', 'SKIP'], ['sse-retry', '2025-11-25', 'FAIL', 'client-sse-graceful-reconnect']]);
  const r = compare(BASE, [dir]);
  assert.equal(r.code, 1);
  assert.equal(r.last, '2 passed, 2 failed');
  assert.match(r.out, /initialize 2025-11-25: REGRESSION \[fail: mcp-client-initialization\]/);
  assert.match(r.out, /sse-retry 2025-11-25: UNLISTED FAIL/);
});

test('a run the runner left without a result is a failure', () => {
  const dir = results([['initialize', '2025-11-25', null], ['tools_call', '2026-07-28', 'FAIL'],
    ['sep-2640-client-no-prefetch', '2025-11-25', 'SKIP']]);
  const r = compare(BASE, [dir]);
  assert.equal(r.last, '2 passed, 1 failed');
});

test('a SKIP where a pass or failure was expected is a mismatch', () => {
  const dir = results([['initialize', '2025-11-25', 'SKIP'], ['tools_call', '2026-07-28', 'FAIL'],
    ['sep-2640-client-no-prefetch', '2025-11-25', 'PASS']]);
  const r = compare(BASE, [dir]);
  assert.equal(r.last, '1 passed, 2 failed');
});

test('baseline entries without a run are stale, unless the run was filtered', () => {
  const dir = results([['initialize', '2025-11-25', 'PASS']]);
  const full = compare(BASE, [dir]);
  assert.equal(full.last, '1 passed, 2 failed');
  assert.match(full.out, /tools_call 2026-07-28: listed in the baseline/);
  assert.equal(compare(BASE, [dir], '--partial').last, '1 passed, 0 failed');
});

test('results of several dirs are merged', () => {
  const a = results([['initialize', '2025-11-25', 'PASS'], ['tools_call', '2026-07-28', 'FAIL']]);
  const b = results([['sep-2640-client-no-prefetch', '2025-11-25', 'SKIP']]);
  assert.equal(compare(BASE, [a, b]).last, '3 passed, 0 failed');
});

test('an expected failure without a reason, or a bad line, is a baseline error (exit 2)', () => {
  const dir = results([['initialize', '2025-11-25', 'PASS']]);
  const noReason = compare(baseline(['initialize\t2025-11-25\tFAIL']), [dir]);
  assert.equal(noReason.code, 2);
  assert.match(noReason.err, /gives no reason/);
  assert.equal(compare(baseline(['initialize\t2025-11-25\tMAYBE\tx']), [dir]).code, 2);
  assert.equal(compare(baseline(['initialize\t2025-11-25\tPASS', 'initialize\t2025-11-25\tPASS']), [dir]).code, 2);
});

test('--draft writes a baseline that matches the run it came from', () => {
  const dir = results([['initialize', '2025-11-25', 'PASS'], ['tools_call', '2026-07-28', 'FAIL', 'tool-add-numbers'],
    ['sse-retry', '2025-11-25', 'FAIL', 'client-sse-graceful-reconnect']]);
  const draft = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mcpw-draft-')), 'draft.tsv');
  compare(BASE, [dir], '--draft', draft);
  const text = fs.readFileSync(draft, 'utf8');
  assert.match(text, /^tools_call\t2026-07-28\tFAIL\t2026-07-28 era not implemented$/m);  // reason kept
  assert.match(text, /^sse-retry\t2025-11-25\tFAIL\tTODO: fails client-sse-graceful-reconnect$/m);
  assert.equal(compare(draft, [dir]).last, '3 passed, 0 failed');
});
