// Human-in-the-loop answers for `run`: from --answer/--approve/--reject, or
// asked on a TTY with each question's options listed.
import { createInterface } from 'node:readline/promises';
import { UsageError } from './args.mjs';

/// A run waits on a person and nobody can answer here (exit 8).
export class NeedsPersonError extends Error {
  constructor(request) {
    super(`the run waits on a person: ${request.title ?? request.id}`);
    this.request = request;
  }
}

const norm = (s) => String(s ?? '').trim().toLowerCase();

function findQuestion(questions, key) {
  return questions.find((q) => norm(q.header) === norm(key) || norm(q.question) === norm(key));
}

// A label as the server wrote it (matched without case), or an error listing the options.
function label(q, text) {
  const opts = q.options ?? [];
  if (!opts.length) return text;
  const hit = opts.find((x) => norm(x.label) === norm(text));
  if (!hit) throw new UsageError(`'${text}' is not an option of "${q.header ?? q.question}" (${opts.map((x) => x.label).join(' | ')})`);
  return hit.label;
}

function answerKey(q, fallback) { return q?.header ?? q?.question ?? fallback; }

/// The answer from the command line, or null when none was given.
export function answerFromFlags(request, { answers, approve, reject }) {
  if (!answers.length && !approve && !reject) return null;
  const questions = request.questions ?? [];
  const out = {};
  for (const [k, v] of answers) {
    const q = findQuestion(questions, k);
    if (q?.multi_select) out[answerKey(q, k)] = v.split(',').map((s) => s.trim()).filter(Boolean).map((s) => label(q, s));
    else out[answerKey(q, k)] = q ? label(q, v) : v;
  }
  const answer = {};
  if (answers.length) answer.answers = out;
  if (approve) answer.approved = true;
  if (reject) answer.approved = false;
  return answer;
}

export function describeRequest(request) {
  const lines = [`${request.title ?? 'A person is needed'}${request.id ? ` (request ${request.id})` : ''}`];
  if (request.description) lines.push(`  ${request.description}`);
  for (const q of request.questions ?? []) {
    lines.push(`  ${q.header ? `[${q.header}] ` : ''}${q.question}${q.multi_select ? ' (several allowed)' : ''}`);
    (q.options ?? []).forEach((x, i) => lines.push(`    ${i + 1}) ${x.label}${x.description ? ` — ${x.description}` : ''}`));
  }
  return lines.join('\n');
}

/// Asks on the terminal; resolves with {answers} or {approved}.
export async function askOnTty(request, { input, output }) {
  const rl = createInterface({ input, output, terminal: true });
  const question = (q) => rl.question(q).catch((e) => {
    throw e?.code === 'ABORT_ERR' ? new NeedsPersonError(request) : e;   // Ctrl-D: nobody answered
  });
  try {
    output.write('\n' + describeRequest(request) + '\n');
    const questions = request.questions ?? [];
    const answers = {};
    for (const q of questions) {
      const opts = q.options ?? [];
      for (let tries = 0; ; tries++) {
        const hint = opts.length ? (q.multi_select ? `1-${opts.length}, comma-separated` : `1-${opts.length}`) : 'free text';
        const text = (await question(`${q.header ?? q.question} (${hint}): `)).trim();
        try {
          const picks = q.multi_select ? text.split(',').map((s) => s.trim()).filter(Boolean) : [text];
          const labels = picks.map((p) => (/^\d+$/.test(p) && opts[Number(p) - 1] ? opts[Number(p) - 1].label : label(q, p)));
          if (!labels.length || labels.some((l) => l === '')) throw new UsageError('an answer is needed');
          answers[answerKey(q)] = q.multi_select ? labels : labels[0];
          break;
        } catch (e) {
          if (tries >= 4) throw e;
          output.write(`  ${e.message}\n`);
        }
      }
    }
    if (questions.length) return { answers };
    const yes = norm(await question('Approve? [y/N]: '));
    return { approved: yes === 'y' || yes === 'yes' };
  } finally {
    rl.close();
  }
}
