// Runs that move through Duvo's statuses on a timer, one step every
// `stepMs`: pending -> starting -> running (progress) -> completed.
// What the run's message says changes the path (case-insensitive):
//   "approve"   -> after running, `waiting` with a pending_human_request until
//                  respondToHumanRequest answers it (approved: false -> stopped)
//   "fail"      -> failed (has_issues)
//   "attention" -> needs_attention (has_issues)
// stopRun ends any run that is not terminal as `stopped`.
import { randomUUID } from 'node:crypto';

export const RUN_STATUSES = ['not_started', 'pending', 'starting', 'running', 'waiting', 'completed', 'failed', 'interrupted', 'stopped', 'needs_attention'];
export const TERMINAL = new Set(['completed', 'failed', 'interrupted', 'stopped', 'needs_attention']);

const iso = () => new Date().toISOString();

export class RunEngine {
  #runs;         // id -> run (the store's objects)
  #messages;     // run id -> [message]
  #stepMs;
  #timers = new Map();  // run id -> timeout
  #pending = new Map(); // run id -> human request
  #plans = new Map();   // run id -> remaining steps
  #closed = false;

  #onEnd;

  constructor({ runs, messages, stepMs, onEnd }) {
    this.#onEnd = onEnd;
    this.#runs = runs;
    this.#messages = messages;
    this.#stepMs = stepMs;
  }

  /// A new run (status pending) that advances on its own.
  start({ agent, message, sandbox_id, team_id }) {
    const now = iso();
    const run = { id: randomUUID(), agent_id: agent.id, build_id: agent.build_id, status: 'pending', message: message ?? null,
      sandbox_id: sandbox_id ?? null, team_id: team_id ?? null, progress: 0, has_issues: false, result: null,
      created_at: now, updated_at: now, completed_at: null };
    this.#runs.set(run.id, run);
    this.#messages.set(run.id, []);
    if (message) this.#say(run, 'user', message);
    const text = (message ?? '').toLowerCase();
    const plan = ['starting', 'running:0.3', 'running:0.6'];
    if (text.includes('approve')) plan.push('waiting');
    else if (text.includes('fail')) plan.push('failed');
    else if (text.includes('attention')) plan.push('needs_attention');
    else plan.push('running:0.9', 'completed');
    this.#plans.set(run.id, plan);
    this.#schedule(run);
    return run;
  }

  pendingRequest(runId) { return this.#pending.get(runId); }

  /// Answers the pending request; the run goes on (or stops when not approved).
  respond(run, requestId, { answers, approved }) {
    const req = this.#pending.get(run.id);
    if (!req || req.id !== requestId) return { error: 'not_found', message: `run ${run.id} has no pending request ${requestId}` };
    this.#pending.delete(run.id);
    const said = answers && Object.keys(answers).length ? ` Answers: ${JSON.stringify(answers)}.` : '';
    this.#say(run, 'user', `Answered "${req.title}".${said}${approved === false ? ' Not approved.' : ''}`);
    if (approved === false) {
      this.#finish(run, 'stopped', 'Stopped: the request was not approved.');
    } else {
      this.#set(run, 'running', 0.8);
      this.#plans.set(run.id, ['completed']);
      this.#schedule(run);
    }
    return { run };
  }

  /// A user message into a live run: acknowledged at the next step.
  post(run, content) {
    const m = this.#say(run, 'user', content);
    if (!this.#timers.has(run.id) && !this.#pending.has(run.id)) this.#schedule(run);
    this.#plans.get(run.id)?.unshift(`ack:${content}`);
    return m;
  }

  stop(run) {
    clearTimeout(this.#timers.get(run.id));
    this.#timers.delete(run.id);
    this.#pending.delete(run.id);
    this.#finish(run, 'stopped', 'Stopped by request.');
  }

  forget(runId) {
    clearTimeout(this.#timers.get(runId));
    this.#timers.delete(runId);
    this.#pending.delete(runId);
    this.#plans.delete(runId);
  }

  /// Stops every timer; runs still going end as `interrupted`.
  close() {
    this.#closed = true;
    for (const t of this.#timers.values()) clearTimeout(t);
    this.#timers.clear();
    for (const run of this.#runs.values()) if (!TERMINAL.has(run.status) && run.status !== 'not_started') this.#finish(run, 'interrupted', 'The server stopped.');
  }

  #schedule(run) {
    if (this.#closed) return;
    const t = setTimeout(() => { this.#timers.delete(run.id); this.#step(run); }, this.#stepMs);
    t.unref?.();
    this.#timers.set(run.id, t);
  }

  #step(run) {
    if (TERMINAL.has(run.status) || !this.#runs.has(run.id)) return;
    const next = this.#plans.get(run.id)?.shift();
    if (!next) return;
    const [status, arg] = next.split(/:(.*)/s);
    if (status === 'ack') this.#say(run, 'assistant', `Noted: "${arg}". Carrying on.`);
    else if (status === 'starting') { this.#set(run, 'starting', 0.1); this.#say(run, 'system', `Starting in sandbox ${run.sandbox_id ?? 'sb_default'}.`); }
    else if (status === 'running') { this.#set(run, 'running', Number(arg)); this.#say(run, 'assistant', `Working${run.message ? ` on: ${run.message}` : ''} (${Math.round(Number(arg) * 100)}%).`); }
    else if (status === 'waiting') this.#wait(run);
    else if (status === 'completed') this.#finish(run, 'completed', `Done: ${run.message ?? 'the task'}.`);
    else this.#finish(run, status, status === 'failed' ? 'Failed: the task hit an error.' : 'Needs attention: a step could not be decided.', true);
    if (this.#plans.get(run.id)?.length && !this.#pending.has(run.id)) this.#schedule(run);
  }

  #wait(run) {
    const req = {
      id: `hr_${randomUUID().slice(0, 8)}`,
      title: 'Approval needed',
      description: `Before going on with "${run.message}", the agent needs a decision.`,
      questions: [
        { question: 'Send the drafted replies now?', header: 'Send', multi_select: false,
          options: [{ label: 'Send now', description: 'Send all drafts at once.' }, { label: 'Hold', description: 'Keep them as drafts.' }] },
        { question: 'Which channels may it use?', header: 'Channels', multi_select: true,
          options: [{ label: 'Email', description: 'The support inbox.' }, { label: 'Slack', description: 'The #support channel.' }] },
      ],
    };
    this.#pending.set(run.id, req);
    this.#set(run, 'waiting', run.progress);
    this.#say(run, 'assistant', `Waiting for a person: ${req.title}.`);
  }

  #set(run, status, progress) {
    run.status = status;
    run.progress = progress;
    run.updated_at = iso();
  }

  #finish(run, status, result, issues = false) {
    this.#plans.delete(run.id);
    run.status = status;
    if (status === 'completed') run.progress = 1;
    run.has_issues = run.has_issues || issues;
    run.result = result;
    run.updated_at = run.completed_at = iso();
    this.#say(run, status === 'completed' ? 'assistant' : 'system', result);
    this.#onEnd?.(run);
  }

  #say(run, role, content) {
    const list = this.#messages.get(run.id) ?? [];
    this.#messages.set(run.id, list);
    const m = { id: `m_${randomUUID().slice(0, 12)}`, role, content, created_at: iso() };
    list.push(m);
    if (list.length > 1000) list.shift();
    return m;
  }
}
