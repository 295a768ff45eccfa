// Duvo-in-a-box's REST API: an in-memory implementation of openapi.json.
// One entry point, dispatch({method, target, headers, body, principal}),
// used by the HTTP server for REST calls and by the MCP tools in-process.
// Runs advance on their own (runs.mjs: every `runStepMs`; a message with
// "approve" waits on a person, "fail" fails, "attention" needs attention).
import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { buildRoutes, matchRoute, readRequest, RequestError } from './router.mjs';
import { RunEngine, TERMINAL } from './runs.mjs';
import { seed, TEAM_ID } from './seed.mjs';

export { TERMINAL, RUN_STATUSES } from './runs.mjs';
export { IDS, TEAM_ID } from './seed.mjs';

/// The Duvo-like OpenAPI document (parsed fresh for each caller).
export function loadDocument() {
  return JSON.parse(readFileSync(new URL('./openapi.json', import.meta.url), 'utf8'));
}

/// Scopes: `read` for GET operations, `write` for the others.
export const scopeOf = (method) => (method === 'GET' ? 'read' : 'write');

const iso = () => new Date().toISOString();
const ok = (body, status = 200) => ({ status, body });
const page = (items, { limit = 20, offset = 0 }) => ({ data: items.slice(offset, offset + limit), pagination: { total: items.length, limit, offset } });

