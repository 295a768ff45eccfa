// A form generated from a tool's flat input schema (one control per top-level
// property): enum -> select, boolean -> checkbox, number/integer -> number
// input, string -> text, array of scalars -> a list (or JSON), anything else ->
// JSON. Required fields are marked; a nullable field gets a "null" box that
// sends an explicit null. Plain DOM.
import { el } from './dom.mjs';

/// Reads a property schema: {kind, nullable, types, enumValues, items, base}.
export function describeProperty(schema) {
  const s = schema && typeof schema === 'object' ? schema : {};
  let nullable = s.nullable === true;
  let base = s;
  let types = s.type === undefined ? [] : [].concat(s.type);
  const branches = s.anyOf ?? s.oneOf;
  if (Array.isArray(branches) && types.length === 0) {
    const isNull = (b) => b?.type === 'null' || (Array.isArray(b?.type) && b.type.length === 1 && b.type[0] === 'null');
    const rest = branches.filter((b) => !isNull(b));
    if (rest.length < branches.length) nullable = true;
    if (rest.length === 1) {
      base = { ...s, ...rest[0] };
      types = rest[0].type === undefined ? [] : [].concat(rest[0].type);
    } else {
      types = ['union'];
    }
  }
  if (types.includes('null')) nullable = true;
  types = types.filter((t) => t !== 'null');
  let enumValues = Array.isArray(base.enum) ? base.enum : base.const !== undefined ? [base.const] : null;
  if (enumValues?.includes(null)) nullable = true;
  enumValues = enumValues?.filter((v) => v !== null && typeof v !== 'object') ?? null;
  let kind = 'json';
  if (enumValues?.length) kind = 'enum';
  else if (types.length === 1 && types[0] === 'boolean') kind = 'boolean';
  else if (types.length === 1 && (types[0] === 'integer' || types[0] === 'number')) kind = 'number';
  else if (types.length === 1 && types[0] === 'string') kind = 'string';
  else if (types.length === 1 && types[0] === 'array' && ['string', 'number', 'enum'].includes(describeProperty(base.items).kind)) kind = 'list';
  return { kind, nullable, types, enumValues, items: base.items, base };
}

function enumSelect(values, id) {
  const select = el('select', { id });
  select.append(el('option', { value: '', textContent: '— not set —' }));
  values.forEach((v, i) => select.append(el('option', { value: String(i), textContent: String(v) })));
  return { node: select, read: () => (select.value === '' ? undefined : values[Number(select.value)]), controls: [select] };
}

function scalarInput(info, id) {
  if (info.kind === 'enum') return enumSelect(info.enumValues, id);
  const integer = info.types[0] === 'integer';
  const input = el('input', { id, type: info.kind === 'number' ? 'number' : 'text' });
  if (info.kind === 'number') {
    input.step = integer ? '1' : 'any';
    if (typeof info.base.minimum === 'number') input.min = String(info.base.minimum);
    if (typeof info.base.maximum === 'number') input.max = String(info.base.maximum);
  }
  if (info.base.default !== undefined) input.placeholder = `default: ${JSON.stringify(info.base.default)}`;
  else if (info.base.format) input.placeholder = info.base.format;
  const read = () => {
    if (input.value === '') return undefined;
    if (info.kind !== 'number') return input.value;
    const n = Number(input.value);
    if (!Number.isFinite(n)) throw new Error('not a number');
    return n;
  };
  return { node: input, read, controls: [input] };
}

function checkbox(info, id, required) {
  const box = el('input', { id, type: 'checkbox' });
  // An optional boolean starts "not sent" (indeterminate) until it is clicked.
  let set = required;
  if (info.base.default === true) box.checked = true;
  box.indeterminate = !set;
  box.addEventListener('change', () => { set = true; box.indeterminate = false; });
  const text = el('span', { className: 'hint', textContent: required ? '' : ' (not sent until clicked)' });
  box.addEventListener('change', () => { text.textContent = ''; });
  return { node: el('span', {}, box, text), read: () => (set ? box.checked : undefined), controls: [box] };
}

function jsonArea(info, id) {
  const area = el('textarea', { id, rows: 3, placeholder: info.types[0] === 'object' ? '{ }' : info.types[0] === 'array' ? '[ ]' : 'JSON' });
  const read = () => {
    if (area.value.trim() === '') return undefined;
    try { return JSON.parse(area.value); } catch (e) { throw new Error(`not JSON: ${e.message}`); }
  };
  return { node: area, read, controls: [area], set: (v) => { area.value = v === undefined ? '' : JSON.stringify(v, null, 1); } };
}

