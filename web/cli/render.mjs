// What mcp-wasm prints: the tools table, tool results, run progress (a bar on
// a TTY, one line per change otherwise).

function clip(s, n) { return s.length > n ? s.slice(0, n - 1) + '…' : s; }

/// Rows for `tools`: name, required arguments, first line of the description.
export function toolRows(tools, filter) {
  const f = filter?.toLowerCase();
  return tools
    .filter((t) => !f || t.name.toLowerCase().includes(f) || (t.description ?? '').toLowerCase().includes(f))
    .map((t) => ({ name: t.name, required: t.inputSchema?.required ?? [], description: (t.description ?? '').split('\n')[0].trim() }));
}

export function table(head, rows, { maxWidth = 0 } = {}) {
  const width = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  if (maxWidth > 0) {
    const used = width.slice(0, -1).reduce((a, b) => a + b + 2, 0);
    width[width.length - 1] = Math.max(20, Math.min(width[width.length - 1], maxWidth - used));
  }
  return [head, ...rows].map((r) => r.map((c, i) => clip(c, width[i]).padEnd(width[i])).join('  ').trimEnd()).join('\n');
}

export function printTools(out, rows, total) {
  const body = rows.map((r) => [r.name, r.required.join(', ') || '-', r.description]);
  out.write(table(['TOOL', 'REQUIRED', 'DESCRIPTION'], body, { maxWidth: out.isTTY ? out.columns : 120 }) + '\n');
  out.write(`(${rows.length}${rows.length === total ? '' : ` of ${total}`} tool${total === 1 ? '' : 's'})\n`);
}

/// A CallToolResult for people: text blocks, other blocks by type, structured content.
export function printResult(out, err, result) {
  const print = (s) => (result.isError ? err : out).write(s + '\n');
  for (const c of result.content ?? []) {
    if (c.type === 'text') print(c.text);
    else if (c.type === 'resource') print(`[resource ${c.resource?.uri}]`);
    else print(`[${c.type}${c.mimeType ? ' ' + c.mimeType : ''}]`);
  }
  if (result.structuredContent !== undefined && !(result.content ?? []).some((c) => c.type === 'text'))
    print(JSON.stringify(result.structuredContent, null, 2));
  if (result.isError) err.write('(the tool reported an error)\n');
}

/// A fraction 0..1 from a status payload, when it has one (Duvo: run.progress).
export function fractionOf(payload) {
  const p = payload?.run?.progress ?? payload?.progress;
  return typeof p === 'number' && p >= 0 && p <= 1 ? p : null;
}

const secs = (ms) => (ms / 1000).toFixed(1) + 's';

/// Progress for `run`: on a TTY one bar line rewritten in place; otherwise a
/// line whenever the status (or the rounded percentage) changes.
export function progressReporter(err, { tty }) {
  let lastLine = '';
  let drawn = false;
  const spinner = '|/-\\';
  return {
    update({ status, result, attempt, elapsedMs }) {
      const f = fractionOf(result);
      if (tty) {
        const width = 24;
        const bar = f === null
          ? spinner[attempt % 4].padEnd(width, ' ')
          : '#'.repeat(Math.round(f * width)).padEnd(width, '.');
        const pct = f === null ? '    ' : `${String(Math.round(f * 100)).padStart(3)}%`;
        err.write(`\r\x1b[2K[${bar}] ${pct} ${status}  ${secs(elapsedMs)}`);
        drawn = true;
      } else {
        const line = `${status}${f === null ? '' : ` ${Math.round(f * 100)}%`}`;
        if (line !== lastLine) err.write(`  ${secs(elapsedMs).padStart(6)}  ${line}\n`);
        lastLine = line;
      }
    },
    /// Ends the bar line before anything else is printed.
    pause() {
      if (tty && drawn) err.write('\n');
      drawn = false;
    },
  };
}
