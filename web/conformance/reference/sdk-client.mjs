// The part of mcp-wasm's Client API that web/conformance/everything-client.mjs
// uses, implemented over the official TypeScript SDK client
// (@modelcontextprotocol/sdk, a devDependency of web/; 2025 era only).
// conformance/check-harness runs the everything-client on it to show that the
// scenario flows pass with a client that has the features: a failure listed
// in conformance/expected.tsv is then mcp-wasm's, not the harness's.
import { Client as SdkClient } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ElicitRequestSchema, ResultSchema } from '@modelcontextprotocol/sdk/types.js';

// The package's plain-JS helpers (no Wasm) are mcp-wasm's own.
export { headlessRedirect } from '../../src/oauth-adapters.mjs';

export class Client {
  #client;
  #transport;

  static async connect(url, options = {}) {
    const self = new Client();
    // As mcp-wasm's Client does: a handler declares its capability.
    const capabilities = { ...options.capabilities };
    if (options.onElicit) capabilities.elicitation ??= { form: { applyDefaults: options.elicitationDefaults ?? true } };
    self.#client = new SdkClient(options.clientInfo ?? { name: 'sdk-reference', version: '0.0.0' }, { capabilities });
    if (options.onElicit) self.#client.setRequestHandler(ElicitRequestSchema, (req) => options.onElicit(req.params));
    self.#transport = new StreamableHTTPClientTransport(new URL(url));
    await self.#client.connect(self.#transport);
    return self;
  }

  get protocolVersion() { return this.#transport.protocolVersion; }
  get serverInfo() { return this.#client.getServerVersion(); }

  async listTools() {
    const tools = [];
    let cursor;
    do {
      const page = await this.#client.listTools(cursor ? { cursor } : {});
      tools.push(...page.tools);
      cursor = page.nextCursor;
    } while (cursor);
    return tools;
  }

  callTool(name, args = {}) { return this.#client.callTool({ name, arguments: args }); }
  request(method, params = {}) { return this.#client.request({ method, params }, ResultSchema.passthrough()); }
  close() { return this.#transport.close(); }
}
