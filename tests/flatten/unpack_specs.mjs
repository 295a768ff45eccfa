// node tests/flatten/unpack_specs.mjs — run by scripts/setup after `npm ci` here.
// kubernetes-client ships its Swagger 2.0 documents gzipped; the C++ tests read
// plain JSON by path (no zlib in the Wasm tests), so they are unpacked once into
// node_modules/.mcpw-specs/ (rebuilt with node_modules, never in the repo).
import { readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

const dir = new URL('./node_modules/kubernetes-client/lib/specs/', import.meta.url);
const out = new URL('./node_modules/.mcpw-specs/', import.meta.url);
mkdirSync(out, { recursive: true });
let n = 0;
for (const f of readdirSync(dir)) {
  const m = /^swagger-(\d+\.\d+)\.json\.gz$/.exec(f);
  if (!m) continue;
  writeFileSync(new URL(`kubernetes-swagger-${m[1]}.json`, out), gunzipSync(readFileSync(new URL(f, dir))));
  ++n;
}
if (n === 0) throw new Error('no kubernetes-client swagger-*.json.gz found');
console.log(`unpacked ${n} kubernetes Swagger 2.0 documents`);
