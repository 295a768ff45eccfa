// The official TypeScript SDK v1 client: Client + StreamableHTTPClientTransport.
// validator: 'ajv' (its default) | 'cfworker' | 'none'; fetch: the transport's fetch (default: the global one).
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { CfWorkerJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/cfworker-provider.js';

export const NONE = { getValidator: () => (input) => ({ valid: true, data: input, errorMessage: undefined }) };

export async function createClient({ url, validator = 'ajv', fetch }) {
  const options = validator === 'ajv' ? {} : { jsonSchemaValidator: validator === 'cfworker' ? new CfWorkerJsonSchemaValidator() : NONE };
  const c = new Client({ name: 'bench', version: '0' }, options);
  await c.connect(new StreamableHTTPClientTransport(new URL(url), fetch ? { fetch } : undefined));
  return {
    listTools: async () => (await c.listTools()).tools,
    callTool: (name, args) => c.callTool({ name, arguments: args }),
    close: () => c.close(),
  };
}
