// Prints the shipped size of each file: raw, gzip -9 and brotli (max).
// With --budget FILE (size-budget.json) it exits 1 when the gzip total of the
// files is over the budget's "gzip" (or --key's) (the build then fails; issue 9).
//   node scripts/size.mjs [--budget size-budget.json [--key gzip|flattenGzip]] mcpw.wasm mcpw.mjs
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';

const args = process.argv.slice(2);
let budgetFile, key = 'gzip';
const at = args.indexOf('--budget');
if (at >= 0) [, budgetFile] = args.splice(at, 2);
const k = args.indexOf('--key');  // which budget of the file (default "gzip": the client module)
if (k >= 0) [, key] = args.splice(k, 2);

let total = { raw: 0, gzip: 0, br: 0 };
for (const file of args) {
  const bytes = readFileSync(file);
  const gzip = gzipSync(bytes, { level: 9 }).length;
  const br = brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  total = { raw: total.raw + bytes.length, gzip: total.gzip + gzip, br: total.br + br };
  console.log(`size ${basename(file).padEnd(18)} raw ${String(bytes.length).padStart(8)}  gzip ${String(gzip).padStart(7)}  brotli ${String(br).padStart(7)}`);
}
console.log(`size ${'total'.padEnd(18)} raw ${String(total.raw).padStart(8)}  gzip ${String(total.gzip).padStart(7)}  brotli ${String(total.br).padStart(7)}`);

if (budgetFile) {
  const budget = JSON.parse(readFileSync(budgetFile, 'utf8'))[key];
  if (!(total.gzip <= budget)) {
    console.error(`size: gzip total ${total.gzip} is over the budget ${budget} (${budgetFile}). ` +
      'Shrink it (bench/size/wasm_funcs.py shows where the bytes go) or raise the budget in a commit that says why.');
    process.exit(1);
  }
  console.log(`size: gzip total ${total.gzip} within the budget ${budget} (${budgetFile})`);
}
