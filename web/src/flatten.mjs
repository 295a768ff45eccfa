// OpenAPI -> flat tools, flat arguments -> HTTP requests (and back), tool
// schemas for model providers: the core's flattener (src/flatten through
// bindings/flatten_api.cpp), usable without a Client. Every call is async
// because the module loads asynchronously; values cross as JSON text.
import { McpError, ClientStateError, ValidationError } from './errors.mjs';

// The flattener is a module of its own (dist/mcpw-flatten.*), loaded on first
// use: a client that never flattens never loads it. Each runtime entry sets
// how it is loaded.
let loadFlatten = () => Promise.reject(new Error('mcp-wasm: no flattener loader (import the package entry, not flatten.mjs)'));
/** For the runtime entries. */
export function setFlattenLoader(loader) { loadFlatten = loader; }

const invalidArgument = (message) =>
  new ClientStateError(message, { code: 'support.invalid_argument', kind: 'local' });

const pointer = (key) => '/' + String(key).replaceAll('~', '~0').replaceAll('/', '~1');

// The core's argument errors -> ValidationError (validation.arguments), the
// others -> McpError with the core's id.
const ARGUMENT_KEYWORD = {
  'flatten.unknown_argument': '/additionalProperties',
  'flatten.missing_argument': '/required',
  'flatten.bad_argument': '',
};
function coreError({ id, kind, message, data }) {
  if (id in ARGUMENT_KEYWORD) {
    const key = data?.key;
    const errors = [{ instanceLocation: key === undefined ? '' : pointer(key), keywordLocation: ARGUMENT_KEYWORD[id], message }];
    return new ValidationError(message, { code: 'validation.arguments', kind: 'local', data: { errors, reason: id } });
  }
  if (id === 'support.invalid_argument') return invalidArgument(message);
  return new McpError(message, { code: id, kind, data });
}

function toText(what, value) {
  if (typeof value === 'string') return value;
  let text;
  try { text = JSON.stringify(value); } catch (e) { throw invalidArgument(`${what} cannot be serialised as JSON: ${e.message}`); }
  if (text === undefined) throw invalidArgument(`${what} is not a JSON value (${typeof value})`);
  return text;
}

async function call(name, ...args) {
  const module = await loadFlatten();
  const { ok, value, error } = JSON.parse(module[name](...args));
  if (!ok) throw coreError(error);
  return value;
}

function toBase64(bytes) {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}
function fromBase64(text) {
  const s = atob(text);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; ++i) out[i] = s.charCodeAt(i);
  return out;
}

function bindingOf(tool) {
  const binding = tool?.binding ?? tool;
  if (!binding || typeof binding !== 'object' || typeof binding.method !== 'string' || !Array.isArray(binding.keys)) {
    throw invalidArgument('expected a tool from flattenOpenApi() or its binding');
  }
  return binding;
}

const trimSlash = (s) => s.replace(/\/+$/, '');

/**
 * OpenAPI 3.0 / 3.1 document (object or JSON text) -> one flat tool per
 * operation: {name, title?, description, inputSchema, outputSchema?, binding}.
 * Operations that cannot be flattened are listed in `diagnostics`.
 */
export async function flattenOpenApi(document, options = {}) {
  const { tools, diagnostics } = await call('flattenDocument', toText('document', document), toText('options', options));
  return { tools, diagnostics };
}

/**
 * Flat arguments -> {method, url, headers, body?}. The URL is `baseUrl` (else
 * the document's server) + the expanded path and query. Bad arguments reject
 * with a ValidationError (unknown keys with a "did you mean").
 */
export async function buildRequest(tool, args = {}, options = {}) {
  const binding = bindingOf(tool);
  const base = options.baseUrl ?? binding.server;
  if (!base || !/^[a-z][a-z0-9+.-]*:/i.test(base)) {
    throw invalidArgument(`buildRequest needs options.baseUrl (the document's server is ${JSON.stringify(binding.server ?? '')})`);
  }
  const r = await call('flattenBuild', toText('binding', binding), toText('arguments', args));
  const headers = {};
  for (const [name, value] of r.headers) headers[name] = name in headers ? `${headers[name]}, ${value}` : value;
  const out = { method: r.method, url: trimSlash(base) + r.target, headers };
  if (r.body !== undefined) out.body = r.body;
  else if (r.body64 !== undefined) out.body = fromBase64(r.body64);
  return out;
}

function headerPairs(headers) {
  if (!headers) return [];
  if (typeof headers.entries === 'function' && !Array.isArray(headers)) return [...headers.entries()];
  if (Array.isArray(headers)) return headers.map(([n, v]) => [String(n), String(v)]);
  return Object.entries(headers).map(([n, v]) => [n, String(v)]);
}

