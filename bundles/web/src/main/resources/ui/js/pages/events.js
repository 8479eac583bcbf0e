// The event log: filters in the URL, newest first and paged back (order=desc), a live tail through
// the SSE stream, and a publish form for operators.
import { api, may } from '../api.js';
import { followEvents } from '../sse.js';
import { h, clear, link, time, card, errorBox, toast } from '../ui.js';

const FILTERS = ['namespace', 'key', 'type', 'sender', 'afterVersion', 'untilVersion', 'fromTime', 'toTime'];
const PAGE = 100;

export default async function events(main, { query, signal, navigate }) {
  const f = Object.fromEntries(FILTERS.map(k => [k, query.get(k) || '']));
  const inputs = {};
  const field = (k, label, attrs = {}) => {
    inputs[k] = h('input', { name: k, value: k.endsWith('Time') ? localInput(f[k]) : f[k], ...attrs });
    return h('label', {}, label, inputs[k]);
  };
  const filterForm = h('form', { class: 'form-row', role: 'search', onsubmit: e => {
    e.preventDefault();
    const after = inputs.afterVersion.value.trim();
    const until = inputs.untilVersion.value.trim();
    for (const [k, v] of [['afterVersion', after], ['untilVersion', until]]) {
      inputs[k].setCustomValidity(v && !/^\d+$/.test(v) ? 'a version is a whole number' : '');
    }
    if (after && until && /^\d+$/.test(after) && /^\d+$/.test(until) && Number(until) <= Number(after)) {
      inputs.untilVersion.setCustomValidity('must be greater than After version');
    }
    if (!filterForm.reportValidity()) return;
    const q = new URLSearchParams();
    for (const k of FILTERS) {
      let v = inputs[k].value.trim();
      if (v && k.endsWith('Time')) v = new Date(v).toISOString();
      if (v) q.set(k, v);
    }
    navigate('/aiflow/events' + (q.toString() ? '?' + q : ''));
  } }, field('namespace', 'Namespace'), field('key', 'Key'), field('type', 'Type'), field('sender', 'Sender'),
  field('afterVersion', 'After version', { inputmode: 'numeric', size: 8 }), field('untilVersion', 'Until version', { inputmode: 'numeric', size: 8 }),
  field('fromTime', 'From (local time)', { type: 'datetime-local', step: 1 }), field('toTime', 'To (local time)', { type: 'datetime-local', step: 1 }),
  h('button', { class: 'primary', type: 'submit' }, 'Filter'), h('a', { href: '/aiflow/events', 'data-link': '', class: 'button' }, 'Clear'));

  const body = h('tbody', {});
  const list = h('div', {});
  const pager = h('div', { class: 'actions', style: 'margin-top:10px' });
  const live = h('span', { class: 'live' }, 'off');
  const tailToggle = h('input', { type: 'checkbox', 'aria-label': 'Live tail' });
  const filters = {};
  for (const k of FILTERS) if (f[k]) filters[k] = f[k];

  clear(main, h('div', { class: 'page-head' }, h('div', {}, h('h1', {}, 'Events'), h('p', { class: 'sub' }, 'The event log, newest first. Filters stay in the address: share the link.')),
    h('div', { class: 'actions' }, h('label', { class: 'toggle' }, tailToggle, 'Live tail'), live)),
  card(null, filterForm, list, pager),
  may('operator', f.namespace || 'default') || may('operator') ? publishCard(f.namespace, navigate) : null);

  let firstVersion = null;
  let tail = null;
  const head = () => h('thead', {}, h('tr', {}, ['Version', 'Time', 'Namespace', 'Key', 'Type', 'Value', 'Sender'].map(t => h('th', { scope: 'col' }, t))));
  const showTable = () => clear(list, h('div', { class: 'table-wrap' }, h('table', {}, head(), body)));
  const row = ev => h('tr', { 'data-version': ev.version },
    h('td', { class: 'num' }, link(`events/${ev.version}`, String(ev.version))),
    h('td', {}, time(ev.createTime)), h('td', {}, ev.namespace), h('td', { class: 'wrap' }, ev.key), h('td', {}, ev.type || ''),
    h('td', { class: 'wrap' }, h('span', { class: 'truncate mono', title: ev.value }, ev.value)), h('td', {}, ev.sender || ''));

  async function page(untilVersion) {
    const res = await api('events', { query: { ...filters, untilVersion: untilVersion || filters.untilVersion, order: 'desc', limit: PAGE }, signal });
    if (firstVersion === null) {
      firstVersion = res.events.length ? res.events[0].version : res.lastVersion;
      if (!res.events.length) {
        clear(list, h('div', { class: 'empty' }, Object.keys(filters).length ? 'No event matches these filters.' : 'No events yet.'));
      } else {
        showTable();
      }
    }
    res.events.forEach(ev => body.appendChild(row(ev)));
    clear(pager, h('span', { class: 'sub' }, `${body.children.length} events shown`),
      res.nextUntilVersion != null ? h('button', { type: 'button', onclick: e => { e.currentTarget.disabled = true; page(res.nextUntilVersion).catch(err => clear(pager, errorBox(err))); } }, 'Older events') : null);
    return res;
  }

  try {
    await page(null);
  } catch (e) {
    if (e.status !== 400 && e.status !== 403) throw e;
    clear(list, errorBox(e)); // a bad filter: the form stays to correct it
    tailToggle.disabled = true;
    return;
  }
  tailToggle.addEventListener('change', () => {
    if (tail) { tail.abort(); tail = null; }
    live.classList.remove('on');
    live.textContent = 'off';
    if (!tailToggle.checked) return;
    tail = new AbortController();
    signal.addEventListener('abort', () => tail && tail.abort());
    const streamFilters = { ...filters };
    delete streamFilters.untilVersion;
    delete streamFilters.fromTime;
    delete streamFilters.toTime;
    delete streamFilters.afterVersion;
    followEvents(streamFilters, ev => {
      if (!body.isConnected) showTable();
      body.insertBefore(row(ev), body.firstChild);
      while (body.children.length > 1000) body.lastChild.remove();
      const shown = pager.querySelector('.sub');
      if (shown) shown.textContent = `${body.children.length} events shown`;
    }, { signal: tail.signal, lastVersion: firstVersion, onState: (on, err) => {
      live.classList.toggle('on', on);
      live.textContent = on ? 'live' : err ? err.message : 'reconnecting';
    } });
  });
}

