// REST operations called as tools (issue 6): an OpenAPI document flattened
// into tools (flatten.mjs), each call built into one HTTP request and sent
// through the client's session (Session::rest in the core): the same fetch,
// credentials (only to the MCP server's origin), 401 flow with one retry,
// 429 Retry-After retries for idempotent methods, timeouts and cancellation
// as MCP calls. The answer becomes an MCP CallToolResult: HTTP errors are
// `isError` results carrying status and body; network, timeout and abort
// failures reject with the same typed errors as MCP calls.
import { flattenOpenApi, buildRequest } from './flatten.mjs';
import { ClientStateError } from './errors.mjs';

const invalidArgument = (message) =>
  new ClientStateError(message, { code: 'support.invalid_argument', kind: 'local' });

const isAbsolute = (url) => typeof url === 'string' && /^https?:\/\//i.test(url);

function parseJson(text) {
  try { return { ok: true, value: JSON.parse(text) }; } catch { return { ok: false }; }
}

const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

// The closest known name (Levenshtein), for "did you mean".
function closest(name, names) {
  let best;
  let bestD = Infinity;
  for (const n of names) {
    const a = String(name);
    const prev = Array.from({ length: n.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; ++i) {
      let diag = prev[0];
      prev[0] = i;
      for (let j = 1; j <= n.length; ++j) {
        const up = prev[j];
        prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === n[j - 1] ? 0 : 1));
        diag = up;
      }
    }
    if (prev[n.length] < bestD) { bestD = prev[n.length]; best = n; }
  }
  return best;
}

/**
 * The core's answer {status, headers, body, retryAfterMs?} -> CallToolResult
 * (MCP 2025-11-25 server/tools#tool-result). 2xx: the body as text, and as
 * structuredContent when it is a JSON object (a non-object JSON body as
 * {result} when the tool's outputSchema wraps it). Else isError with the
 * status and the body (parsed when JSON) in structuredContent.
 */
export function toCallToolResult(answer, binding) {
  const { status, body = '', retryAfterMs } = answer;
  const json = body === '' ? { ok: false } : parseJson(body);
  if (status >= 200 && status < 300) {
    const result = { content: [{ type: 'text', text: body }], isError: false };
    if (json.ok && isObject(json.value)) result.structuredContent = json.value;
    else if (json.ok && binding?.outputWrapped) result.structuredContent = { result: json.value };
    return result;
  }
  const structured = { status, body: json.ok ? json.value : body };
  if (retryAfterMs != null) structured.retryAfterMs = retryAfterMs;
  const text = body === '' ? `HTTP ${status}` : `HTTP ${status}: ${body}`;
  return { content: [{ type: 'text', text }], structuredContent: structured, isError: true };
}

// fetch bodies travel to the core as text; a binary body (multipart with a
// non-UTF-8 file, octet-stream) is refused rather than altered.
function bodyText(body) {
  if (body === undefined || typeof body === 'string') return body;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    throw invalidArgument('binary request bodies (non-UTF-8 bytes) cannot be sent through the client yet');
  }
}

/**
 * `document`'s operations as tools called through `session`:
 * {send(request, options) -> Promise<{status, headers, body, retryAfterMs?}>, close?()},
 * or a function (baseUrl) -> Promise<session> for a client without an MCP
 * server (its credentials then belong to baseUrl's origin).
 */
export async function openApi(document, options, session) {
  const { baseUrl, flatten } = options ?? {};
  if (baseUrl !== undefined && !isAbsolute(String(baseUrl))) throw invalidArgument('openApi: baseUrl must be an http(s) URL');
  const base = baseUrl === undefined ? undefined : String(baseUrl);
  const { tools: flat, diagnostics } = await flattenOpenApi(document, flatten ?? {});
  if (typeof session === 'function') {
    const url = base ?? flat.map((t) => t.binding.server).find(isAbsolute);
    if (!url) throw invalidArgument('openApi without an MCP server needs options.baseUrl (the document names no absolute server)');
    session = await session(url);
  }
  const byName = new Map(flat.map((t) => [t.name, t]));
  const tools = flat.map(({ binding, ...tool }) => tool);

  async function callTool(name, args = {}, callOptions = {}) {
    const tool = byName.get(name);
    if (!tool) {
      const near = closest(name, byName.keys());
      throw invalidArgument(`unknown tool "${name}"` + (near ? `; did you mean "${near}"?` : ''));
    }
    const request = await buildRequest(tool, args ?? {}, base ? { baseUrl: base } : {});
    const answer = await session.send({ ...request, body: bodyText(request.body) }, callOptions);
    return toCallToolResult(answer, tool.binding);
  }

  const api = { tools, diagnostics, callTool };
  if (typeof session.close === 'function') api.close = () => session.close();
  return api;
}
