// compare.mjs <expected.tsv> <results-dir>... [--draft FILE]
//
// Reads the per-run results that ../shared/conformance/run-all.sh left in each
// results dir (plan.tsv + jobs/NNN/result.tsv) and compares every run with the
// baseline (STYLE.md habit 7): a run matches when its outcome class equals the
// expected one. Outcome classes: PASS; SKIP (only SKIPPED/INFO checks: the
// client never exercised the scenario); FAIL (FAIL, WARN, HANG or ERROR).
// A run missing from the baseline is expected to PASS; a baseline entry with
// no run in a full (unfiltered) pass is stale and counts as a mismatch.
// Every FAIL or SKIP entry must give a reason.
//
// Prints one line per run, per-version counts of the raw outcomes, the
// mismatches, and last "N passed, N failed" (runs that matched the baseline
// vs not). Exit 0 only when everything matched.
// --draft FILE writes a baseline reflecting this run (existing reasons kept
// where the expectation is unchanged; new failures get their failing check
// ids as a starting reason) for a human to edit and commit.
// --partial: the run was filtered (--only), so baseline entries without a run
// are not stale.
import fs from 'node:fs';
import path from 'node:path';

const argv = process.argv.slice(2);
let draft = null;
let partial = false;
const positional = [];
for (let i = 0; i < argv.length; i++) {
  if (argv[i] === '--draft') draft = argv[++i];
  else if (argv[i] === '--partial') partial = true;
  else positional.push(argv[i]);
}
const [baselineFile, ...resultDirs] = positional;
if (!baselineFile || resultDirs.length === 0) {
  console.error('usage: compare.mjs <expected.tsv> <results-dir>... [--draft FILE] [--partial]');
  process.exit(2);
}

// ---- baseline ---------------------------------------------------------------
const CLASSES = new Set(['PASS', 'FAIL', 'SKIP']);
const expected = new Map();  // "scenario\tversion" -> {expect, reason, line}
const formatErrors = [];
fs.readFileSync(baselineFile, 'utf8').split('\n').forEach((line, i) => {
  if (!line.trim() || line.startsWith('#')) return;
  const [scenario, version, expect, ...rest] = line.split('\t');
  const reason = rest.join('\t').trim();
  const where = `${baselineFile}:${i + 1}`;
  if (!scenario || !version || !CLASSES.has(expect)) { formatErrors.push(`${where}: want "scenario<TAB>version<TAB>PASS|FAIL|SKIP<TAB>reason"`); return; }
  if (expect !== 'PASS' && !reason) formatErrors.push(`${where}: ${scenario} ${version} is expected ${expect} but gives no reason`);
  const key = `${scenario}\t${version}`;
  if (expected.has(key)) formatErrors.push(`${where}: duplicate entry for ${scenario} ${version}`);
  expected.set(key, { expect, reason, line: i + 1 });
});
if (formatErrors.length) {
  for (const e of formatErrors) console.error(e);
  process.exit(2);
}

// ---- results ----------------------------------------------------------------
const runs = [];
for (const dir of resultDirs) {
  const planFile = path.join(dir, 'plan.tsv');
  if (!fs.existsSync(planFile)) continue;
  for (const row of fs.readFileSync(planFile, 'utf8').split('\n')) {
    if (!row) continue;
    const [idx, scenario, version] = row.split('\t');
    let status = 'ERROR', failIds = '-', warnIds = '-', note = 'no result (runner did not finish this run)';
    const resultFile = path.join(dir, 'jobs', idx, 'result.tsv');
    if (fs.existsSync(resultFile)) {
      const f = fs.readFileSync(resultFile, 'utf8').trim().split('\t');
      [status, , , , , failIds, warnIds, note] = f.slice(3);
    }
    runs.push({ scenario, version, status, failIds, warnIds, note, dir: path.join(dir, 'jobs', idx) });
  }
}
const classOf = (status) => (status === 'PASS' || status === 'SKIP' || status === 'N/A' ? status : 'FAIL');

// ---- compare ----------------------------------------------------------------
let matched = 0;
const mismatches = [];
const seen = new Set();
const perVersion = new Map();
const pad = (s, n) => String(s).padEnd(n);
console.log(`${pad('SCENARIO', 42)} ${pad('VERSION', 10)} ${pad('EXPECT', 6)} ${pad('ACTUAL', 6)} VERDICT / FAILING CHECKS`);
for (const run of runs.sort((a, b) => a.scenario.localeCompare(b.scenario) || a.version.localeCompare(b.version))) {
  const key = `${run.scenario}\t${run.version}`;
  seen.add(key);
  const exp = expected.get(key)?.expect ?? 'PASS';
  const actual = classOf(run.status);
  const counts = perVersion.get(run.version) ?? { PASS: 0, FAIL: 0, SKIP: 0, 'N/A': 0 };
  counts[actual]++;
  perVersion.set(run.version, counts);
  const ids = [run.failIds !== '-' ? `fail: ${run.failIds}` : '', run.warnIds !== '-' ? `warn: ${run.warnIds}` : '',
    run.note !== '-' ? run.note : ''].filter(Boolean).join('; ');
  let verdict;
  if (actual === 'N/A') { verdict = 'n/a'; matched++; }
  else if (actual === exp) { verdict = 'ok'; matched++; }
  else {
    verdict = exp === 'PASS' ? (expected.has(key) ? 'REGRESSION' : 'UNLISTED ' + actual)
      : actual === 'PASS' ? 'NOW PASSES: remove or update its baseline entry' : `CHANGED (expected ${exp})`;
    mismatches.push({ ...run, exp, actual, verdict, ids });
  }
  console.log(`${pad(run.scenario, 42)} ${pad(run.version, 10)} ${pad(exp, 6)} ${pad(run.status, 6)} ${verdict}${ids ? `  [${ids}]` : ''}`);
}
const stale = partial ? [] : [...expected.keys()].filter((k) => !seen.has(k));

console.log('');
for (const [version, c] of [...perVersion].sort()) {
  console.log(`suite outcome at ${version}: ${c.PASS} PASS, ${c.FAIL} FAIL, ${c.SKIP} SKIP${c['N/A'] ? `, ${c['N/A']} N/A` : ''}`);
}
if (mismatches.length || stale.length) {
  console.log('\nDoes not match conformance/expected.tsv:');
  for (const m of mismatches) {
    console.log(`  ${m.scenario} ${m.version}: ${m.verdict}${m.ids ? ` [${m.ids}]` : ''}`);
    console.log(`    log: ${m.dir}/run.log`);
  }
  for (const k of stale) console.log(`  ${k.replace('\t', ' ')}: listed in the baseline (line ${expected.get(k).line}) but not run`);
}

if (draft) {
  const lines = ['# scenario\tversion\texpected\treason (see conformance/run for the format)'];
  for (const run of runs) {
    const key = `${run.scenario}\t${run.version}`;
    const actual = classOf(run.status);
    if (actual === 'N/A') continue;
    const old = expected.get(key);
    let reason = '';
    if (actual !== 'PASS') {
      reason = old && old.expect === actual ? old.reason
        : `TODO: ${[run.failIds !== '-' ? `fails ${run.failIds}` : '', run.warnIds !== '-' ? `warns ${run.warnIds}` : '', run.note !== '-' ? run.note : ''].filter(Boolean).join('; ')}`;
    }
    lines.push(`${run.scenario}\t${run.version}\t${actual}\t${reason}`.trimEnd());
  }
  fs.writeFileSync(draft, lines.join('\n') + '\n');
  console.log(`\ndraft baseline written to ${draft}`);
}

const failed = mismatches.length + stale.length;
console.log(`${matched} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
