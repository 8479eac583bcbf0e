// The overview: workflows with their last execution, running and failed counts, recent failures,
// the event rate, subscriptions with lag, and the plugins bound now. Refreshes every 5 s.
import { api, may } from '../api.js';
import { h, clear, link, time, badge, table, card, errorBox } from '../ui.js';

export default async function overview(main, { signal }) {
  const stats = h('div', { class: 'grid' });
  const workflows = h('div', {});
  const failures = h('div', {});
  const subs = h('div', {});
  const plugins = h('div', {});
  clear(main, h('div', { class: 'page-head' }, h('div', {}, h('h1', {}, 'Overview'), h('p', { class: 'sub' }, 'Refreshes every 5 seconds.'))),
    stats, h('div', { class: 'grid', style: 'margin-top:16px' },
      h('div', { class: 'span-8' }, card('Workflows', workflows)),
      h('div', { class: 'span-4' }, card('Recent failures', failures)),
      h('div', { class: 'span-8' }, card('Subscriptions', subs)),
      h('div', { class: 'span-4' }, card('Plugins bound now', plugins))));

  async function refresh() {
    const minuteAgo = new Date(Date.now() - 60_000).toISOString();
    const hourAgo = new Date(Date.now() - 3_600_000).toISOString();
    const [wfs, execs, running, failed, perMinute, perHour, latest] = await Promise.all([
      api('workflows', { signal }),
      api('executions', { query: { limit: 1000 }, signal }),
      api('tasks', { query: { status: 'RUNNING', limit: 1000 }, signal }),
      api('tasks', { query: { status: 'FAILED', limit: 10 }, signal }),
      api('events/count', { query: { fromTime: minuteAgo }, signal }),
      api('events/count', { query: { fromTime: hourAgo }, signal }),
      api('events/latest', { signal }),
    ]);
    const last = new Map();
    for (const x of execs.executions) {
      const key = x.namespace + '/' + x.workflowName;
      if (!last.has(key)) last.set(key, x);
    }
    if (execs.executions.length === 1000) {
      // more executions than one page: the workflows not in it ask for their own last one
      const missing = wfs.workflows.filter(w => !last.has(w.namespace + '/' + w.name)).slice(0, 50);
      await Promise.all(missing.map(w => api('executions', { query: { workflow: w.name, namespace: w.namespace, limit: 1 }, signal })
        .then(r => { if (r.executions[0]) last.set(w.namespace + '/' + w.name, r.executions[0]); }).catch(() => {})));
    }
    const runningExecs = execs.executions.filter(x => x.status === 'RUNNING').length;
    const dayAgo = Date.now() - 86_400_000;
    const failedExecs = execs.executions.filter(x => x.status === 'FAILED' && new Date(x.endTime || x.startTime).getTime() > dayAgo).length;
    clear(stats,
      stat('Workflows', wfs.workflows.length),
      stat('Running executions', runningExecs, 'RUNNING'),
      stat('Running tasks', running.tasks.length, 'RUNNING'),
      stat('Failed executions (24 h)', failedExecs, failedExecs ? 'FAILED' : null),
      stat('Events / minute', perMinute.count, null, `${perHour.count} in the last hour; latest version ${latest.version}`),
      stat('Events / second', (perMinute.count / 60).toFixed(1), null, 'average over the last minute'));
    clear(workflows, table([
      { title: 'Workflow', cell: w => link(`workflows/${encodeURIComponent(w.namespace)}/${encodeURIComponent(w.name)}`, w.name) },
      { title: 'Namespace', cell: w => w.namespace },
      { title: 'Enabled', cell: w => badge(w.enabled ? 'enabled' : 'disabled', w.enabled ? 'yes' : 'no') },
      { title: 'Last execution', cell: w => {
        const x = last.get(w.namespace + '/' + w.name);
        return x ? h('span', {}, link(`executions/${x.id}`, badge(x.status)), ' ', time(x.startTime, { relative: true })) : h('span', { class: 'sub' }, 'never run');
      } },
      { title: '', cell: w => may('operator', w.namespace) && w.enabled ? h('button', { class: 'small action', type: 'button', onclick: async e => {
        const b = e.currentTarget;
        b.disabled = true;
        try {
          await api(`workflows/${encodeURIComponent(w.name)}/executions`, { method: 'POST', query: { namespace: w.namespace } });
          refresh().catch(() => {});
        } catch (err) {
          b.replaceWith(errorBox(err));
        }
      } }, 'Start') : '' },
    ], wfs.workflows, { empty: 'No workflows yet. Upload one with aiflow:workflow-upload or POST /aiflow/v1/workflows.' }));
    clear(failures, table([
      { title: 'Task', cell: t => link(`tasks/${t.id}`, `${t.workflowName}/${t.taskName}`) },
      { title: 'When', cell: t => time(t.updateTime, { relative: true }) },
      { title: 'Why', cell: t => h('span', { class: 'truncate', title: t.message || '' }, t.message || '—'), cls: 'wrap' },
    ], failed.tasks, { empty: 'No failed tasks.' }));
  }

  async function refreshSlow() {
    try {
      const res = await api('subscriptions', { signal });
      clear(subs, subscriptionTable(res.subscriptions));
    } catch (e) {
      clear(subs, e.status === 403 ? h('p', { class: 'sub' }, 'Listing subscriptions needs the role viewer in every namespace.') : errorBox(e));
    }
    try {
      const p = await api('plugins', { signal });
      clear(plugins, h('dl', { class: 'props' },
        h('dt', {}, 'Runners'), h('dd', {}, (p.runners || []).join(', ') || '—'),
        h('dt', {}, 'Conditions'), h('dd', {}, (p.conditions || []).join(', ') || '—'),
        h('dt', {}, 'Policies'), h('dd', {}, (p.policies || []).join(', ') || '—')));
    } catch (e) {
      clear(plugins, errorBox(e));
    }
  }

  await refresh();
  await refreshSlow();
  const timer = setInterval(() => { refresh().catch(() => {}); refreshSlow(); }, 5000);
  signal.addEventListener('abort', () => clearInterval(timer));
}

function stat(label, value, status, hint) {
  return h('div', { class: 'span-2 card', title: hint || null },
    h('div', { class: 'stat-label' }, label), h('div', { class: 'stat', style: status ? `color: var(--${status === 'FAILED' ? 'fail' : 'run'})` : null }, String(value)),
    hint ? h('div', { class: 'sub', style: 'margin:0;font-size:12px' }, hint) : null);
}

export function subscriptionTable(rows) {
  const max = Math.max(1, ...rows.map(s => s.lag || 0));
  return table([
    { title: 'Name', cell: s => s.name },
    { title: 'Cursor', cell: s => String(s.cursor), num: true },
    { title: 'Head', cell: s => String(s.head), num: true },
    { title: 'Lag', cell: s => h('span', { title: `${s.lag} events behind` }, h('meter', { min: 0, max, value: s.lag || 0, style: 'width:80px;vertical-align:middle' }), ' ', String(s.lag)), num: true },
  ], rows, { empty: 'No named subscriptions.' });
}
