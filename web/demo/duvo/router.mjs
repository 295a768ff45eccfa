// Routes requests to the operations of an OpenAPI 3.0 document and checks
// them against it: path parameters (a `x-mcpw-allow-slash` one takes "/"),
// query parameters read by their schema type (deepObject too), JSON bodies
// validated by a small JSON Schema subset (the keywords the Duvo document
// uses). What a server built from its own document needs, nothing more.

const MAX_DEPTH = 32;

/// Follows local `$ref`s ("#/components/...") of `doc`.
export function resolve(doc, node, hops = 0) {
  while (node && typeof node === 'object' && typeof node.$ref === 'string') {
    if (++hops > 32) throw new Error(`$ref chain too long at ${node.$ref}`);
    node = node.$ref.slice(2).split('/').reduce((n, k) => n?.[k.replace(/~1/g, '/').replace(/~0/g, '~')], doc);
  }
  return node;
}

/// One route per operation: { method, template, regex, pathParams, operation, parameters }.
export function buildRoutes(doc) {
  const routes = [];
  for (const [template, item] of Object.entries(doc.paths ?? {})) {
    for (const [method, operation] of Object.entries(item)) {
      if (!['get', 'put', 'post', 'patch', 'delete'].includes(method)) continue;
      const params = new Map();
      for (const p of [...(item.parameters ?? []), ...(operation.parameters ?? [])].map((x) => resolve(doc, x))) {
        params.set(`${p.in}:${p.name}`, p);
      }
      const parameters = [...params.values()];
      const pathParams = [];
      const source = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{([^}]+)\}/g, (_, name) => {
        pathParams.push(name);
        const p = params.get(`path:${name}`);
        return p?.['x-mcpw-allow-slash'] || p?.allowReserved ? '(.+)' : '([^/]+)';
      });
      routes.push({ method: method.toUpperCase(), template, regex: new RegExp(`^${source}$`), pathParams, operation, parameters });
    }
  }
  // Literal segments win over parameters (/v1/files/rename before /v1/files/{path}).
  routes.sort((a, b) => a.pathParams.length - b.pathParams.length);
  return routes;
}

export class RequestError extends Error {
  constructor(status, error, message) { super(message); this.status = status; this.error = error; }
}

/// Finds the route of (method, pathname); 404 / 405 as RequestError.
export function matchRoute(routes, method, pathname) {
  let pathMatched = false;
  for (const r of routes) {
    const m = r.regex.exec(pathname);
    if (!m) continue;
    pathMatched = true;
    if (r.method !== method) continue;
    const path = {};
    r.pathParams.forEach((name, i) => {
      try { path[name] = decodeURIComponent(m[i + 1]); } catch { throw new RequestError(400, 'invalid_request', `path parameter ${name} is not valid percent-encoding`); }
    });
    return { route: r, path };
  }
  if (pathMatched) throw new RequestError(405, 'method_not_allowed', `${method} is not allowed on ${pathname}`);
  throw new RequestError(404, 'not_found', `no endpoint ${method} ${pathname}`);
}

/// Reads and checks the parameters and body (bytes) of a matched request.
/// Resolves with { path, query, body }, values converted to their schema types;
/// a multipart body becomes an object (a file part: { filename, mimeType, size, text }).
export async function readRequest(doc, { route, path }, searchParams, contentType, bytes) {
  const query = {};
  for (const p of route.parameters) {
    const schema = resolve(doc, p.schema ?? {});
    if (p.in === 'path') {
      path[p.name] = coerce(doc, schema, path[p.name], `path parameter ${p.name}`);
      check(doc, schema, path[p.name], p.name);
    } else if (p.in === 'query') {
      let value;
      if (p.style === 'deepObject') {
        const prefix = `${p.name}[`;
        for (const [k, v] of searchParams) {
          if (!k.startsWith(prefix) || !k.endsWith(']')) continue;
          value ??= {};
          value[k.slice(prefix.length, -1)] = v;
        }
        if (value) for (const [k, v] of Object.entries(value)) value[k] = coerce(doc, resolve(doc, schema.properties?.[k] ?? {}), v, `${p.name}[${k}]`);
      } else if (searchParams.has(p.name)) {
        value = coerce(doc, schema, searchParams.get(p.name), `query parameter ${p.name}`);
      }
      if (value === undefined) {
        if (p.required) throw new RequestError(400, 'invalid_request', `query parameter ${p.name} is required`);
        if (schema.default !== undefined) query[p.name] = schema.default;
        continue;
      }
      check(doc, schema, value, p.name);
      query[p.name] = value;
    }
  }
  const rb = resolve(doc, route.operation.requestBody);
  let body;
  if (rb) {
    if (bytes.length === 0) {
      if (rb.required) throw new RequestError(400, 'invalid_request', 'a request body is required');
    } else if (rb.content['multipart/form-data'] && /^multipart\/form-data\b/i.test(contentType ?? '')) {
      const schema = resolve(doc, rb.content['multipart/form-data'].schema);
      body = await readMultipart(doc, schema, contentType, bytes);
      check(doc, schema, body, 'body');
    } else if (rb.content['application/json'] && /^application\/(.+\+)?json\b/i.test(contentType ?? '')) {
      try { body = JSON.parse(bytes.toString('utf8')); } catch { throw new RequestError(400, 'invalid_request', 'the body is not valid JSON'); }
      check(doc, rb.content['application/json'].schema, body, 'body');
    } else {
      throw new RequestError(415, 'unsupported_media_type', `send the body as ${Object.keys(rb.content).join(' or ')}`);
    }
  }
  return { path, query, body };
}

