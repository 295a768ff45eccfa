// node --import ./web/conformance/reference/use-sdk.mjs tests/conformance/everything-client.mjs <url>
// resolves `mcp-wasm` to ./sdk-client.mjs for that process (see there).
import { register } from 'node:module';

const target = new URL('./sdk-client.mjs', import.meta.url).href;
register('data:text/javascript,' + encodeURIComponent(
  `export async function resolve(specifier, context, next) {
     return specifier === 'mcp-wasm' ? { url: ${JSON.stringify(target)}, shortCircuit: true } : next(specifier, context);
   }`));
