// Shows a tool result: a table when the value is (or holds) an array of
// objects, and always a collapsible JSON tree (native <details>). Plain DOM.
import { el } from './dom.mjs';

const MAX_DEPTH = 32;     // deeper values are shown as JSON text
const MAX_ROWS = 200;
const MAX_CHILDREN = 500;

const isRecord = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
const isTable = (v) => Array.isArray(v) && v.length > 0 && v.every(isRecord);

/// The value a result carries: structuredContent, else its text parsed as JSON, else its content.
export function resultValue(result) {
  if (result?.structuredContent !== undefined) return result.structuredContent;
  const texts = (result?.content ?? []).filter((c) => c?.type === 'text');
  if (texts.length === 1) {
    try { return JSON.parse(texts[0].text); } catch { return texts[0].text; }
  }
  return result?.content ?? result;
}

/// [path, rows] of the table to show: the value itself, or its first member that is one.
export function findTable(value) {
  if (isTable(value)) return ['', value];
  if (isRecord(value)) for (const [k, v] of Object.entries(value)) if (isTable(v)) return [k, v];
  return null;
}

function cellText(v) {
  if (v === null) return 'null';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/// A table of an array of objects: one column per key seen, in first-seen order.
export function buildTable(rows) {
  const shown = rows.slice(0, MAX_ROWS);
  const columns = [...new Set(shown.flatMap((r) => Object.keys(r)))];
  const table = el('table', { className: 'result-table' });
  table.append(el('thead', {}, el('tr', {}, ...columns.map((c) => el('th', { textContent: c })))));
  const body = el('tbody');
  for (const r of shown) {
    body.append(el('tr', {}, ...columns.map((c) => el('td', {
      textContent: c in r ? cellText(r[c]) : '',
      className: r[c] === null ? 'null' : '',
    }))));
  }
  table.append(body);
  if (rows.length > shown.length) table.append(el('caption', { textContent: `first ${shown.length} of ${rows.length} rows` }));
  return table;
}

function leaf(key, v) {
  const type = v === null ? 'null' : typeof v;
  const text = typeof v === 'string' ? JSON.stringify(v) : String(v);
  return el('div', { className: 'leaf' }, key == null ? null : el('span', { className: 'key', textContent: `${key}: ` }),
    el('span', { className: type, textContent: text }));
}

function treeNode(key, v, depth) {
  if (v === null || typeof v !== 'object') return leaf(key, v);
  if (depth >= MAX_DEPTH) return leaf(key, JSON.stringify(v));
  const entries = Array.isArray(v) ? v.map((x, i) => [i, x]) : Object.entries(v);
  const shape = Array.isArray(v) ? `[${v.length}]` : `{${entries.length}}`;
  const details = el('details', { open: depth < 3 });
  details.append(el('summary', {}, key == null ? null : el('span', { className: 'key', textContent: `${key}: ` }), shape));
  for (const [k, x] of entries.slice(0, MAX_CHILDREN)) details.append(treeNode(k, x, depth + 1));
  if (entries.length > MAX_CHILDREN) details.append(el('div', { className: 'leaf', textContent: `… ${entries.length - MAX_CHILDREN} more` }));
  return details;
}

/// A collapsible tree of any JSON value (the first three levels open).
export function buildTree(value) {
  return el('div', { className: 'tree' }, treeNode(null, value, 0));
}

/// Renders `result` into `container`; `check` is {state: 'valid'|'invalid'|'none', errors} for outputSchema.
export function renderResult(container, meta, result, check) {
  const value = resultValue(result);
  const table = result?.isError ? null : findTable(value);
  container.replaceChildren();
  if (table) {
    container.append(el('div', { className: 'hint', textContent: table[0] ? `${table[0]}: ${table[1].length} rows` : `${table[1].length} rows` }));
    container.append(buildTable(table[1]));
  }
  container.append(buildTree(value));
  meta.replaceChildren(
    el('span', { textContent: result?.isError ? 'The tool reported an error. ' : '' }),
    check.state === 'valid' ? el('span', { className: 'valid', textContent: '✓ structuredContent matches the outputSchema' })
      : check.state === 'invalid' ? el('span', { className: 'invalid', textContent: '✗ structuredContent does not match the outputSchema' })
        : el('span', { textContent: 'no outputSchema' }),
  );
  if (check.state === 'invalid') {
    meta.append(el('ul', { className: 'output-errors' },
      ...check.errors.map((e) => el('li', { textContent: `${e.instanceLocation || '(root)'}: ${e.message}` }))));
  }
}
