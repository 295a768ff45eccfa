// Start-then-poll for long jobs (Duvo's runs: DUVO.md "Long-running Jobs are
// not streamed over MCP"). One tool starts the job, another reports its status;
// this polls with backoff until a terminal status, hands a pending
// human-in-the-loop request to the caller and sends the answer back.
// Stopping the WAIT (signal, cancelWait) leaves the job running; stopping the
// JOB (stopJob) calls the stop tool and keeps waiting for its terminal status.
import { McpError, AbortError, RateLimitedError, TransportError, TimeoutError } from './errors.mjs';

/// Run statuses after which a Duvo run never changes again. `needs_attention`
/// counts as terminal: the run has stopped on something only a person can fix
/// in Duvo itself (unlike `waiting`, which carries a pending_human_request that
/// the API can answer), so polling on would only spin until the timeout.
export const DUVO_TERMINAL = Object.freeze(['completed', 'failed', 'interrupted', 'stopped', 'needs_attention']);

/// The payload of a CallToolResult: structuredContent, else the first text
/// block parsed as JSON, else undefined.
export function toolPayload(result) {
  if (result?.structuredContent !== undefined) return result.structuredContent;
  const text = result?.content?.find?.((c) => c?.type === 'text')?.text;
  if (typeof text !== 'string') return undefined;
  try { return JSON.parse(text); } catch { return undefined; }
}

/// Duvo's tools (operationIds) and result shapes; every member can be overridden.
export const DUVO_POLLING = Object.freeze({
  statusTool: 'getRun',
  respondTool: 'respondToHumanRequest',
  stopTool: 'stopRun',
  payload: toolPayload,
  jobId: (p) => p?.run?.id,
  status: (p) => p?.run?.status,
  isTerminal: (status) => DUVO_TERMINAL.includes(status),
  humanRequest: (p) => p?.pending_human_request ?? null,
  statusArgs: (jobId) => ({ run_id: jobId }),
  stopArgs: (jobId) => ({ run_id: jobId }),
  /// answer: what onHumanRequest returned, e.g. {answers: {...}} or {approved: true}.
  respondArgs: (jobId, request, answer) => ({ run_id: jobId, request_id: request.id, ...answer }),
});

const DEFAULTS = {
  intervalMs: 1000,        // first wait between status calls
  backoffFactor: 1.5,      // each unchanged status multiplies the wait
  maxIntervalMs: 10_000,
  jitter: 0.2,             // +-20% of each wait, from crypto.getRandomValues
  timeoutMs: 3_600_000,    // the whole wait (the job itself is not stopped)
  maxTransientErrors: 5,   // consecutive 429 / network / timeout failures retried
  maxAttempts: 100_000,    // status calls
};

function pollError(message, code, data) {
  return new McpError(message, { code, kind: 'remote', data });
}

function isTransient(e) {
  return e instanceof RateLimitedError || e instanceof TransportError || e instanceof TimeoutError;
}

function randomUnit() {
  const u = new Uint32Array(1);
  globalThis.crypto.getRandomValues(u);
  return u[0] / 0x100000000;
}

/// The wait before the next status call: the current interval +- jitter.
export function jittered(ms, jitter) {
  if (!(jitter > 0)) return ms;
  return Math.max(0, Math.round(ms * (1 + jitter * (2 * randomUnit() - 1))));
}

function checkOptions(o) {
  for (const k of ['intervalMs', 'maxIntervalMs', 'timeoutMs', 'maxTransientErrors', 'maxAttempts']) {
    if (!(typeof o[k] === 'number' && o[k] >= 0)) return `${k} must be a number >= 0`;
  }
  if (!(o.backoffFactor >= 1)) return 'backoffFactor must be >= 1';
  if (!(o.jitter >= 0 && o.jitter < 1)) return 'jitter must be in [0, 1)';
  for (const k of ['payload', 'jobId', 'status', 'isTerminal', 'humanRequest', 'statusArgs', 'stopArgs', 'respondArgs']) {
    if (typeof o[k] !== 'function') return `${k} must be a function`;
  }
  if (typeof o.statusTool !== 'string' || !o.statusTool) return 'statusTool must be a tool name';
  return null;
}

