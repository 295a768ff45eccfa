// Runs a job from the panel: a start tool, then polling until a terminal state
// (client.callAndPoll), with progress shown and human-in-the-loop questions
// answered in a form. "Stop waiting" ends the wait, not the job.
import { el } from './dom.mjs';

// Where a Duvo run is along its way, for the progress bar when the server gives no numbers.
const STATUS_FRACTION = { not_started: 0, pending: 0.1, starting: 0.2, running: 0.5, waiting: 0.6, needs_attention: 0.6 };
const TERMINAL = new Set(['completed', 'failed', 'interrupted', 'stopped']);

/// Shows one progress report: {progress, total?, message?} or a run {status}.
export function showProgress(ui, p) {
  const run = p?.result?.run ?? p?.run ?? p;  // callAndPoll's report carries the last getRun payload
  const status = p?.status ?? run?.status;
  if (typeof p?.progress === 'number' && typeof p?.total === 'number' && p.total > 0) ui.bar.value = p.progress / p.total;
  else if (TERMINAL.has(status)) ui.bar.value = 1;
  else if (typeof run?.progress === 'number') ui.bar.value = run.progress;
  else if (status in STATUS_FRACTION) ui.bar.value = STATUS_FRACTION[status];
  const percent = Number.isFinite(ui.bar.value) && ui.bar.hasAttribute('value') ? ` (${Math.round(ui.bar.value * 100)}%)` : '';
  ui.status.textContent = [status && `status: ${status}${percent}`, p?.message].filter(Boolean).join(' — ');
  ui.status.dataset.status = status ?? '';
  if (status && ui.seen.at(-1) !== status) ui.seen.push(status);
  ui.status.dataset.seen = ui.seen.join(' ');
}

/// Asks the person: renders a pending_human_request {id, title, description, questions}
/// and resolves with {answers, approved} when they answer (null when the wait stops).
export function askHuman(form, request, signal) {
  form.replaceChildren(
    el('strong', { textContent: request.title ?? 'The run asks for input' }),
    request.description ? el('div', { textContent: request.description }) : null,
  );
  const readers = [];
  (request.questions ?? []).forEach((q, qi) => {
    const key = q.header ?? q.question ?? `q${qi}`;
    const set = el('fieldset', {}, el('legend', { textContent: q.question ?? key }));
    set.dataset.question = key;
    const type = q.multi_select ? 'checkbox' : 'radio';
    (q.options ?? []).forEach((o, oi) => {
      const input = el('input', { type, name: `hq-${qi}`, value: o.label ?? String(oi) });
      set.append(el('label', {}, input, ` ${o.label ?? ''}`, o.description ? el('small', { textContent: ` — ${o.description}` }) : null));
    });
    const other = el('input', { type: 'text', placeholder: 'or type an answer', className: 'other' });
    set.append(other);
    form.append(set);
    readers.push(() => {
      const picked = [...set.querySelectorAll('input:checked')].map((i) => i.value);
      const typed = other.value.trim();
      const value = q.multi_select ? [...picked, ...(typed ? [typed] : [])] : (typed || picked[0]);
      return [key, value];
    });
  });
  const approve = el('button', { type: 'submit', textContent: 'Send answer', className: 'approve' });
  const reject = el('button', { type: 'button', textContent: 'Reject', className: 'reject' });
  form.append(el('div', { className: 'buttons' }, approve, reject));
  form.hidden = false;
  return new Promise((resolve) => {
    const done = (answer) => { form.hidden = true; form.onsubmit = null; resolve(answer); };
    form.onsubmit = (e) => {
      e.preventDefault();
      const answers = Object.fromEntries(readers.map((r) => r()).filter(([, v]) => v !== undefined && v !== ''));
      done({ answers, approved: true });
    };
    reject.onclick = () => done({ approved: false });
    signal?.addEventListener('abort', () => done(null), { once: true });
  });
}

/// Starts `startTool` and polls to a terminal state; resolves with the last poll result.
export async function runJob(client, startTool, args, { ui, signal }) {
  ui.bar.removeAttribute('value');
  ui.seen = [];
  const options = {
    signal,
    onProgress: (p) => showProgress(ui, p),
    onHumanRequest: (request) => askHuman(ui.human, request, signal),
    intervalMs: 300,       // a person is watching: poll briskly, back off to 3 s
    maxIntervalMs: 3000,
  };
  return client.callAndPoll(startTool, args, options);
}

