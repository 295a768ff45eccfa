#!/usr/bin/env node
// The client the official MCP conformance suite drives
// (@modelcontextprotocol/conformance, pinned in conformance/package.json).
//
//   MCP_CONFORMANCE_SCENARIO=<name> node tests/conformance/everything-client.mjs <server-url>
//
// The runner sets MCP_CONFORMANCE_SCENARIO, MCP_CONFORMANCE_PROTOCOL_VERSION
// (the wire version the mock server speaks) and, for some scenarios,
// MCP_CONFORMANCE_CONTEXT (JSON). Each scenario does what an application
// would do with the package's PUBLIC API only (`import ... from 'mcp-wasm'`,
// resolved by the package's self-reference): the protocol work, including the
// choice of protocol era, is the Client's. Where the Client lacks a feature a
// scenario needs, this file does not work around it: the scenario fails and
// conformance/expected.tsv says why.
//
// Server-to-client requests go through the Client's handler options
// (onElicit; the Client declares the matching capabilities itself).
//
// Exit: 0 when the scenario's steps all resolved, 1 on an error, 2 on a usage
// error; a watchdog ends the process before the runner's 30 s limit.
import { headlessRedirect, Client } from 'mcp-wasm';

const CLIENT_INFO = { name: 'mcp-wasm-conformance-client', version: '0.1.0' };
const REQUEST_TIMEOUT_MS = 10_000;  // per request: a stalled scenario fails fast
const WATCHDOG_MS = 25_000;         // the runner kills the client at 30 s

const scenario = process.env.MCP_CONFORMANCE_SCENARIO;
const wireVersion = process.env.MCP_CONFORMANCE_PROTOCOL_VERSION ?? '(unset)';
const serverUrl = process.argv[2];

function log(...args) { console.error('[everything-client]', ...args); }

function describe(e) {
  if (!(e instanceof Error)) return String(e);
  const fields = ['code' in e ? `code=${e.code}` : '', 'status' in e && e.status !== undefined ? `status=${e.status}` : '',
    'rpcCode' in e ? `rpcCode=${e.rpcCode}` : ''].filter(Boolean).join(' ');
  return `${e.name}: ${e.message}${fields ? ` (${fields})` : ''}`;
}

function readContext() {
  const raw = process.env.MCP_CONFORMANCE_CONTEXT;
  if (!raw) return null;
  try { return JSON.parse(raw); } catch { throw new Error('MCP_CONFORMANCE_CONTEXT is not JSON'); }
}

/** A plausible argument object for a tool: every required property gets a value of its type. */
function sampleArguments(inputSchema) {
  const props = inputSchema?.properties ?? {};
  const args = {};
  for (const name of inputSchema?.required ?? []) {
    const type = Array.isArray(props[name]?.type) ? props[name].type[0] : props[name]?.type;
    if (props[name]?.enum) args[name] = props[name].enum[0];
    else if (type === 'integer') args[name] = 2;
    else if (type === 'number') args[name] = 3;
    else if (type === 'boolean') args[name] = true;
    else if (type === 'array') args[name] = [];
    else if (type === 'object') args[name] = {};
    else args[name] = 'us-west1';
  }
  return args;
}

async function connect(extra = {}) {
  const client = await Client.connect(serverUrl, { clientInfo: CLIENT_INFO, timeoutMs: REQUEST_TIMEOUT_MS, ...extra });
  log(`connected: protocolVersion=${client.protocolVersion} server=${JSON.stringify(client.serverInfo)}`);
  return client;
}

/** Runs `steps` with a connected client and always closes it. */
async function withClient(steps, extra) {
  const client = await connect(extra);
  try {
    await steps(client);
  } finally {
    await client.close();
  }
}

async function callEveryTool(client, argsFor = (tool) => sampleArguments(tool.inputSchema)) {
  const tools = await client.listTools();
  log('tools:', tools.map((t) => t.name).join(', ') || '(none)');
  for (const tool of tools) {
    const result = await client.callTool(tool.name, argsFor(tool));
    log(`called ${tool.name}: isError=${Boolean(result?.isError)}`);
  }
  return tools;
}

async function listToolsOnly(client) {
  const tools = await client.listTools();
  log('tools:', tools.map((t) => t.name).join(', ') || '(none)');
}

// ---------------------------------------------------------------------------
// Scenarios
// ---------------------------------------------------------------------------

const handlers = {};
const on = (names, fn) => { for (const n of [].concat(names)) handlers[n] = fn; };

// initialize: the handshake (2025 era), a listing, a clean close.
on('initialize', () => withClient(listToolsOnly));

// tools_call: list, then call each tool with arguments of the right types.
on('tools_call', () => withClient((c) => callEveryTool(c)));