// multipart/form-data (RFC 7578) -> an object by the schema: repeated parts
// (or one JSON array part) for arrays, JSON text parts for objects, files kept
// as {filename, mimeType, size, text}; a binary property is validated as a string.
async function readMultipart(doc, schema, contentType, bytes) {
  let form;
  try { form = await new Response(bytes, { headers: { 'content-type': contentType } }).formData(); } catch {
    throw new RequestError(400, 'invalid_request', 'the multipart body cannot be read');
  }
  const out = {};
  for (const name of new Set(form.keys())) {
    const prop = resolve(doc, schema.properties?.[name] ?? {});
    const parts = form.getAll(name);
    const texts = await Promise.all(parts.map((v) => (typeof v === 'string' ? v : v.text())));
    if (prop.format === 'binary') {
      const f = parts[0];
      out[name] = typeof f === 'string' ? { filename: name, mimeType: 'text/plain', size: Buffer.byteLength(f), text: f }
        : { filename: f.name, mimeType: f.type, size: f.size, text: texts[0] };
    } else if (prop.type === 'array') {
      out[name] = texts.length === 1 && texts[0].startsWith('[') ? parseJson(texts[0], name) : texts;
    } else if (prop.type === 'object') {
      out[name] = parseJson(texts[0], name);
    } else {
      out[name] = coerce(doc, prop, texts[0], `part ${name}`);
    }
  }
  return out;
}

function parseJson(text, name) {
  try { return JSON.parse(text); } catch { throw new RequestError(400, 'invalid_request', `part ${name} is not JSON`); }
}

function coerce(doc, schema, text, what) {
  const type = schema.type;
  if (type === 'integer' || type === 'number') {
    if (!/^-?\d+(\.\d+)?$/.test(text)) throw new RequestError(400, 'invalid_request', `${what} must be a ${type}, got "${text}"`);
    return Number(text);
  }
  if (type === 'boolean') {
    if (text !== 'true' && text !== 'false') throw new RequestError(400, 'invalid_request', `${what} must be true or false`);
    return text === 'true';
  }
  return text;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const FORMATS = {
  uuid: (s) => UUID.test(s),
  uri: (s) => { try { return Boolean(new URL(s).protocol); } catch { return false; } },
  email: (s) => /^[^@\s]+@[^@\s]+$/.test(s),
  'date-time': (s) => !Number.isNaN(Date.parse(s)),
};

/// Throws RequestError(400) naming the first place `value` breaks `schema`.
export function check(doc, schema, value, where) {
  const problem = firstProblem(doc, schema, value, where, 0);
  if (problem) throw new RequestError(400, 'invalid_request', problem);
}

function typeOf(v) {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function firstProblem(doc, schema, value, where, depth) {
  if (depth > MAX_DEPTH) return `${where} is nested too deeply`;
  schema = resolve(doc, schema);
  if (!schema || typeof schema !== 'object') return null;
  if (schema.readOnly && depth > 0) return `${where} is read-only`;
  if (value === null) return schema.nullable ? null : `${where} may not be null`;
  if (schema.oneOf) {
    const ok = schema.oneOf.filter((s) => !firstProblem(doc, s, value, where, depth + 1));
    if (ok.length === 1) return null;
    if (ok.length > 1) return `${where} matches more than one form`;
    return firstProblem(doc, schema.oneOf[0], value, where, depth + 1) ?? `${where} matches no allowed form`;
  }
  const t = typeOf(value);
  if (schema.format === 'binary' && t === 'object') return null;  // a multipart file part
  if (schema.type && !(schema.type === t || (schema.type === 'number' && t === 'integer'))) return `${where} must be ${schema.type === 'array' || schema.type === 'object' || schema.type === 'integer' ? 'an' : 'a'} ${schema.type}`;
  if (schema.enum && !schema.enum.includes(value)) return `${where} must be one of ${schema.enum.join(', ')}`;
  if (t === 'string') {
    if (schema.minLength !== undefined && [...value].length < schema.minLength) return `${where} is too short`;
    if (schema.maxLength !== undefined && [...value].length > schema.maxLength) return `${where} is too long`;
    if (schema.pattern && !new RegExp(schema.pattern, 'u').test(value)) return `${where} must match ${schema.pattern}`;
    if (schema.format && FORMATS[schema.format] && !FORMATS[schema.format](value)) return `${where} must be a ${schema.format}`;
  }
  if (t === 'integer' || t === 'number') {
    if (schema.minimum !== undefined && value < schema.minimum) return `${where} must be at least ${schema.minimum}`;
    if (schema.maximum !== undefined && value > schema.maximum) return `${where} must be at most ${schema.maximum}`;
  }
  if (t === 'array') {
    if (schema.minItems !== undefined && value.length < schema.minItems) return `${where} needs at least ${schema.minItems} items`;
    if (schema.maxItems !== undefined && value.length > schema.maxItems) return `${where} takes at most ${schema.maxItems} items`;
    for (let i = 0; i < value.length && schema.items; i++) {
      const p = firstProblem(doc, schema.items, value[i], `${where}[${i}]`, depth + 1);
      if (p) return p;
    }
  }
  if (t === 'object') {
    for (const k of schema.required ?? []) if (!(k in value)) return `${where}.${k} is required`;
    const props = schema.properties ?? {};
    for (const [k, v] of Object.entries(value)) {
      const sub = Object.hasOwn(props, k) ? props[k] : schema.additionalProperties;
      if (sub === false) return `${where}.${k} is not a known field`;
      if (sub && sub !== true) {
        const p = firstProblem(doc, sub, v, `${where}.${k}`, depth + 1);
        if (p) return p;
      }
    }
  }
  return null;
}
