// Tools shaped like flattened REST operations (path + query + body arguments,
// an outputSchema per operation), each one distinct so no validator cache can
// share compiled code between them.
export function restTool(i) {
  const res = ['repos', 'issues', 'pulls', 'users', 'orgs', 'teams', 'gists', 'checks'][i % 8];
  const verb = ['get', 'list', 'create', 'update', 'delete'][i % 5];
  const item = {
    type: 'object',
    properties: {
      id: { type: 'integer', minimum: 0 },
      node_id: { type: 'string' },
      name: { type: 'string', maxLength: 200 + i },
      url: { type: 'string', format: 'uri' },
      created_at: { type: 'string', format: 'date-time' },
      state: { type: 'string', enum: ['open', 'closed', `s${i}`] },
      owner: {
        type: 'object',
        properties: { login: { type: 'string' }, id: { type: 'integer' }, site_admin: { type: 'boolean' } },
        required: ['login', 'id'],
      },
      labels: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' }, color: { type: 'string', pattern: '^[0-9a-f]{6}$' } } } },
      [`field_${i}`]: { type: ['string', 'null'] },
    },
    required: ['id', 'name', 'url'],
  };
  return {
    name: `${res}_${verb}_${i}`,
    description: `${verb.toUpperCase()} /${res}/{owner}/{id} (operation ${i}): a flattened REST operation with path, query and body arguments.`,
    inputSchema: {
      type: 'object',
      properties: {
        owner: { type: 'string', description: 'path: the account owner' },
        id: { type: 'integer', description: 'path: the resource id' },
        per_page: { type: 'integer', minimum: 1, maximum: 100, default: 30, description: 'query' },
        page: { type: 'integer', minimum: 1, default: 1, description: 'query' },
        sort: { type: 'string', enum: ['created', 'updated', 'pushed'], description: 'query' },
        body: { type: 'object', properties: { title: { type: 'string' }, body: { type: 'string' }, labels: { type: 'array', items: { type: 'string' } } } },
      },
      required: ['owner', 'id'],
    },
    outputSchema: {
      type: 'object',
      properties: { status: { type: 'integer' }, items: { type: 'array', items: item }, total_count: { type: 'integer' } },
      required: ['status'],
    },
    annotations: { readOnlyHint: verb === 'get' || verb === 'list' },
  };
}

// `tools` with the first one's description ending in ` (list k)`: a list
// that differs from the one before (no client may reuse its last reading).
export const changed = (tools, k) => [{ ...tools[0], description: `${tools[0].description} (list ${k})` }, ...tools.slice(1)];

// The two tools every endpoint has: `echo` (no outputSchema) and `typed` (with one).
export const BASE_TOOLS = [
  { name: 'echo', description: 'Echoes its text back', inputSchema: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] } },
  {
    name: 'typed', description: 'Answers with structured content checked against its outputSchema',
    inputSchema: { type: 'object', properties: { n: { type: 'integer' } } },
    outputSchema: restTool(7).outputSchema,
  },
];

export function typedResult(n) {
  const items = [];
  for (let k = 0; k < 5; k++) {
    items.push({ id: n * 10 + k, node_id: `N_${k}`, name: `item ${k}`, url: `https://example.com/items/${k}`,
      created_at: '2026-01-02T03:04:05Z', state: 'open', owner: { login: 'octo', id: 1, site_admin: false },
      labels: [{ name: 'bug', color: 'ff0000' }], field_7: null });
  }
  const structuredContent = { status: 200, items, total_count: 5 };
  return { content: [{ type: 'text', text: JSON.stringify(structuredContent) }], structuredContent };
}