// sse-retry: the tool's SSE stream closes before the answer; the Client must
// reconnect with GET + Last-Event-ID after the server's `retry`.
on('sse-retry', () => withClient((c) => callEveryTool(c)));

// elicitation-sep1034-client-defaults: the application accepts with empty
// content and asks the Client to apply the requested schema's defaults.
on('elicitation-sep1034-client-defaults', () => withClient(async (client) => {
  const tools = await client.listTools();
  const tool = tools.find((t) => t.name === 'test_client_elicitation_defaults');
  if (!tool) throw new Error('tool test_client_elicitation_defaults not listed');
  const result = await client.callTool(tool.name, {});
  log('result:', JSON.stringify(result).slice(0, 300));
}, {
  elicitationDefaults: true,  // onElicit declares elicitation.form.applyDefaults
  onElicit: async (params) => {
    log('elicitation:', JSON.stringify(params).slice(0, 300));
    return { action: 'accept', content: {} };
  },
}));

// json-schema-ref-no-deref: list tools; the Client must not fetch the
// network $ref in a schema (the scenario's canary server watches).
on('json-schema-ref-no-deref', () => withClient(listToolsOnly));

// json-schema-2020-12-preservation: echo the observed inputSchema verbatim.
on('json-schema-2020-12-preservation', () => withClient(async (client) => {
  const tools = await client.listTools();
  const focal = tools.find((t) => t.name === 'json_schema_2020_12_tool');
  if (!focal) throw new Error('tool json_schema_2020_12_tool not listed');
  await client.callTool('json_schema_echo', { schema: focal.inputSchema });
}));

// request-metadata (2026-07-28): stateless requests with _meta and headers;
// version negotiation is the Client's.
on('request-metadata', () => withClient(listToolsOnly));

// http-standard-headers (2026-07-28): Mcp-Method / Mcp-Name on every kind of
// request: tools, resources and prompts, each listed and used.
on('http-standard-headers', () => withClient(async (client) => {
  await callEveryTool(client);
  const { resources = [] } = await client.request('resources/list', {});
  for (const r of resources) await client.request('resources/read', { uri: r.uri });
  const { prompts = [] } = await client.request('prompts/list', {});
  for (const p of prompts) {
    const args = Object.fromEntries((p.arguments ?? []).filter((a) => a.required).map((a) => [a.name, 'value']));
    await client.request('prompts/get', { name: p.name, arguments: args });
  }
  log(`resources: ${resources.length}, prompts: ${prompts.length}`);
}));

// http-custom-headers (2026-07-28): x-mcp-header parameters mirrored as
// Mcp-Param-* headers, with the base64 form for values that are not header-safe.
const CUSTOM_HEADER_ARGS = {
  test_custom_headers: {
    region: 'us-west1', priority: 42, verbose: false, debug: true, empty_val: '', method_val: 'GET',
    float_val: 3.14, non_ascii_val: 'café ☕ 日本', whitespace_val: '  padded  ', leading_space_val: ' leading',
    trailing_space_val: 'trailing ', internal_space_val: 'a b c', control_char_val: 'bell\u0007here',
    crlf_val: 'line1\r\nline2', tab_val: '\tindented', query: 'not mirrored',
  },
  test_custom_headers_null: { region: 'eu-central1', priority: 7, verbose: null, query: 'not mirrored' },
};
on('http-custom-headers', () => withClient((c) => callEveryTool(c, (t) => CUSTOM_HEADER_ARGS[t.name] ?? sampleArguments(t.inputSchema))));

// http-invalid-tool-headers (2026-07-28): the Client drops tools whose
// x-mcp-header annotations are invalid; the application calls what it is given.
on('http-invalid-tool-headers', () => withClient((c) => callEveryTool(c)));

// sep-2322-client-request-state (2026-07-28): input_required results
// (MRTR). The Client fulfils inputRequests through onElicit and retries with
// requestState echoed; while the first flow waits on the application, an
// unrelated call goes out and must carry none of that flow's state.
on('sep-2322-client-request-state', async () => {
  let client;
  let unrelatedDone = false;
  await withClient(async (c) => {
    client = c;
    const tools = await c.listTools();
    log('tools:', tools.map((t) => t.name).join(', '));
    for (const name of ['test_mrtr_echo_state', 'test_mrtr_no_state', 'test_mrtr_no_result_type']) {
      const result = await c.callTool(name, {});
      log(`called ${name}:`, JSON.stringify(result).slice(0, 200));
    }
    if (!unrelatedDone) log('onElicit was never called: no input_required round trip happened');
  }, {
    onElicit: async (params) => {  // declares the elicitation capability
      log('elicitation:', JSON.stringify(params).slice(0, 200));
      if (!unrelatedDone && client) {
        unrelatedDone = true;
        await client.callTool('test_mrtr_unrelated', {});
      }
      return { action: 'accept', content: { confirmed: true } };
    },
  });
});

