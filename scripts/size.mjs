// Prints the shipped size of each file: raw, gzip -9 and brotli (max).
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';

let total = { raw: 0, gzip: 0, br: 0 };
for (const file of process.argv.slice(2)) {
  const bytes = readFileSync(file);
  const gzip = gzipSync(bytes, { level: 9 }).length;
  const br = brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  total = { raw: total.raw + bytes.length, gzip: total.gzip + gzip, br: total.br + br };
  console.log(`size ${basename(file).padEnd(12)} raw ${String(bytes.length).padStart(8)}  gzip ${String(gzip).padStart(7)}  brotli ${String(br).padStart(7)}`);
}
console.log(`size ${'total'.padEnd(12)} raw ${String(total.raw).padStart(8)}  gzip ${String(total.gzip).padStart(7)}  brotli ${String(total.br).padStart(7)}`);
