// An execution: a timeline (Gantt) of its task attempts and the attempts as a table; refreshes
// every 2 s while it runs.
import { api, may } from '../api.js';
import { h, clear, link, time, clock, badge, table, card, act, confirmDialog, duration } from '../ui.js';

const ACTIVE = new Set(['QUEUED', 'WAITING', 'RUNNING', 'RETRYING', 'STOPPING']);

export default async function executionPage(main, { params, signal }) {
  const id = Number(params.id);
  const head = h('div', {});
  const gantt = h('div', { class: 'table-wrap' });
  const rows = h('div', {});
  clear(main, head, h('div', { class: 'grid' }, h('div', { class: 'span-12' }, card('Timeline', gantt)),
    h('div', { class: 'span-12' }, card('Task attempts', rows))));

  async function refresh() {
    const [x, res] = await Promise.all([api(`executions/${id}`, { signal }), api('tasks', { query: { executionId: id, limit: 1000 }, signal })]);
    const tasks = res.tasks.slice().sort((a, b) => a.id - b.id);
    clear(head, h('div', { class: 'page-head' },
      h('div', {}, h('h1', {}, `Execution #${x.id}`, badge(x.status)),
        h('p', { class: 'sub' }, 'Workflow ', link(`workflows/${encodeURIComponent(x.namespace)}/${encodeURIComponent(x.workflowName)}?execution=${x.id}`, x.workflowName),
          ` in ${x.namespace} · snapshot #${x.snapshotId} · started `, time(x.startTime), x.endTime ? [' · ended ', time(x.endTime)] : '')),
      h('div', { class: 'actions' }, may('operator', x.namespace) && x.status === 'RUNNING' ? h('button', { class: 'danger action', type: 'button', onclick: async e => {
        if (!(await confirmDialog(`Stop execution ${x.id} and every task of it that runs?`, 'Stop execution'))) return;
        if (await act(e.currentTarget, () => api(`executions/${x.id}/stop`, { method: 'POST' }), 'Execution stopped')) refresh();
      } }, 'Stop execution') : null)));
    clear(gantt, tasks.length ? drawGantt(tasks, x) : h('div', { class: 'empty' }, 'No task has started in this execution.'));
    clear(rows, table([
      { title: 'Task', cell: t => link(`tasks/${t.id}`, t.taskName) },
      { title: 'Attempt', cell: t => String(t.attempt), num: true },
      { title: 'Status', cell: t => badge(t.status) },
      { title: 'Runner', cell: t => t.runnerType },
      { title: 'Created', cell: t => time(t.createTime) },
      { title: 'Duration', cell: t => duration((ACTIVE.has(t.status) ? Date.now() : new Date(t.updateTime)) - new Date(t.createTime)), num: true },
      { title: 'Message', cell: t => h('span', { class: 'truncate', title: t.message || '' }, t.message || '—'), cls: 'wrap' },
    ], tasks.slice().reverse(), { empty: 'No task attempts yet.' }));
    return x;
  }

  let x = await refresh();
  const timer = setInterval(async () => {
    if (x.status !== 'RUNNING') return;
    try { x = await refresh(); } catch (e) { /* next tick */ }
  }, 2000);
  signal.addEventListener('abort', () => clearInterval(timer));
}

/** One row per task attempt, a bar from its creation to its last change (or now while it runs). */
function drawGantt(tasks, x) {
  const now = Date.now();
  const start = Math.min(new Date(x.startTime).getTime(), ...tasks.map(t => new Date(t.createTime).getTime()));
  const end = Math.max(x.endTime ? new Date(x.endTime).getTime() : now, ...tasks.map(t => ACTIVE.has(t.status) ? now : new Date(t.updateTime).getTime()), start + 1000);
  const labelW = 170;
  const width = 1100;
  const rowH = 26;
  const plotW = width - labelW - 20;
  const xOf = ms => labelW + ((ms - start) / (end - start)) * plotW;
  const height = tasks.length * rowH + 30;
  const svg = h('svg', { class: 'gantt', width, height, viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': 'Timeline of task attempts' });
  const axis = h('g', { class: 'axis' });
  for (let i = 0; i <= 5; i++) {
    const ms = start + ((end - start) * i) / 5;
    const px = xOf(ms);
    axis.appendChild(h('line', { x1: px, x2: px, y1: 0, y2: height - 20 }));
    axis.appendChild(h('text', { x: px, y: height - 6, 'text-anchor': i === 0 ? 'start' : i === 5 ? 'end' : 'middle' },
      i === 0 ? clock(ms) : '+' + duration(ms - start)));
  }
  svg.appendChild(axis);
  tasks.forEach((t, i) => {
    const y = i * rowH + 4;
    const s = new Date(t.createTime).getTime();
    const e = ACTIVE.has(t.status) ? now : new Date(t.updateTime).getTime();
    const x1 = xOf(s);
    const w = Math.max(3, xOf(e) - x1);
    svg.appendChild(h('text', { x: 4, y: y + 14 }, `${t.taskName} #${t.attempt}`));
    svg.appendChild(h('rect', { x: x1, y, width: w, height: rowH - 8, rx: 3, class: 'st-' + t.status, 'data-task': t.taskName },
      h('title', {}, `${t.taskName} attempt ${t.attempt}: ${t.status}, ${duration(e - s)}${t.message ? ' — ' + t.message : ''}`)));
  });
  return svg;
}
