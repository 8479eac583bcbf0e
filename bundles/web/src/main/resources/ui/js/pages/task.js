// A task execution: its status history with reasons, and a log viewer that follows a running task
// and downloads a whole file.
import { api, may } from '../api.js';
import { h, clear, link, time, badge, table, card, act, errorBox, empty } from '../ui.js';

const ACTIVE = new Set(['QUEUED', 'WAITING', 'RUNNING', 'RETRYING', 'STOPPING']);
const SLICE = 256 * 1024;

export default async function taskPage(main, { params, signal }) {
  const id = Number(params.id);
  let t = await api(`tasks/${id}`, { signal });
  const head = h('div', {});
  const history = h('div', {});
  const logBox = h('div', {});
  clear(main, head, h('div', { class: 'grid' }, h('div', { class: 'span-12' }, card('Log', logBox)),
    h('div', { class: 'span-12' }, card('Status history', history))));

  function drawHead() {
    clear(head, h('div', { class: 'page-head' },
      h('div', {}, h('h1', {}, h('bdi', {}, t.taskName), ` #${t.attempt}`, badge(t.status)),
        h('p', { class: 'sub' }, 'Task execution ', String(t.id), ' of ', link(`executions/${t.workflowExecutionId}`, `execution #${t.workflowExecutionId}`),
          ' of ', link(`workflows/${encodeURIComponent(t.namespace)}/${encodeURIComponent(t.workflowName)}`, t.workflowName),
          ` · runner ${t.runnerType} · created `, time(t.createTime), ' · updated ', time(t.updateTime)),
        t.message ? h('p', {}, h('strong', {}, 'Message: '), t.message) : null),
      h('div', { class: 'actions' }, may('operator', t.namespace) && ACTIVE.has(t.status) ? h('button', { class: 'danger action', type: 'button', onclick: async e => {
        const r = await act(e.currentTarget, () => api(`tasks/${t.id}/stop`, { method: 'POST' }), 'Stopping');
        if (r) { t = r; drawHead(); }
      } }, 'Stop') : null)));
  }
  async function drawHistory() {
    const res = await api(`tasks/${id}/history`, { signal });
    clear(history, table([
      { title: 'Time', cell: c => time(c.time) },
      { title: 'From', cell: c => c.from ? badge(c.from) : '—' },
      { title: 'To', cell: c => badge(c.to) },
      { title: 'Why', cell: c => reason(c.message), cls: 'wrap' },
    ], res.changes.slice().reverse(), { empty: 'No status changes recorded.' }));
  }
  drawHead();
  await drawHistory();
  await logViewer(logBox, t, signal, async () => {
    const before = t.status;
    t = await api(`tasks/${id}`, { signal });
    if (t.status !== before) { drawHead(); drawHistory().catch(() => {}); }
    return ACTIVE.has(t.status);
  });
}

/** A status message with "event 1234" made a link to the event. */
function reason(message) {
  if (!message) return '—';
  const out = [];
  let last = 0;
  const re = /event (\d+)/g;
  let m;
  while ((m = re.exec(message))) {
    out.push(message.slice(last, m.index), link(`events/${m[1]}`, m[0]));
    last = m.index + m[0].length;
  }
  out.push(message.slice(last));
  return h('span', {}, out);
}

async function logViewer(box, t, signal, stillActive) {
  const files = (await api(`tasks/${t.id}/logs`, { signal })).files;
  if (!files.length) {
    clear(box, empty('This task has written no log file (yet).'));
    return;
  }
  // the job's own output, else the flink runner's account of the job (as aiflow:task-log chooses)
  let file = files.includes('stdout.log') ? 'stdout.log' : files.includes('flink.log') ? 'flink.log' : files[0];
  let offset = 0;
  let generation = 0;
  const pre = h('pre', { class: 'log', tabindex: 0, 'aria-label': 'Log text', 'aria-live': 'off' });
  const follow = h('input', { type: 'checkbox', checked: ACTIVE.has(t.status) });
  const info = h('span', { class: 'sub' });
  const tabs = h('div', { class: 'tabs', role: 'tablist' }, files.map(f => h('button', { type: 'button', role: 'tab', 'aria-selected': String(f === file),
    onclick: e => {
      file = f;
      tabs.querySelectorAll('button').forEach(b => b.setAttribute('aria-selected', String(b === e.currentTarget)));
      load();
    } }, f)));
  const download = h('button', { id: 'download-log', type: 'button', onclick: e => act(e.currentTarget, () => downloadFile(t.id, file)) }, 'Download');
  clear(box, tabs, h('div', { class: 'actions', style: 'margin-bottom:8px' }, h('label', { class: 'toggle' }, follow, 'Follow'), download, info), pre);

  async function load() {
    const gen = ++generation;
    // the last 256 KiB first: a long log opens at its end, like tail
    const slice = await api(`tasks/${t.id}/logs/${encodeURIComponent(file)}`, { query: { offset: -SLICE, maxBytes: SLICE }, signal });
    if (gen !== generation) return;
    pre.textContent = (slice.offset > 0 ? `… ${slice.offset} earlier bytes: use Download for the whole file …\n` : '') + slice.text;
    offset = slice.nextOffset;
    info.textContent = `${slice.size} bytes`;
    pre.scrollTop = pre.scrollHeight;
  }
  async function more() {
    const gen = generation;
    let slice = await api(`tasks/${t.id}/logs/${encodeURIComponent(file)}`, { query: { offset, maxBytes: SLICE }, signal });
    if (gen !== generation) return;
    if (slice.size < offset) {
      // shrunk: rotated (copied to <file>.1, then truncated): on from the start of the new file
      pre.append(`\n… ${file} was rotated: earlier output is in ${file}.1 …\n`);
      offset = 0;
      slice = await api(`tasks/${t.id}/logs/${encodeURIComponent(file)}`, { query: { offset, maxBytes: SLICE }, signal });
      if (gen !== generation) return;
    }
    if (!slice.text) return;
    const atEnd = pre.scrollTop + pre.clientHeight >= pre.scrollHeight - 20;
    pre.append(slice.text);
    offset = slice.nextOffset;
    info.textContent = `${slice.size} bytes`;
    if (atEnd) pre.scrollTop = pre.scrollHeight;
  }
  try {
    await load();
  } catch (e) {
    clear(box, errorBox(e));
    return;
  }
  const timer = setInterval(async () => {
    if (!follow.checked) return;
    try {
      await more();
      if (!(await stillActive())) { await more(); follow.checked = false; }
    } catch (e) { /* next tick */ }
  }, 1000);
  signal.addEventListener('abort', () => clearInterval(timer));
}

/** Reads the whole file slice by slice (1 MiB each) and saves it. */
async function downloadFile(id, file) {
  const parts = [];
  let offset = 0;
  for (;;) {
    const s = await api(`tasks/${id}/logs/${encodeURIComponent(file)}`, { query: { offset, maxBytes: 1024 * 1024 } });
    parts.push(s.text);
    if (s.nextOffset >= s.size || !s.text) break;
    offset = s.nextOffset;
  }
  const url = URL.createObjectURL(new Blob(parts, { type: 'text/plain' }));
  const a = h('a', { href: url, download: `task-${id}-${file}` });
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}
