// DOM helpers. Everything the API returns goes into the page as text nodes or attributes, never as
// HTML: a name or an event value cannot inject markup.

/** h('a', {href, class, onclick}, child, ...): an element; children are nodes, strings, arrays or null. */
export function h(tag, attrs, ...children) {
  const el = tag === 'svg' || SVG_TAGS.has(tag)
    ? document.createElementNS('http://www.w3.org/2000/svg', tag) : document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k === 'text') el.textContent = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}
const SVG_TAGS = new Set(['g', 'rect', 'path', 'text', 'line', 'title', 'defs', 'marker', 'circle', 'tspan', 'polyline']);

function append(el, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.appendChild(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

export function clear(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/** An in-app link (the router handles it without a reload). */
export function link(href, ...children) {
  return h('a', { href, 'data-link': '' }, ...children);
}

const TWO = n => String(n).padStart(2, '0');

/** A time in the browser's zone, with UTC on hover (title) and in the datetime attribute. */
export function time(iso, { relative = false } = {}) {
  if (!iso) return h('span', { class: 'muted' }, '—');
  const d = new Date(iso);
  const local = stamp(d);
  const text = relative ? ago(d) : local;
  return h('time', { datetime: d.toISOString(), title: d.toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z').replace('Z', ' UTC') + (relative ? ` (${local} local)` : '') }, text);
}

/** YYYY-MM-DD HH:MM:SS in the browser's zone: every time the UI shows as text looks like this. */
export function stamp(iso) {
  const d = new Date(iso);
  return `${d.getFullYear()}-${TWO(d.getMonth() + 1)}-${TWO(d.getDate())} ${clock(d)}`;
}

/** HH:MM:SS in the browser's zone (24 h, as time() shows it). */
export function clock(iso) {
  const d = new Date(iso);
  return `${TWO(d.getHours())}:${TWO(d.getMinutes())}:${TWO(d.getSeconds())}`;
}

export function ago(d) {
  const s = Math.round((Date.now() - d.getTime()) / 1000);
  if (s < 0) return 'in ' + span(-s);
  return span(s) + ' ago';
}

function span(s) {
  if (s < 60) return s + ' s';
  if (s < 3600) return Math.round(s / 60) + ' min';
  if (s < 86400) return Math.round(s / 3600) + ' h';
  return Math.round(s / 86400) + ' d';
}

export function duration(ms) {
  if (ms == null || isNaN(ms)) return '—';
  const s = ms / 1000;
  if (s < 1) return Math.round(ms) + ' ms';
  if (s < 60) return s.toFixed(1) + ' s';
  if (s < 3600) return Math.floor(s / 60) + ' min ' + Math.round(s % 60) + ' s';
  return Math.floor(s / 3600) + ' h ' + Math.round((s % 3600) / 60) + ' min';
}

export const ICONS = { SUCCESS: '✓', FAILED: '✕', RUNNING: '▶', QUEUED: '…', WAITING: '⏸', RETRYING: '↻', STOPPING: '■',
  STOPPED: '■', NONE: '○', DEPLOYED: '●', VALIDATED: '✓', GENERATED: '+', DEPRECATED: '↓', DELETED: '✕' };

/** A coloured status badge with an icon (colour is never the only signal). */
export function badge(status, text) {
  const s = status || 'NONE';
  return h('span', { class: `badge s-${s}`, 'data-status': s }, h('span', { class: 'icon', 'aria-hidden': 'true' }, ICONS[s] || '•'), text || s);
}

export function loading(text = 'Loading…') {
  return h('p', { class: 'loading', role: 'status' }, text);
}

export function empty(text) {
  return h('div', { class: 'empty' }, text);
}

/** An error box showing the API's problem message (and its code and details). */
export function errorBox(err) {
  const code = err && err.code ? ` (${err.status || ''} ${err.code})` : '';
  const details = err && err.details ? h('pre', {}, JSON.stringify(err.details, null, 2)) : null;
  return h('div', { class: 'error', role: 'alert' }, h('strong', {}, 'Error' + code + ': '), err && err.message || String(err), details);
}

/**
 * A table. columns: [{title, cell: row => node|string, num, cls}]. rows: array. Empty: the text.
 * rowAttrs(row) may give attributes for a row.
 */
export function table(columns, rows, { empty: emptyText = 'Nothing here yet.', rowAttrs } = {}) {
  if (!rows || rows.length === 0) return empty(emptyText);
  return h('div', { class: 'table-wrap' }, h('table', {},
    h('thead', {}, h('tr', {}, columns.map(c => h('th', { class: c.num ? 'num' : null, scope: 'col' }, c.title)))),
    h('tbody', {}, rows.map(r => h('tr', rowAttrs ? rowAttrs(r) : {},
      columns.map(c => h('td', { class: [c.num ? 'num' : '', c.cls || ''].join(' ').trim() || null }, c.cell(r))))))));
}

export function card(title, ...children) {
  return h('section', { class: 'card' }, title ? h('h2', {}, title) : null, ...children);
}

/** Fills {@code el} with loading, then what {@code load} renders, or the error. */
export async function section(el, load) {
  clear(el, loading());
  try {
    const node = await load();
    clear(el, node);
  } catch (e) {
    if (e.name === 'AbortError') return;
    clear(el, errorBox(e));
  }
}

let toastTimer;
export function toast(text, bad = false) {
  document.querySelectorAll('.toast').forEach(t => t.remove());
  const t = h('div', { class: 'toast' + (bad ? ' bad' : ''), role: bad ? 'alert' : 'status' }, text);
  document.body.appendChild(t);
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => t.remove(), bad ? 8000 : 4000);
}

/** Asks before a change; resolves true if confirmed. Keyboard: Enter confirms, Escape cancels. */
export function confirmDialog(message, confirmText = 'Confirm') {
  return new Promise(resolve => {
    const ok = h('button', { class: 'primary', value: 'ok', type: 'submit' }, confirmText);
    const dlg = h('dialog', { 'aria-label': 'Confirm' },
      h('form', { method: 'dialog' }, h('p', {}, message),
        h('div', { class: 'actions' }, h('button', { value: 'cancel', type: 'submit' }, 'Cancel'), ok)));
    document.body.appendChild(dlg);
    dlg.addEventListener('close', () => { resolve(dlg.returnValue === 'ok'); dlg.remove(); });
    dlg.showModal();
    ok.focus();
  });
}

/** Runs an action from a button: disables it meanwhile, toasts the result or the API's error. */
export async function act(button, fn, done) {
  button.disabled = true;
  try {
    const result = await fn();
    if (done) toast(typeof done === 'function' ? done(result) : done);
    return result;
  } catch (e) {
    toast(e.message + (e.code ? ` (${e.code})` : ''), true);
    return undefined;
  } finally {
    button.disabled = false;
  }
}

export function props(obj) {
  const entries = Object.entries(obj || {});
  if (!entries.length) return h('span', { class: 'muted' }, '—');
  return h('dl', { class: 'props' }, entries.map(([k, v]) => [h('dt', {}, k), h('dd', {}, typeof v === 'object' ? JSON.stringify(v) : String(v))]));
}

/** A namespace picker bound to the page's ?namespace= (default 'default'). */
export function namespacePicker(current, onChange) {
  const input = h('input', { value: current, 'aria-label': 'Namespace', size: 14, spellcheck: 'false' });
  const form = h('form', { class: 'actions', onsubmit: e => { e.preventDefault(); onChange(input.value.trim() || 'default'); } },
    h('label', { class: 'toggle' }, 'Namespace', input), h('button', { type: 'submit' }, 'Show'));
  return form;
}

/**
 * A page listing one kind of record of a namespace (?namespace=, default 'default'): a heading, the
 * namespace picker and a table of what GET /<resource>?namespace= answers under {@code field}.
 */
export async function namespacedList(main, { api, query, signal, navigate }, { title, sub, resource, field, columns, empty: emptyText, params = {} }) {
  const ns = query.get('namespace') || 'default';
  let body;
  try {
    const res = await api(resource, { query: { namespace: ns, limit: 1000, ...params }, signal });
    body = table(columns(ns), res[field], { empty: emptyText(ns) });
  } catch (e) {
    if (e.status !== 400 && e.status !== 403) throw e;
    body = errorBox(e); // a bad or forbidden namespace: the picker stays to choose another
  }
  clear(main, h('div', { class: 'page-head' }, h('div', {}, h('h1', {}, title), h('p', { class: 'sub' }, sub)),
    namespacePicker(ns, v => navigate(`/aiflow/${resource}?namespace=` + encodeURIComponent(v)))),
  card(null, body));
}