// The request target relative to the server: strip the base URL when given,
// else the origin and then the server's path.
function targetOf(url, binding, baseUrl) {
  if (baseUrl && url.startsWith(trimSlash(baseUrl))) return url.slice(trimSlash(baseUrl).length) || '/';
  const m = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i.exec(url);
  if (!m) return url;
  let target = url.slice(m[0].length) || '/';
  const serverPath = trimSlash((binding.server ?? '').replace(/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i, ''));
  if (serverPath && (target === serverPath || target.startsWith(serverPath + '/') || target.startsWith(serverPath + '?'))) {
    target = target.slice(serverPath.length) || '/';
  }
  return target;
}

/** The inverse of buildRequest: the flat arguments a request carries. */
export async function parseRequest(tool, request, options = {}) {
  const binding = bindingOf(tool);
  if (!request || typeof request.url !== 'string') throw invalidArgument('parseRequest needs {method, url, headers?, body?}');
  const req = {
    method: String(request.method ?? 'GET').toUpperCase(),
    target: targetOf(request.url, binding, options.baseUrl),
    headers: headerPairs(request.headers),
  };
  const { body } = request;
  if (typeof body === 'string') req.body = body;
  else if (body instanceof ArrayBuffer) req.body64 = toBase64(new Uint8Array(body));
  else if (ArrayBuffer.isView(body)) req.body64 = toBase64(new Uint8Array(body.buffer, body.byteOffset, body.byteLength));
  else if (body != null) throw invalidArgument('body must be a string, Uint8Array or ArrayBuffer');
  return call('flattenParse', toText('binding', binding), toText('request', req));
}

// Tool-count limits of each provider's API (above them: search/describe/call).
const TOOL_LIMITS = { openai: 128, 'openai-strict': 128, anthropic: 128, gemini: 128 };
const META_TOOLS = new Set(['search_tools', 'describe_tool', 'call_tool']);

const plainTool = ({ name, description, inputSchema, outputSchema }) =>
  (outputSchema ? { name, description, inputSchema, outputSchema } : { name, description, inputSchema });

/**
 * Tools (MCP Tool objects, e.g. from flattenOpenApi or client.listTools) ->
 * the provider's form: {name, description, parameters}. Above the provider's
 * tool limit (options.limit), three meta tools (search_tools, describe_tool,
 * call_tool) stand for the list. toOriginal(name, args) maps a model's call
 * back to {name, arguments} of the original tool; for search_tools and
 * describe_tool it also carries the answer as `result`.
 */
export async function adaptTools(tools, provider, options = {}) {
  if (!Array.isArray(tools)) throw invalidArgument('adaptTools needs an array of tools');
  if (!(provider in TOOL_LIMITS)) throw invalidArgument(`unknown provider ${JSON.stringify(provider)} (${Object.keys(TOOL_LIMITS).join(', ')})`);
  const limit = options.limit ?? TOOL_LIMITS[provider];
  const originals = tools.map(plainTool);
  const meta = originals.length > limit;
  const listed = meta ? await call('flattenMetaTools') : originals;
  const adapted = await call('flattenAdapt', toText('tools', listed), provider);
  const byName = new Map(adapted.tools.map((t) => [t.name, t]));
  const originalsText = meta ? toText('tools', originals) : null;

  async function toOriginal(name, args = {}) {
    const t = byName.get(name);
    if (!t) {
      throw new ValidationError(`unknown tool "${name}"`, {
        code: 'validation.arguments', kind: 'local',
        data: { errors: [{ instanceLocation: '', keywordLocation: '', message: `unknown tool "${name}"; known: ${[...byName.keys()].slice(0, 20).join(' ')}` }], reason: 'flatten.unknown_argument' },
      });
    }
    const original = await call('flattenMapArguments', toText('tool', t), toText('arguments', args), 'from');
    if (!meta || !META_TOOLS.has(t.originalName)) return { name: t.originalName, arguments: original };
    const outcome = await call('flattenHandleMeta', originalsText, t.originalName, toText('arguments', original));
    if (outcome.callTool !== undefined) return { name: outcome.callTool, arguments: outcome.callArguments };
    return { name: t.originalName, arguments: original, result: outcome.result };
  }

  return {
    tools: adapted.tools.map(({ name, description, parameters }) => ({ name, description, parameters })),
    diagnostics: adapted.diagnostics.map(({ operation, code, message }) => ({ tool: operation, code, message })),
    meta,
    toOriginal,
  };
}