// auth/*: the application connects, lists and calls a tool. Authorization
// (OAuth discovery, registration, tokens) is the Client's job, through its
// `oauth` option: the suite's authorization endpoint answers 302 at once, so
// "opening" the URL is a fetch with redirects off that reads Location.
const AUTH_FLOW = [
  'auth/metadata-default', 'auth/metadata-var1', 'auth/metadata-var2', 'auth/metadata-var3', 'auth/basic-cimd',
  'auth/scope-from-www-authenticate', 'auth/scope-from-scopes-supported', 'auth/scope-omitted-when-undefined',
  'auth/scope-step-up', 'auth/scope-retry-limit', 'auth/token-endpoint-auth-basic', 'auth/token-endpoint-auth-post',
  'auth/token-endpoint-auth-none', 'auth/pre-registration', 'auth/2025-03-26-oauth-metadata-backcompat',
  'auth/2025-03-26-oauth-endpoint-fallback', 'auth/resource-mismatch', 'auth/offline-access-scope',
  'auth/offline-access-not-supported', 'auth/authorization-server-migration', 'auth/iss-supported',
  'auth/iss-not-advertised', 'auth/iss-supported-missing', 'auth/iss-wrong-issuer', 'auth/iss-unexpected',
  'auth/iss-normalized', 'auth/metadata-issuer-mismatch', 'auth/client-credentials-jwt',
  'auth/client-credentials-basic', 'auth/enterprise-managed-authorization', 'auth/dpop', 'auth/dpop-nonce',
  'auth/wif-jwt-bearer',
];
// A PKCS#8 PEM private key (the scenario's context) as a WebCrypto ES256 key.
async function importEs256(pem) {
  const b64 = pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
  const der = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  return crypto.subtle.importKey('pkcs8', der, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign']);
}

async function oauthOptions() {
  const context = readContext() ?? {};
  if (Object.keys(context).length) log('context keys:', Object.keys(context).join(', '));
  const oauth = {
    redirectUri: 'http://localhost:3000/callback',
    clientName: 'mcp-wasm conformance client',
    clientMetadataUrl: 'https://conformance-test.local/client-metadata.json',
    onAuthorize: async (url) => {
      const location = await headlessRedirect()(url);
      log(`authorize -> ${location ? 'redirect' : 'no redirect'}`);
      return location;
    },
  };
  if (context.client_id) oauth.clientId = context.client_id;
  if (context.client_secret) oauth.clientSecret = context.client_secret;
  if (scenario.startsWith('auth/client-credentials')) oauth.grant = 'client_credentials';
  if (scenario.startsWith('auth/dpop')) oauth.dpop = true;
  if (scenario === 'auth/wif-jwt-bearer') {
    oauth.grant = 'jwt_bearer';
    oauth.assertion = context.valid_jwt;
  }
  if (scenario === 'auth/enterprise-managed-authorization') {
    oauth.grant = 'enterprise';
    oauth.idToken = context.idp_id_token;
    oauth.idpTokenEndpoint = context.idp_token_endpoint;
    oauth.idpClientId = context.idp_client_id;
  }
  if (context.private_key_pem) {
    oauth.signingKeyId = 'conformance';
    oauth.signingKeys = { conformance: await importEs256(context.private_key_pem) };
    oauth.tokenEndpointAuthMethod = 'private_key_jwt';
  }
  return { oauth };
}
on(AUTH_FLOW, async () => withClient(async (client) => {
  await client.listTools();
  await client.callTool('test-tool', {});
}, await oauthOptions()));

// sep-2640-* (skills extension): an application that does not know the
// extension connects and lists tools; the skills checks then report
// "not exercised" (SKIP).
on(['sep-2640-client-no-prefetch', 'sep-2640-client-verify-digest', 'sep-2640-client-verify-size',
  'sep-2640-client-verify-frontmatter'], () => withClient(listToolsOnly));

// ---------------------------------------------------------------------------

async function main() {
  if (!scenario || !serverUrl) {
    console.error('usage: MCP_CONFORMANCE_SCENARIO=<scenario> everything-client.mjs <server-url>');
    return 2;
  }
  const handler = handlers[scenario];
  if (!handler) {
    console.error(`everything-client: unknown scenario ${scenario}; known: ${Object.keys(handlers).sort().join(' ')}`);
    return 2;
  }
  log(`scenario ${scenario} at wire ${wireVersion} against ${serverUrl}`);
  try {
    await handler();
    log('done');
    return 0;
  } catch (e) {
    log('failed:', describe(e));
    return 1;
  }
}

const watchdog = setTimeout(() => {
  log(`watchdog: scenario still running after ${WATCHDOG_MS} ms, exiting`);
  process.exit(3);
}, WATCHDOG_MS);
const code = await main();
clearTimeout(watchdog);
process.exit(code);
