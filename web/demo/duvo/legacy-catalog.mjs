// The older /v1/mcp endpoint's catalog: the Public API's tools plus one tool
// per integration action, about 380 in all (a third-party directory counted
// that many on Duvo's /v1/mcp: over the 128-tools-per-request limit of some
// model APIs and hosts). Listed in pages of LEGACY_PAGE_SIZE with a cursor.
// The integration tools answer with what they were asked (no REST behind them).

export const LEGACY_PAGE_SIZE = 100;

const PROVIDERS = ['gmail', 'outlook', 'google_sheets', 'google_drive', 'slack', 'teams', 'hubspot', 'salesforce', 'zendesk', 'intercom',
  'jira', 'linear', 'notion', 'confluence', 'github', 'gitlab', 'asana', 'trello', 'shopify', 'stripe', 'quickbooks', 'xero',
  'netsuite', 'sap', 'workday', 'bamboohr', 'docusign', 'dropbox', 'box', 'airtable', 'zoom', 'calendly'];
const ACTIONS = [
  ['list_records', 'read', 'List records'], ['get_record', 'read', 'Get one record'], ['search', 'read', 'Search'],
  ['export', 'read', 'Export records as CSV'], ['create_record', 'write', 'Create a record'], ['update_record', 'write', 'Update a record'],
  ['delete_record', 'write', 'Delete a record'], ['import', 'write', 'Import records'], ['sync', 'write', 'Sync now'],
  ['subscribe', 'write', 'Subscribe to changes'], ['unsubscribe', 'write', 'Stop a subscription'],
];
const INPUT = {
  type: 'object',
  properties: {
    connection_id: { type: 'string', format: 'uuid', description: 'The connection to use (listConnections).' },
    record_id: { type: 'string' },
    query: { type: 'string' },
    fields: { type: 'object', additionalProperties: true, description: 'Free-form record fields.' },
  },
  additionalProperties: false,
};

/// { tools, scopes: Map(name -> 'read' | 'write') }: `total` tools, the API's first.
export function legacyCatalog(apiTools, total = 380) {
  const tools = [...apiTools];
  const scopes = new Map();
  for (const provider of PROVIDERS) {
    for (const [action, scope, what] of ACTIONS) {
      if (tools.length >= total) break;
      const name = `${provider}_${action}`;
      tools.push({ name, description: `${what} in ${provider.replace(/_/g, ' ')} through a connection (legacy integration tool).`,
        inputSchema: INPUT, annotations: { readOnlyHint: scope === 'read', openWorldHint: true } });
      scopes.set(name, scope);
    }
  }
  return { tools, scopes };
}

/// One page of `tools` from a cursor (an offset as text); throws on a bad cursor.
export function legacyPage(tools, cursor) {
  const start = cursor === undefined ? 0 : Number(cursor);
  if (!Number.isInteger(start) || start < 0 || start > tools.length) throw new Error(`bad cursor ${String(cursor).slice(0, 20)}`);
  const end = Math.min(tools.length, start + LEGACY_PAGE_SIZE);
  return end < tools.length ? { tools: tools.slice(start, end), nextCursor: String(end) } : { tools: tools.slice(start, end) };
}

/// The answer of an integration tool: what it was asked, as if done.
export function legacyCall(name, args) {
  const [, provider, action] = /^(.+?)_((?:list|get|create|update|delete)_record|search|export|import|sync|subscribe|unsubscribe)$/.exec(name) ?? [];
  const text = JSON.stringify({ ok: true, provider, action, ...args });
  return { content: [{ type: 'text', text }] };
}