function publishCard(namespace, navigate) {
  const out = h('div', { 'aria-live': 'polite' });
  const form = h('form', { id: 'publish', onsubmit: async e => {
    e.preventDefault();
    const d = Object.fromEntries(new FormData(form).entries());
    const context = {};
    for (const line of (d.context || '').split('\n')) {
      const i = line.indexOf('=');
      if (i > 0) context[line.slice(0, i).trim()] = line.slice(i + 1).trim();
    }
    const button = form.querySelector('button[type=submit]');
    button.disabled = true;
    clear(out);
    try {
      const ev = await api('events', { method: 'POST', body: { namespace: d.namespace || 'default', key: d.key, value: d.value, type: d.type || null, context } });
      toast(`Published event ${ev.version}`);
      clear(out, h('p', {}, 'Stored as ', link(`events/${ev.version}`, `version ${ev.version}`), '.'));
      form.reset();
    } catch (err) {
      clear(out, errorBox(err));
    } finally {
      button.disabled = false;
    }
  } },
  h('div', { class: 'form-row' },
    h('label', {}, 'Namespace', h('input', { name: 'namespace', value: namespace || 'default', required: true })),
    h('label', {}, 'Key', h('input', { name: 'key', required: true })),
    h('label', {}, 'Type', h('input', { name: 'type' })),
    h('label', { class: 'wide' }, 'Value', h('input', { name: 'value' }))),
  h('label', {}, 'Context (one key=value per line)', h('textarea', { name: 'context', rows: 2 })),
  h('div', { class: 'actions', style: 'margin-top:10px' }, h('button', { class: 'primary action', type: 'submit' }, 'Publish')), out);
  return h('div', { style: 'margin-top:16px' }, card('Publish an event', form));
}

function localInput(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  if (isNaN(d)) return '';
  const p = n => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}
