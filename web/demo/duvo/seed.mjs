// The data Duvo-in-a-box starts with: fixed ids, so demos and tests can name them.

export const TEAM_ID = 'team_demo';

export const IDS = {
  folders: { sales: '0f0a0000-0000-4000-8000-000000000001', support: '0f0a0000-0000-4000-8000-000000000002', archive: '0f0a0000-0000-4000-8000-000000000003' },
  agents: { inbox: 'a9e00000-0000-4000-8000-000000000001', invoices: 'a9e00000-0000-4000-8000-000000000002', research: 'a9e00000-0000-4000-8000-000000000003' },
  queues: { billing: '90e00000-0000-4000-8000-000000000001', escalations: '90e00000-0000-4000-8000-000000000002' },
  cases: { refund: 'ca5e0000-0000-4000-8000-000000000001' },
  connections: { gmail: 'c0110000-0000-4000-8000-000000000001', sheets: 'c0110000-0000-4000-8000-000000000002' },
  assignments: { daily: 'a5510000-0000-4000-8000-000000000001' },
  runs: { done: 'e0000000-0000-4000-8000-000000000001', failed: 'e0000000-0000-4000-8000-000000000002' },
  revisions: { inboxLive: 'e1e00000-0000-4000-8000-000000000001', inboxDraft: 'e1e00000-0000-4000-8000-000000000002' },
};

const T0 = '2026-11-02T09:00:00.000Z';
const T1 = '2026-11-20T14:30:00.000Z';

/// A fresh copy of the seed data (each server gets its own).
export function seed() {
  const f = IDS.folders, a = IDS.agents;
  return {
    folders: [
      { id: f.sales, name: 'Sales', parent_folder_id: null, created_at: T0 },
      { id: f.support, name: 'Support', parent_folder_id: null, created_at: T0 },
      { id: f.archive, name: 'Archive', parent_folder_id: f.sales, created_at: T0 },
    ],
    agents: [
      { id: a.inbox, name: 'Inbox triage', description: 'Sorts the shared inbox and drafts replies.', folder_id: f.support, model: 'balanced',
        tool_permissions: { '*': 'ask', gmail_read: 'allow' }, build_id: 'b_0001', created_at: T0, updated_at: T1 },
      { id: a.invoices, name: 'Invoice checker', description: 'Matches invoices against purchase orders.', folder_id: f.sales, model: 'deep',
        tool_permissions: { '*': 'allow' }, build_id: 'b_0002', created_at: T0, updated_at: T0 },
      { id: a.research, name: 'Market research', description: null, folder_id: null, model: 'fast',
        tool_permissions: {}, build_id: 'b_0003', created_at: T1, updated_at: T1 },
    ],
    runs: [
      { id: IDS.runs.done, agent_id: a.invoices, build_id: 'b_0002', status: 'completed', message: 'Check October invoices', sandbox_id: null, team_id: null,
        progress: 1, has_issues: false, result: '42 invoices matched, 0 mismatches.', created_at: T0, updated_at: T0, completed_at: T0 },
      { id: IDS.runs.failed, agent_id: a.inbox, build_id: 'b_0001', status: 'failed', message: 'Triage the inbox', sandbox_id: null, team_id: null,
        progress: 0.4, has_issues: true, result: 'The Gmail connection expired.', created_at: T1, updated_at: T1, completed_at: T1 },
    ],
    messages: new Map([
      [IDS.runs.done, [
        { id: 'm_seed_1', role: 'user', content: 'Check October invoices', created_at: T0 },
        { id: 'm_seed_2', role: 'assistant', content: '42 invoices matched, 0 mismatches.', created_at: T0 },
      ]],
      [IDS.runs.failed, [
        { id: 'm_seed_3', role: 'user', content: 'Triage the inbox', created_at: T1 },
        { id: 'm_seed_4', role: 'assistant', content: 'The Gmail connection expired.', created_at: T1 },
      ]],
    ]),
    files: new Map([
      ['README.md', { content: '# Team files\n\nShared with every agent.\n', mime_type: 'text/markdown', updated_at: T0 }],
      ['reports/2026/q3.md', { content: '# Q3 report\n\nRevenue up 12%.\n', mime_type: 'text/markdown', updated_at: T0 }],
      ['reports/2026/q4 draft.md', { content: '# Q4 (draft)\n', mime_type: 'text/markdown', updated_at: T1 }],
      ['data/customers.csv', { content: 'name,email\nAda,ada@example.com\n', mime_type: 'text/csv', updated_at: T1 }],
    ]),
    cases: [
      { id: IDS.cases.refund, title: 'Refund request #1042', description: 'Customer asks for a refund of a double charge.', status: 'open',
        queue_id: IDS.queues.billing, assignee_email: null, labels: ['billing'], fields: { order: 1042, amount_eur: 19.9 }, created_at: T1 },
    ],
    queues: [
      { id: IDS.queues.billing, name: 'Billing' },
      { id: IDS.queues.escalations, name: 'Escalations' },
    ],
    skills: [
      { id: 'sk_pdf', name: 'pdf-reader', description: 'Reads PDF files into text.', 'allowed-tools': ['files_read'], metadata: { version: '1.2', owner: 'platform' } },
    ],
    plugins: [
      { id: 'pl_gmail', name: 'Gmail', description: 'Read and send mail.' },
      { id: 'pl_sheets', name: 'Google Sheets', description: 'Read and write spreadsheets.' },
    ],
    sandboxes: [
      { id: 'sb_default', name: 'Default', description: 'A browser and a shell.' },
      { id: 'sb_locked', name: 'Locked down', description: 'No network.' },
    ],
    connections: [
      { id: IDS.connections.gmail, name: 'Support inbox', provider: 'gmail', auth_type: 'oauth', status: 'expired', scopes: ['gmail.readonly', 'gmail.send'] },
      { id: IDS.connections.sheets, name: 'Finance sheets', provider: 'google_sheets', auth_type: 'oauth', status: 'connected', scopes: ['spreadsheets'] },
    ],
    revisions: [
      { id: IDS.revisions.inboxLive, agent_id: a.inbox, build_id: 'b_0001', status: 'live', model: 'balanced', tool_permissions: { '*': 'ask', gmail_read: 'allow' }, note: 'First setup', created_at: T0 },
      { id: IDS.revisions.inboxDraft, agent_id: a.inbox, build_id: 'b_0004', status: 'draft', model: 'deep', tool_permissions: { '*': 'ask', gmail_read: 'allow' }, note: null, created_at: T1 },
    ],
    memory: new Map([
      [a.inbox, new Map([
        ['preferences.md', { content: '- Reply in the customer\'s language\n- Sign as "Support team"\n', updated_at: T0 }],
        ['customers/acme corp.md', { content: 'ACME: key account, answer within 2 h.\n', updated_at: T1 }],
      ])],
    ]),
    rubrics: [
      { id: 'rb_accuracy', name: 'accuracy', description: 'The facts are right.', weight: 0.5 },
      { id: 'rb_tone', name: 'tone', description: 'Polite and on brand.', weight: 0.3 },
      { id: 'rb_speed', name: 'speed', description: 'Done without detours.', weight: 0.2 },
    ],
    assignments: [
      { id: IDS.assignments.daily, agent_id: a.inbox, title: 'Morning inbox sweep', schedule: '0 8 * * 1-5', enabled: true },
    ],
  };
}
