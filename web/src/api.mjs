// What every runtime entry exports.
export { Client } from './client.mjs';
export {
  McpError, HttpError, UnauthorizedError, ForbiddenError, RateLimitedError, TransportError,
  ProtocolError, RpcError, TimeoutError, AbortError, ClientStateError, ValidationError,
} from './errors.mjs';
export {
  memoryStorage, webStorage, chromeStorage, kvStorage,
  headlessRedirect, chromeIdentityRedirect, popupRedirect, callbackRedirect,
} from './oauth-adapters.mjs';
export { compileSchema } from './schema.mjs';
export { flattenOpenApi, buildRequest, parseRequest, adaptTools } from './flatten.mjs';