/**
 * Starts a job with `startTool(args)` and polls `statusTool` until a terminal
 * status. Returns a Promise of {jobId, status, result, callResult, attempts,
 * elapsedMs} (result: the last status payload) with three more members:
 * `started` (a Promise of {jobId, result}), `cancelWait(reason?)` (stops
 * waiting: the promise rejects with an AbortError, the job runs on) and
 * `stopJob()` (calls the stop tool, resolves with its payload; the wait goes on
 * until the job reports its terminal status).
 */
export function callAndPoll(client, startTool, args = {}, options = {}) {
  const o = { ...DUVO_POLLING, ...DEFAULTS, ...options };
  for (const k of Object.keys(DEFAULTS)) if (options[k] == null) o[k] = DEFAULTS[k];
  const t0 = Date.now();
  let inFlight = null;                   // the AbortController of the call in flight (aborted when the wait stops)
  let settled = false;
  let resolveOut, rejectOut, resolveStarted, rejectStarted;
  const out = new Promise((res, rej) => { resolveOut = res; rejectOut = rej; });
  const started = new Promise((res, rej) => { resolveStarted = res; rejectStarted = rej; });
  started.catch(() => {});
  let jobId;
  let wake = null;                       // ends the current sleep early
  let timer;

  const finish = (ok, value) => {
    if (settled) return;
    settled = true;
    clearTimeout(timer);
    o.signal?.removeEventListener?.('abort', onSignal);
    if (!ok) { inFlight?.abort(); rejectStarted(value); }
    ok ? resolveOut(value) : rejectOut(value);
    wake?.();
  };
  const cancelled = (reason) => new AbortError(
    `stopped waiting for ${jobId === undefined ? 'the job to start' : `job ${jobId}`}` +
      (reason ? `: ${reason?.message ?? reason}` : '') + ' (the job itself was not stopped)',
    { code: 'poll.wait_cancelled', kind: 'local', data: { jobId: jobId ?? null } });
  const onSignal = () => finish(false, cancelled(o.signal.reason));

  const sleep = (ms) => new Promise((res) => {
    if (settled) return res();
    const done = () => { clearTimeout(timer); wake = null; res(); };
    wake = done;
    timer = setTimeout(done, ms);
  });
  const left = () => o.timeoutMs - (Date.now() - t0);
  const call = async (name, a) => {
    const c = new AbortController();     // one per call: listeners never pile up on one signal
    inFlight = c;
    try {
      return await client.callTool(name, a, { signal: c.signal, ...(o.callTimeoutMs ? { timeoutMs: o.callTimeoutMs } : {}) });
    } finally {
      if (inFlight === c) inFlight = null;
    }
  };

  // Calls a tool; retries 429s (and, when `idempotent`, network failures and
  // timeouts) up to maxTransientErrors times. A tool error result rejects.
  async function callRetrying(name, a, idempotent, what) {
    for (let failures = 0; ; failures++) {
      let r;
      try {
        r = await call(name, a);
      } catch (e) {
        if (settled) throw e;
        const retry = e instanceof RateLimitedError || (idempotent && isTransient(e));
        if (!retry || failures >= o.maxTransientErrors) throw e;
        const wait = Math.max(e.retryAfterMs ?? 0, jittered(o.intervalMs * 2 ** failures, o.jitter));
        if (wait > left()) throw e;
        await sleep(wait);
        if (settled) throw e;
        continue;
      }
      if (r?.isError) {
        const text = r.content?.find?.((c) => c?.type === 'text')?.text ?? '';
        throw pollError(`${what} (${name}) reported an error${text ? ': ' + text.slice(0, 300) : ''}`,
          `poll.${what.replace(/ /g, '_')}_failed`, { tool: name, result: r, jobId: jobId ?? null });
      }
      return r;
    }
  }

  function report(status, result, attempt, request) {
    try {
      o.onProgress?.({ jobId, status, result, attempt, elapsedMs: Date.now() - t0,
        ...(request ? { humanRequest: request } : {}) });
    } catch { /* a throwing progress handler does not end the wait */ }
  }

  async function run() {
    const startResult = await callRetrying(startTool, args, false, 'start');
    const startPayload = o.payload(startResult);
    jobId = o.jobId(startPayload);
    if (jobId === undefined || jobId === null || jobId === '') {
      throw pollError(`${startTool} answered without a job id`, 'poll.no_job_id', { tool: startTool, result: startResult });
    }
    resolveStarted({ jobId, result: startPayload });
    report(o.status(startPayload), startPayload, 0, null);

    const answered = new Set();           // human request ids already handled
    let interval = o.intervalMs;
    let last;
    for (let attempt = 1; attempt <= o.maxAttempts; attempt++) {
      if (attempt > 1) {
        const wait = jittered(interval, o.jitter);
        if (wait > left()) break;
        await sleep(wait);
        if (settled) return undefined;
      }
      const r = await callRetrying(o.statusTool, o.statusArgs(jobId), true, 'status');
      const payload = o.payload(r);
      const status = o.status(payload);
      if (status === undefined || status === null) {
        throw pollError(`${o.statusTool} answered without a status`, 'poll.no_status', { tool: o.statusTool, result: r, jobId });
      }
      const request = o.humanRequest(payload);
      report(status, payload, attempt, request);
      if (o.isTerminal(status, payload)) return { jobId, status, result: payload, callResult: r, attempts: attempt, elapsedMs: Date.now() - t0 };

      interval = status === last ? Math.min(o.maxIntervalMs, interval * o.backoffFactor) : o.intervalMs;
      last = status;
      const key = request && (request.id ?? JSON.stringify(request));
      if (request && !answered.has(key) && o.onHumanRequest) {
        answered.add(key);
        const answer = await o.onHumanRequest(request, { jobId, status, result: payload });
        if (settled) return undefined;
        if (answer != null) {
          if (!o.respondTool) throw pollError('a human request was answered but no respondTool is set', 'poll.no_respond_tool', { jobId });
          await callRetrying(o.respondTool, o.respondArgs(jobId, request, answer), false, 'respond');
          interval = o.intervalMs;
        }
      }
    }
    throw new TimeoutError(`job ${jobId} did not reach a terminal status within ${o.timeoutMs} ms / ${o.maxAttempts} status calls` +
      ` (last: ${last ?? 'none'}; the job itself was not stopped)`, { code: 'poll.timeout', kind: 'remote', data: { jobId, status: last ?? null } });
  }

  out.started = started;
  out.cancelWait = (reason) => finish(false, cancelled(reason));
  out.stopJob = async () => {
    if (!o.stopTool) throw new McpError('callAndPoll: no stopTool set', { code: 'support.invalid_argument', kind: 'local' });
    const { jobId: id } = await started;
    const r = await client.callTool(o.stopTool, o.stopArgs(id), o.callTimeoutMs ? { timeoutMs: o.callTimeoutMs } : {});
    if (r?.isError) {
      const text = r.content?.find?.((c) => c?.type === 'text')?.text ?? '';
      throw pollError(`stop (${o.stopTool}) reported an error${text ? ': ' + text.slice(0, 300) : ''}`, 'poll.stop_failed', { tool: o.stopTool, result: r, jobId: id });
    }
    wake?.();                             // look at the status now rather than after the current wait
    return o.payload(r);
  };

  const problem = checkOptions(o);
  if (problem) {
    finish(false, new McpError('callAndPoll: ' + problem, { code: 'support.invalid_argument', kind: 'local' }));
  } else if (o.signal?.aborted) {
    onSignal();
  } else {
    o.signal?.addEventListener?.('abort', onSignal, { once: true });
    run().then((v) => finish(true, v), (e) => finish(false, e));
  }
  return out;
}
