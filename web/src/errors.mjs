// Typed errors (DESIGN.md "Errors"). Every failure of the client is an
// McpError; `code` is the core's stable error id (docs: src/*/ headers).

export class McpError extends Error {
  constructor(message, { code, kind, data, status } = {}) {
    super(message);
    this.name = 'McpError';
    this.code = code;          // stable id, e.g. "http.status", "client.timeout"
    this.kind = kind;          // "local" (caller misuse) or "remote" (server / network)
    this.data = data ?? null;  // machine-readable detail from the core
    if (status !== undefined) this.status = status;
  }
}
export class HttpError extends McpError { constructor(m, o) { super(m, o); this.name = 'HttpError'; } }
export class UnauthorizedError extends HttpError { constructor(m, o) { super(m, o); this.name = 'UnauthorizedError'; } }
export class ForbiddenError extends HttpError { constructor(m, o) { super(m, o); this.name = 'ForbiddenError'; } }
export class RateLimitedError extends HttpError {
  constructor(m, o) {
    super(m, o);
    this.name = 'RateLimitedError';
    this.retryAfterMs = o?.data?.retryAfterMs ?? null;  // from Retry-After, when the server sent one
  }
}
export class TransportError extends McpError { constructor(m, o) { super(m, o); this.name = 'TransportError'; } }
export class ProtocolError extends McpError { constructor(m, o) { super(m, o); this.name = 'ProtocolError'; } }
export class RpcError extends McpError {
  constructor(m, o) { super(m, o); this.name = 'RpcError'; this.rpcCode = o?.data?.code; }
}
export class TimeoutError extends McpError { constructor(m, o) { super(m, o); this.name = 'TimeoutError'; } }
export class AbortError extends McpError { constructor(m, o) { super(m, o); this.name = 'AbortError'; } }
export class ClientStateError extends McpError { constructor(m, o) { super(m, o); this.name = 'ClientStateError'; } }
/** A value failed a JSON Schema: a result's shape, structuredContent vs outputSchema, arguments vs
 *  inputSchema, or compileSchema().assert(). `errors`: [{instanceLocation, keywordLocation, message}]. */
export class ValidationError extends McpError {
  constructor(m, o) { super(m, o); this.name = 'ValidationError'; this.errors = o?.data?.errors ?? []; }
}

const HTTP_BY_STATUS = { 401: UnauthorizedError, 403: ForbiddenError, 429: RateLimitedError };

/** Maps the core's error value {id, kind, message, data} to a typed error. */
export function fromCoreError({ id, kind, message, data }) {
  const opts = { code: id, kind, data };
  if (id === 'http.status') {
    const status = data?.status;
    return new (HTTP_BY_STATUS[status] ?? HttpError)(message, { ...opts, status });
  }
  if (id === 'rpc.error') return new RpcError(message, opts);
  if (id === 'client.timeout') return new TimeoutError(message, opts);
  if (id === 'client.cancelled') return new AbortError(message, opts);
  if (id === 'transport.network' || id === 'transport.stream_ended') return new TransportError(message, opts);
  // The server kept refusing the credentials / the scope after the auth flows.
  if (id === 'auth.unauthorized') return new UnauthorizedError(message, { ...opts, status: 401 });
  if (id === 'auth.insufficient_scope') return new ForbiddenError(message, { ...opts, status: 403 });
  if (id?.startsWith('validation.')) return new ValidationError(message, opts);
  if (kind === 'local') return new ClientStateError(message, opts);
  return new ProtocolError(message, opts);
}