// An array of scalars: one input per item, add/remove, or the whole as JSON.
function listEditor(info, id) {
  const itemInfo = describeProperty(info.items);
  const items = el('div', { className: 'list-items' });
  const rows = [];
  const addRow = (value) => {
    const input = scalarInput(itemInfo, `${id}-${rows.length}`);
    const remove = el('button', { type: 'button', textContent: '−', title: 'remove this item' });
    const row = el('div', { className: 'list-item' }, input.node, remove);
    const entry = { input, row };
    remove.addEventListener('click', () => { rows.splice(rows.indexOf(entry), 1); row.remove(); });
    if (value !== undefined) {
      if (itemInfo.kind === 'enum') input.node.value = String(itemInfo.enumValues.indexOf(value));
      else input.node.value = String(value);
    }
    rows.push(entry);
    items.append(row);
  };
  const add = el('button', { type: 'button', textContent: '+ item', className: 'add-item' });
  add.addEventListener('click', () => addRow());
  const json = jsonArea(info, `${id}-json`);
  json.node.hidden = true;
  const toggle = el('button', { type: 'button', textContent: 'as JSON', className: 'as-json' });
  const readList = () => {
    const values = rows.map((r) => r.input.read()).filter((v) => v !== undefined);
    return rows.length === 0 ? undefined : values;
  };
  toggle.addEventListener('click', () => {
    if (json.node.hidden) {
      json.set(readList());
      json.node.hidden = false; items.hidden = true; add.hidden = true; toggle.textContent = 'as list';
    } else {
      const v = json.read();
      rows.splice(0).forEach((r) => r.row.remove());
      if (Array.isArray(v)) v.forEach((x) => addRow(x));
      json.node.hidden = true; items.hidden = false; add.hidden = false; toggle.textContent = 'as JSON';
    }
  });
  const node = el('div', { className: 'list', id }, items, json.node, el('div', {}, add, toggle));
  const controls = () => [...rows.flatMap((r) => r.input.controls), json.node, add, toggle];
  return { node, read: () => (json.node.hidden ? readList() : json.read()), get controls() { return controls(); } };
}

/// Builds the form in `container`. Returns {read() -> {args, problems}, showErrors(list) -> unplaced, clear()}.
export function buildForm(container, inputSchema) {
  const props = inputSchema?.properties && typeof inputSchema.properties === 'object' ? inputSchema.properties : {};
  const required = new Set(Array.isArray(inputSchema?.required) ? inputSchema.required : []);
  const fields = [];
  container.replaceChildren();
  Object.entries(props).forEach(([name, schema], i) => {
    const info = describeProperty(schema);
    const id = `f-${i}`;
    const isRequired = required.has(name);
    const control = info.kind === 'boolean' ? checkbox(info, id, isRequired)
      : info.kind === 'list' ? listEditor(info, id)
        : info.kind === 'json' ? jsonArea(info, id) : scalarInput(info, id);
    const itemType = info.kind === 'list' ? ` of ${[].concat(info.items?.type ?? 'any').join(' | ')}` : '';
    const typeText = info.kind === 'enum' ? 'enum' : (info.types.join(' | ') || 'any') + itemType + (info.nullable ? ' | null' : '');
    const label = el('label', { htmlFor: id, className: isRequired ? 'required' : '' }, name, el('span', { className: 'hint', textContent: ` ${typeText}` }));
    let nullBox = null;
    const row = el('div', { className: 'row' }, control.node);
    if (info.nullable) {
      nullBox = el('input', { type: 'checkbox', className: 'null-box' });
      nullBox.addEventListener('change', () => { for (const c of control.controls) c.disabled = nullBox.checked; });
      row.append(el('label', { className: 'null-toggle', title: 'send an explicit null' }, nullBox, 'null'));
    }
    const error = el('div', { className: 'field-error', hidden: true });
    const desc = schema?.description ? el('div', { className: 'hint', textContent: schema.description }) : null;
    const node = el('div', { className: 'field' }, label, row, desc, error);
    node.dataset.name = name;
    node.dataset.kind = info.kind;
    container.append(node);
    fields.push({ name, node, error, read: () => (nullBox?.checked ? null : control.read()) });
  });

  const setError = (field, message) => {
    field.node.classList.add('invalid');
    field.error.hidden = false;
    field.error.textContent = field.error.textContent ? `${field.error.textContent}; ${message}` : message;
  };
  const clear = () => fields.forEach((f) => { f.node.classList.remove('invalid'); f.error.hidden = true; f.error.textContent = ''; });

  return {
    read() {
      const args = {};
      const problems = [];
      for (const f of fields) {
        try {
          const v = f.read();
          if (v !== undefined) args[f.name] = v;
        } catch (e) {
          problems.push({ instanceLocation: `/${pointerEscape(f.name)}`, keywordLocation: '', message: e.message });
        }
      }
      return { args, problems };
    },
    /// Places each {instanceLocation, message} next to its field; returns those that fit none.
    showErrors(errors) {
      const unplaced = [];
      for (const e of errors) {
        const name = fieldOf(e, fields.map((f) => f.name), required);
        const field = fields.find((f) => f.name === name);
        if (field) setError(field, e.message);
        else unplaced.push(e);
      }
      return unplaced;
    },
    clear,
  };
}

const pointerEscape = (s) => s.replace(/~/g, '~0').replace(/\//g, '~1');
const pointerUnescape = (s) => s.replace(/~1/g, '/').replace(/~0/g, '~');

// The field an error belongs to: the first segment of its instance location,
// or, for an error on the whole object (a missing required property), the
// required property its message names.
function fieldOf(error, names, required) {
  const loc = error.instanceLocation ?? '';
  if (loc.startsWith('/')) return pointerUnescape(loc.slice(1).split('/')[0]);
  const quoted = [...String(error.message ?? '').matchAll(/["'`]([^"'`]+)["'`]/g)].map((m) => m[1]);
  return quoted.find((q) => names.includes(q)) ?? [...required].find((r) => String(error.message).includes(r));
}
