// The official TypeScript SDK v2 client (@modelcontextprotocol/client).
// validator: 'default' (its DefaultJsonSchemaValidator) | 'ajv' | 'cfworker' | 'none'; fetch: the transport's fetch.
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { CfWorkerJsonSchemaValidator } from '@modelcontextprotocol/client/validators/cf-worker';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/client/validators/ajv';

const NONE = { getValidator: () => (input) => ({ valid: true, data: input, errorMessage: undefined }) };

export async function createClient({ url, validator = 'default', fetch }) {
  const jsonSchemaValidator = { ajv: () => new AjvJsonSchemaValidator(), cfworker: () => new CfWorkerJsonSchemaValidator(), none: () => NONE }[validator]?.();
  const c = new Client({ name: 'bench', version: '0' }, jsonSchemaValidator ? { jsonSchemaValidator } : {});
  await c.connect(new StreamableHTTPClientTransport(new URL(url), fetch ? { fetch } : undefined));
  return {
    listTools: async () => (await c.listTools()).tools,
    callTool: (name, args) => c.callTool({ name, arguments: args }),
    close: () => c.close(),
  };
}