export function createDuvoRest({ runStepMs = 1000, document = loadDocument() } = {}) {
  const routes = buildRoutes(document);
  const s = seed();
  const agents = new Map(s.agents.map((a) => [a.id, a]));
  const instructions = new Map();  // agent id -> writeOnly instructions
  const folders = new Map(s.folders.map((f) => [f.id, f]));
  const runs = new Map(s.runs.map((r) => [r.id, r]));
  const files = s.files;
  const cases = new Map(s.cases.map((c) => [c.id, c]));
  const skills = s.skills;
  const assignments = new Map(s.assignments.map((x) => [x.id, x]));
  const revisions = new Map(s.revisions.map((r) => [r.id, r]));
  const memory = s.memory;  // agent id -> Map(path -> {content, updated_at})
  // What an agent remembers of its runs: one line per ended run.
  const onEnd = (run) => {
    if (!memory.has(run.agent_id)) memory.set(run.agent_id, new Map());
    const m = memory.get(run.agent_id);
    const prev = m.get('runs/history.md')?.content ?? '# Runs\n';
    const lines = (prev + `- ${run.completed_at} ${run.status}: ${run.message ?? '(no message)'}\n`).split('\n');
    m.set('runs/history.md', { content: lines.slice(-200).join('\n'), updated_at: run.completed_at });
  };
  const engine = new RunEngine({ runs, messages: s.messages, stepMs: runStepMs, onEnd });

  const need = (map, id, what) => {
    const v = map.get(id);
    if (!v) throw new RequestError(404, 'not_found', `${what} ${id} not found`);
    return v;
  };
  const liveRun = (id) => {
    const run = need(runs, id, 'run');
    if (TERMINAL.has(run.status)) throw new RequestError(409, 'conflict', `run ${id} has already ended (${run.status})`);
    return run;
  };
  const fileEntry = (path, f) => ({ path, size: Buffer.byteLength(f.content, f.encoding === 'base64' ? 'base64' : 'utf8'), mime_type: f.mime_type, updated_at: f.updated_at });
  const isAncestor = (maybeAncestor, id) => {
    for (let cur = id, hops = 0; cur && hops < 1000; cur = folders.get(cur)?.parent_folder_id, hops++) if (cur === maybeAncestor) return true;
    return false;
  };
  const startRun = (body, team_id) => {
    const agent = need(agents, body.agent_id, 'agent');
    return ok({ run: engine.start({ agent, message: body.message, sandbox_id: body.sandbox_id, team_id }) }, 201);
  };
  const sortRuns = (list, by = 'created_at', order = 'desc') => {
    const sign = order === 'asc' ? 1 : -1;
    return list.sort((a, b) => (a[by] < b[by] ? -sign : a[by] > b[by] ? sign : 0));
  };

  const revisionOf = (path) => {
    need(agents, path.agent_id, 'agent');
    const r = revisions.get(path.revision_id);
    if (!r || r.agent_id !== path.agent_id) throw new RequestError(404, 'not_found', `setup ${path.revision_id} not found for agent ${path.agent_id}`);
    return r;
  };
  // A stable pseudo score per run (the box has no evaluator): 0.55..0.99 completed, 0.1..0.39 failed.
  const scoreOf = (run) => {
    let h = 0;
    for (const c of run.id) h = (h * 31 + c.charCodeAt(0)) >>> 0;
    return (run.status === 'completed' ? 55 + (h % 45) : 10 + (h % 30)) / 100;
  };
  const evaluated = (run) => run.status === 'completed' || run.status === 'failed';

  const handlers = {
    listAgents: ({ query: q }) => ok(page([...agents.values()]
      .filter((a) => (!q.folder_id || a.folder_id === q.folder_id) && (!q.search || a.name.toLowerCase().includes(q.search.toLowerCase())))
      .sort((a, b) => (a.created_at < b.created_at ? 1 : -1)), q)),
    createAgent: ({ body }) => {
      if (body.folder_id) need(folders, body.folder_id, 'folder');
      const now = iso();
      const agent = { id: randomUUID(), name: body.name, description: body.description ?? null, folder_id: body.folder_id ?? null,
        model: body.model ?? 'balanced', tool_permissions: body.tool_permissions ?? {}, build_id: `b_${randomUUID().slice(0, 4)}`, created_at: now, updated_at: now };
      agents.set(agent.id, agent);
      if (body.instructions) instructions.set(agent.id, body.instructions);
      return ok({ agent }, 201);
    },
    getAgent: ({ path }) => ok({ agent: need(agents, path.agent_id, 'agent') }),
    updateAgent: ({ path, body }) => {
      const agent = need(agents, path.agent_id, 'agent');
      if (body.folder_id) need(folders, body.folder_id, 'folder');
      const { instructions: text, ...rest } = body;
      if (text !== undefined) instructions.set(agent.id, text);
      Object.assign(agent, rest, { updated_at: iso() });
      return ok({ agent });
    },
    deleteAgent: ({ path }) => {
      need(agents, path.agent_id, 'agent');
      agents.delete(path.agent_id);
      for (const [id, run] of runs) if (run.agent_id === path.agent_id) { engine.forget(id); runs.delete(id); }
      return { status: 204, body: null };
    },

    getEvalScores: ({ path, query }) => {
      need(agents, path.agent_id, 'agent');
      const scored = sortRuns([...runs.values()].filter((r) => r.agent_id === path.agent_id && evaluated(r)), 'completed_at')
        .map((r) => ({ run_id: r.id, score: scoreOf(r), evaluated_at: r.completed_at }));
      const average = scored.length ? Math.round((scored.reduce((t, x) => t + x.score, 0) / scored.length) * 1000) / 1000 : null;
      return ok({ ...page(scored, query), average });
    },
    getEvalRubrics: ({ path }) => { need(agents, path.agent_id, 'agent'); return ok({ data: s.rubrics }); },
    listAgentRevisions: ({ path, query }) => {
      need(agents, path.agent_id, 'agent');
      return ok(page(sortRuns([...revisions.values()].filter((r) => r.agent_id === path.agent_id)), query));
    },
    createRevision: ({ path, body = {} }) => {
      const agent = need(agents, path.agent_id, 'agent');
      const live = [...revisions.values()].find((r) => r.agent_id === agent.id && r.status === 'live');
      const { instructions: text, ...rest } = body;
      const r = { id: randomUUID(), agent_id: agent.id, build_id: `b_${randomUUID().slice(0, 4)}`, status: 'draft', model: live?.model ?? agent.model,
        tool_permissions: live?.tool_permissions ?? agent.tool_permissions, note: null, created_at: iso(), ...rest };
      if (text !== undefined) instructions.set(r.id, text);
      revisions.set(r.id, r);
      return ok({ revision: r }, 201);
    },
    getRevision: ({ path }) => ok({ revision: revisionOf(path) }),
    updateRevision: ({ path, body }) => {
      const r = revisionOf(path);
      if (r.status !== 'draft') throw new RequestError(409, 'conflict', `setup ${r.id} is ${r.status}; only drafts change`);
      const { instructions: text, ...rest } = body;
      if (text !== undefined) instructions.set(r.id, text);
      return ok({ revision: Object.assign(r, rest) });
    },
    promoteRevision: ({ path }) => {
      const r = revisionOf(path);
      if (r.status !== 'draft') throw new RequestError(409, 'conflict', `setup ${r.id} is ${r.status}; only a draft can be promoted`);
      for (const other of revisions.values()) if (other.agent_id === r.agent_id && other.status === 'live') other.status = 'archived';
      r.status = 'live';
      const agent = agents.get(r.agent_id);
      Object.assign(agent, { build_id: r.build_id, model: r.model, tool_permissions: r.tool_permissions, updated_at: iso() });
      return ok({ agent, revision: r });
    },
    listAgentMemoryFiles: ({ path }) => {
      need(agents, path.agent_id, 'agent');
      return ok({ data: [...(memory.get(path.agent_id) ?? new Map())].sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([p, f]) => ({ path: p, size: Buffer.byteLength(f.content), updated_at: f.updated_at })) });
    },
    getAgentMemoryFile: ({ path }) => {
      need(agents, path.agent_id, 'agent');
      const f = need(memory.get(path.agent_id) ?? new Map(), path.path, 'memory file');
      return ok({ path: path.path, content: f.content, size: Buffer.byteLength(f.content), updated_at: f.updated_at });
    },

    listAgentFolders: () => ok({ data: [...folders.values()] }),
    createAgentFolder: ({ body }) => {
      if (body.parent_folder_id) need(folders, body.parent_folder_id, 'folder');
      const folder = { id: randomUUID(), name: body.name, parent_folder_id: body.parent_folder_id ?? null, created_at: iso() };
      folders.set(folder.id, folder);
      return ok({ folder }, 201);
    },
    updateAgentFolder: ({ path, body }) => {
      const folder = need(folders, path.folder_id, 'folder');
      if ('parent_folder_id' in body) {
        const parent = body.parent_folder_id;  // null: move to the root
        if (parent !== null) {
          need(folders, parent, 'folder');
          if (isAncestor(folder.id, parent)) throw new RequestError(409, 'conflict', 'a folder cannot move into itself or its own subfolder');
        }
        folder.parent_folder_id = parent;
      }
      if (body.name !== undefined) folder.name = body.name;
      return ok({ folder });
    },
    deleteAgentFolder: ({ path }) => {
      need(folders, path.folder_id, 'folder');
      const used = [...folders.values()].some((f) => f.parent_folder_id === path.folder_id) || [...agents.values()].some((a) => a.folder_id === path.folder_id);
      if (used) throw new RequestError(409, 'conflict', `folder ${path.folder_id} is not empty`);
      folders.delete(path.folder_id);
      return { status: 204, body: null };
    },
    moveAgentsToFolder: ({ path, body }) => {
      need(folders, path.folder_id, 'folder');
      const list = body.agent_ids.map((id) => need(agents, id, 'agent'));
      for (const a of list) { a.folder_id = path.folder_id; a.updated_at = iso(); }
      return ok({ moved: list.length });
    },

    listRuns: ({ query: q }) => ok(page(sortRuns([...runs.values()].filter((r) =>
      (!q.agent_id || r.agent_id === q.agent_id) && (!q.status || r.status === q.status)
      && (q.has_issues === undefined || String(r.has_issues) === q.has_issues)), q.sort_by, q.sort_order), q)),
    startRun: ({ body }) => startRun(body, null),
    getRun: ({ path }) => {
      const run = need(runs, path.run_id, 'run');
      const pending = engine.pendingRequest(run.id);
      return ok(pending ? { run, pending_human_request: pending } : { run });
    },
    listRunMessages: ({ path, query }) => ok(page(s.messages.get(need(runs, path.run_id, 'run').id) ?? [], query)),
    postRunMessage: ({ path, body }) => ok({ message: engine.post(liveRun(path.run_id), body.content) }, 201),
    respondToHumanRequest: ({ path, body }) => {
      const run = need(runs, path.run_id, 'run');
      if (run.status !== 'waiting') throw new RequestError(409, 'conflict', `run ${run.id} is not waiting on a person (${run.status})`);
      const r = engine.respond(run, path.request_id, body);
      if (r.error) throw new RequestError(404, r.error, r.message);
      return ok({ run });
    },
    getRunEvaluation: ({ path }) => {
      const run = need(runs, path.run_id, 'run');
      if (!TERMINAL.has(run.status)) return ok({ state: 'pending', run_id: run.id, eta_seconds: null });
      if (!evaluated(run)) throw new RequestError(409, 'conflict', `run ${run.id} ended ${run.status}: nothing to evaluate`);
      const score = scoreOf(run);
      const rubric_scores = Object.fromEntries(s.rubrics.map((r, i) => [r.name, Math.round(Math.min(1, score + (i - 1) * 0.05) * 100) / 100]));
      return ok({ state: 'done', run_id: run.id, score, rubric_scores, summary: run.result ?? '' });
    },
    stopRun: ({ path }) => {
      const run = liveRun(path.run_id);
      engine.stop(run);
      return ok({ run });
    },

    listFiles: ({ query: q }) => ok(page([...files].filter(([p]) => !q.prefix || p.startsWith(q.prefix))
      .sort(([a], [b]) => (a < b ? -1 : 1)).map(([p, f]) => fileEntry(p, f)), q)),
    readFile: ({ path }) => {
      const f = need(files, path.path, 'file');
      return ok({ path: path.path, content: f.content, encoding: f.encoding ?? 'utf8', size: fileEntry(path.path, f).size, mime_type: f.mime_type });
    },
    writeFile: ({ path, body }) => {
      if (path.path.split('/').some((seg) => seg === '' || seg === '.' || seg === '..')) throw new RequestError(400, 'invalid_request', `bad file path ${path.path}`);
      if (body.encoding === 'base64' && !/^[A-Za-z0-9+/]*={0,2}$/.test(body.content)) throw new RequestError(400, 'invalid_request', 'content is not base64');
      const f = { content: body.content, encoding: body.encoding ?? 'utf8', mime_type: body.mime_type ?? (path.path.endsWith('.md') ? 'text/markdown' : 'text/plain'), updated_at: iso() };
      files.set(path.path, f);
      return ok({ file: fileEntry(path.path, f) });
    },
    deleteFile: ({ path }) => {
      need(files, path.path, 'file');
      files.delete(path.path);
      return { status: 204, body: null };
    },
    renameFile: ({ body }) => {
      const f = need(files, body.relativePath, 'file');
      const dir = body.relativePath.includes('/') ? body.relativePath.slice(0, body.relativePath.lastIndexOf('/') + 1) : '';
      const to = dir + body.newFilenameOnly;
      if (files.has(to)) throw new RequestError(409, 'conflict', `${to} already exists`);
      files.delete(body.relativePath);
      f.updated_at = iso();
      files.set(to, f);
      return ok({ file: fileEntry(to, f) });
    },

    listCases: ({ query: q }) => ok(page([...cases.values()].filter((c) => !q.filter
      || ((!q.filter.status || c.status === q.filter.status) && (!q.filter.label || c.labels.includes(q.filter.label))
        && (!q.filter.queue_id || c.queue_id === q.filter.queue_id))), q)),
    createCase: ({ body }) => {
      const made = (body.cases ?? [body]).map((c) => {
        if (c.queue_id) need(new Map(s.queues.map((x) => [x.id, x])), c.queue_id, 'queue');
        const out = { id: randomUUID(), title: c.title, description: c.description ?? null, status: 'open', queue_id: c.queue_id ?? null,
          assignee_email: null, labels: c.labels ?? [], fields: c.fields ?? {}, created_at: iso() };
        cases.set(out.id, out);
        return out;
      });
      return ok({ cases: made }, 201);
    },
    getCase: ({ path }) => ok({ case: need(cases, path.case_id, 'case') }),
    delegateCase: ({ path, body }) => {
      const c = need(cases, path.case_id, 'case');
      if (!body.queue_id && !body.assignee_email) throw new RequestError(400, 'invalid_request', 'give queue_id or assignee_email');
      if (body.queue_id) c.queue_id = need(new Map(s.queues.map((x) => [x.id, x])), body.queue_id, 'queue').id;
      if (body.assignee_email) c.assignee_email = body.assignee_email;
      c.status = 'delegated';
      return ok({ case: c });
    },
    labelCase: ({ path, body }) => {
      const c = need(cases, path.case_id, 'case');
      c.labels = [...new Set([...c.labels, ...(body.add ?? [])])].filter((l) => !(body.remove ?? []).includes(l));
      return ok({ case: c });
    },
    listQueues: () => ok({ data: s.queues.map((q) => ({ ...q, open_cases: [...cases.values()].filter((c) => c.queue_id === q.id && c.status !== 'closed').length })) }),

    listSkills: () => ok({ data: skills }),
    createSkill: ({ body }) => {
      if (skills.some((k) => k.name === body.name)) throw new RequestError(409, 'conflict', `a skill named ${body.name} exists`);
      const skill = { id: `sk_${randomUUID().slice(0, 8)}`, name: body.name, description: body.description, 'allowed-tools': body['allowed-tools'] ?? [],
        metadata: body.metadata ?? {}, file_size: body.file ? body.file.size : null };
      skills.push(skill);
      return ok({ skill }, 201);
    },
    listPlugins: () => ok({ data: s.plugins }),
    listSandboxes: () => ok({ data: s.sandboxes }),
    listConnections: () => ok({ data: s.connections }),
    getConnection: ({ path }) => ok({ connection: need(new Map(s.connections.map((c) => [c.id, c])), path.connection_id, 'connection') }),

    listAssignments: ({ query }) => ok(page([...assignments.values()], query)),
    createAssignment: ({ body }) => {
      need(agents, body.agent_id, 'agent');
      const a = { id: randomUUID(), agent_id: body.agent_id, title: body.title, schedule: body.schedule ?? null, enabled: true };
      assignments.set(a.id, a);
      return ok({ assignment: a }, 201);
    },
    getAssignment: ({ path }) => ok({ assignment: need(assignments, path.assignment_id, 'assignment') }),
    updateAssignment: ({ path, body }) => ok({ assignment: Object.assign(need(assignments, path.assignment_id, 'assignment'), body) }),

    startTeamRun: ({ path, body }) => {
      if (path.teamId !== TEAM_ID) throw new RequestError(404, 'not_found', `team ${path.teamId} not found`);
      return startRun(body, TEAM_ID);
    },
  };

  return {
    document,
    routes,
    engine,
    /// One REST request -> { status, headers, body } (body: a JSON value, or null for 204).
    /// `principal`: { scopes: Set } of the caller (authentication is the server's job).
    async dispatch({ method, target, headers = {}, body, principal }) {
      try {
        const url = new URL(target, 'http://duvo.invalid');
        const matched = matchRoute(routes, String(method).toUpperCase(), url.pathname);
        const { operationId } = matched.route.operation;
        if (principal && !principal.scopes.has(scopeOf(matched.route.method))) {
          throw new RequestError(403, 'forbidden', `${operationId} needs the ${scopeOf(matched.route.method)} scope, which this key does not have`);
        }
        const contentType = headerValue(headers, 'content-type');
        const bytes = body == null ? Buffer.alloc(0) : typeof body === 'string' ? Buffer.from(body, 'utf8') : Buffer.from(body);
        const handler = handlers[operationId];
        if (!handler) throw new RequestError(501, 'not_implemented', `${operationId} is not implemented`);
        const out = handler(await readRequest(document, matched, url.searchParams, contentType, bytes));
        return { status: out.status, headers: out.body === null ? {} : { 'content-type': 'application/json' }, body: out.body };
      } catch (e) {
        if (!(e instanceof RequestError)) return { status: 500, headers: { 'content-type': 'application/json' }, body: { error: 'internal', message: e.message } };
        return { status: e.status, headers: { 'content-type': 'application/json' }, body: { error: e.error, message: e.message } };
      }
    },
    close() { engine.close(); },
  };
}

/// A header from a plain object (any case) or a list of [name, value] pairs.
function headerValue(headers, name) {
  const entries = Array.isArray(headers) ? headers : Object.entries(headers);
  for (const [k, v] of entries) if (k.toLowerCase() === name) return v;
  return undefined;
}
