// A workflow: its task graph with each task's live state (status events through the SSE stream),
// the rules, schedules, executions, snapshot history with a diff, and the actions the role allows.
import { api, may } from '../api.js';
import { followEvents } from '../sse.js';
import { h, clear, link, time, clock, stamp, badge, table, card, section, act, confirmDialog, errorBox, loading, props } from '../ui.js';
import { drawGraph } from '../graph.js';
import { workflowGraph, ruleList, diffLines } from '../workflowgraph.js';

export default async function workflowPage(main, { params, query, signal, navigate }) {
  const ns = params.namespace;
  const name = params.name;
  const q = { namespace: ns };
  const path = `workflows/${encodeURIComponent(name)}`;
  const [wf, snap, execs] = await Promise.all([
    api(path, { query: q, signal }),
    api(path + '/snapshot', { query: q, signal }),
    api('executions', { query: { workflow: name, namespace: ns, limit: 20 }, signal }),
  ]);
  const pinned = query.get('execution');
  let execution = pinned ? Number(pinned) : (execs.executions[0] ? execs.executions[0].id : null);
  const def = snap.definition;
  const operator = may('operator', ns);
  const author = may('author', ns);
  const tasksByName = new Map();
  let selected = null;

  const head = h('div', { class: 'page-head' },
    h('div', {}, h('h1', {}, h('bdi', {}, name), badge(wf.enabled ? 'enabled' : 'disabled', wf.enabled ? 'enabled' : 'disabled')),
      h('p', { class: 'sub' }, 'Namespace ', h('code', {}, ns), def.description ? ' — ' + def.description : '')),
    h('div', { class: 'actions' },
      operator ? h('button', { class: 'primary action', type: 'button', onclick: async e => {
        const x = await act(e.currentTarget, () => api(path + '/executions', { method: 'POST', query: q }), x => `Execution ${x.id} started`);
        if (x) navigate(`/aiflow/workflows/${encodeURIComponent(ns)}/${encodeURIComponent(name)}`, { replace: true });
      } }, 'Start execution') : null,
      author ? h('button', { class: 'action', type: 'button', onclick: async e => {
        const verb = wf.enabled ? 'disable' : 'enable';
        if (wf.enabled && !(await confirmDialog(`Disable ${name}? It ignores events and its schedules stop firing.`, 'Disable'))) return;
        const w = await act(e.currentTarget, () => api(`${path}/${verb}`, { method: 'POST', query: q }), `Workflow ${verb}d`);
        if (w) navigate(location.pathname + location.search, { replace: true });
      } }, wf.enabled ? 'Disable' : 'Enable') : null));

  const live = h('span', { class: 'live', 'aria-live': 'polite' }, 'connecting');
  const graphBox = h('div', { class: 'graph-wrap' });
  const execPicker = h('select', { 'aria-label': 'Execution shown on the graph', onchange: e => {
    navigate(`/aiflow/workflows/${encodeURIComponent(ns)}/${encodeURIComponent(name)}` + (e.target.value ? '?execution=' + e.target.value : ''));
  } }, h('option', { value: '' }, 'latest execution (follows new ones)'),
  execs.executions.map(x => h('option', { value: x.id, selected: pinned && Number(pinned) === x.id }, `#${x.id} ${x.status} ${stamp(x.startTime)}`)));
  const panel = h('div', {}, h('p', { class: 'sub' }, 'Select a task on the graph (click, or Tab and Enter) for its state and actions.'));
  const execInfo = h('div', { class: 'actions' });

  const { nodes, edges } = workflowGraph(def);
  const graphCard = card(null, h('h2', {}, h('span', {}, 'Tasks ', live), h('span', { class: 'actions' }, execInfo, execPicker)), graphBox,
    h('div', { class: 'legend' }, ['SUCCESS', 'RUNNING', 'QUEUED', 'FAILED', 'STOPPED', 'NONE'].map(s => badge(s, s === 'NONE' ? 'not run' : s)),
      h('span', {}, '→ start'), h('span', {}, '⇢ stop (red)'), h('span', {}, '⚡ trigger')));
  clear(main, head, h('div', { class: 'grid' },
    h('div', { class: 'span-8' }, graphCard),
    h('div', { class: 'span-4' }, card('Task', panel)),
    h('div', { class: 'span-12' }, card('Rules', table([
      { title: 'Task', cell: r => r.task }, { title: 'When', cell: r => h('code', {}, r.when) }, { title: 'Does', cell: r => r.action }],
    ruleList(def)))),
    h('div', { class: 'span-6' }, card('Executions', execTable(execs.executions))),
    h('div', { class: 'span-6' }, schedulesCard(path, q, operator, signal)),
    h('div', { class: 'span-12' }, snapshotsCard(path, q, snap, signal))));

  const graph = drawGraph(graphBox, nodes, edges, { label: `Task graph of ${name}`, onSelect: id => select(id.slice(2)) });

  function metaOf(t) {
    return t ? `${t.status} · try ${t.attempt} · ${clock(t.updateTime)}` : 'not run';
  }
  function apply(t) {
    const prev = tasksByName.get(t.taskName);
    if (prev && prev.id > t.id) return;
    tasksByName.set(t.taskName, t);
    graph.setStatus('t:' + t.taskName, t.status, metaOf(t));
    // the panel is drawn again only when what it shows changed (a redraw loses focus and clicks)
    const same = prev && prev.id === t.id && prev.status === t.status && prev.message === t.message && prev.runnerType === t.runnerType;
    if (selected === t.taskName && !same) drawPanel();
  }
  function resetTasks() {
    tasksByName.clear();
    def.tasks.forEach(t => graph.setStatus('t:' + t.name, 'NONE', 'not run'));
  }
  async function loadTasks() {
    if (execution == null) return;
    const res = await api('tasks', { query: { executionId: execution, limit: 1000 }, signal });
    res.tasks.slice().reverse().forEach(apply);
    graph.flush(); // the states read are on the graph when the page says it is rendered
  }
  function drawExecInfo(x) {
    clear(execInfo, x ? [link(`executions/${x.id}`, `Execution #${x.id}`), badge(x.status),
      operator && x.status === 'RUNNING' ? h('button', { class: 'small danger action', type: 'button', onclick: async e => {
        if (!(await confirmDialog(`Stop execution ${x.id} and every task of it that runs?`, 'Stop execution'))) return;
        const y = await act(e.currentTarget, () => api(`executions/${x.id}/stop`, { method: 'POST' }), `Execution ${x.id} stopped`);
        if (y) drawExecInfo(y);
      } }, 'Stop') : null] : h('span', { class: 'sub' }, 'no execution yet'));
  }
  function select(taskName) {
    selected = taskName;
    graph.select('t:' + taskName);
    drawPanel();
    refreshSelected();
  }
  let refreshing = null;
  /** Reads the selected task's record (message, runner) at most every 300 ms, however fast events come. */
  function refreshSelected() {
    if (refreshing) return;
    refreshing = setTimeout(() => {
      refreshing = null;
      const t = tasksByName.get(selected);
      if (t && t.id) api(`tasks/${t.id}`, { signal }).then(apply).catch(() => {});
    }, 300);
  }
  function drawPanel() {
    const t = tasksByName.get(selected);
    const tdef = def.tasks.find(x => x.name === selected) || {};
    const running = t && ['QUEUED', 'WAITING', 'RUNNING', 'RETRYING'].includes(t.status);
    clear(panel, h('h3', {}, selected, ' ', badge(t ? t.status : 'NONE', t ? t.status : 'not run')),
      t ? h('dl', { class: 'props' }, h('dt', {}, 'Attempt'), h('dd', {}, String(t.attempt)),
        h('dt', {}, 'Runner'), h('dd', {}, t.runnerType), h('dt', {}, 'Message'), h('dd', {}, t.message || '—'),
        h('dt', {}, 'Updated'), h('dd', {}, time(t.updateTime)), h('dt', {}, 'Details'), h('dd', {}, link(`tasks/${t.id}`, `task execution ${t.id}, log`)))
        : h('p', { class: 'sub' }, 'Not run in this execution.'),
      h('h4', {}, 'Job'), props({ kind: tdef.kind, runner: (tdef.job || {}).runnerType, ...(tdef.options || {}) }),
      operator && execution != null ? h('div', { class: 'actions', style: 'margin-top:10px' },
        h('button', { class: 'action', 'data-action': 'start', type: 'button', disabled: running, onclick: e => act(e.currentTarget,
          () => api(`executions/${execution}/tasks/${encodeURIComponent(selected)}/start`, { method: 'POST' }).then(x => { apply(x); return x; }), `Task ${selected} started`) }, 'Start'),
        h('button', { type: 'button', disabled: !running, class: 'danger action', 'data-action': 'stop', onclick: e => act(e.currentTarget,
          () => api(`tasks/${t.id}/stop`, { method: 'POST' }).then(x => { apply(x); return x; }), `Task ${selected} stopping`) }, 'Stop'),
        h('button', { class: 'action', 'data-action': 'restart', type: 'button', onclick: e => act(e.currentTarget,
          () => api(`executions/${execution}/tasks/${encodeURIComponent(selected)}/restart`, { method: 'POST' }).then(x => { apply(x); return x; }), `Task ${selected} restarted`) }, 'Restart'))
        : null);
  }

  drawExecInfo(execs.executions.find(x => x.id === execution));
  resetTasks();
  // the stream starts at the version before the first read: no status change falls between the two
  const latest = await api('events/latest', { signal });
  await loadTasks();
  if (def.tasks.length) select(def.tasks[0].name);
  let polling = null;
  followEvents({ namespace: 'aiflow.tasks', type: 'TASK_STATUS_CHANGED' }, ev => {
    const c = ev.context || {};
    if (c.workflowNamespace !== ns || c.workflowName !== name) return;
    const xid = Number(c.executionId);
    if (xid !== execution) {
      if (pinned || xid < execution) return;
      execution = xid; // a new execution: the graph follows it
      resetTasks();
      api(`executions/${xid}`, { signal }).then(drawExecInfo).catch(() => {});
    }
    apply({ id: Number(c.taskExecutionId), taskName: c.taskName, status: ev.value, attempt: Number(c.attempt), updateTime: ev.createTime,
      runnerType: (tasksByName.get(c.taskName) || {}).runnerType || '', message: (tasksByName.get(c.taskName) || {}).message || '' });
    // the stored record has the message and runner; only the selected task's panel shows them
    if (c.taskName === selected) refreshSelected();
  }, { signal, lastVersion: latest.version, onState: (on, err) => {
    live.classList.toggle('on', on);
    live.textContent = on ? 'live' : (err && err.status === 403 ? 'polling (no access to status events)' : 'reconnecting');
    if (err && err.status >= 400 && err.status < 500 && !polling) {
      polling = setInterval(() => loadTasks().catch(() => {}), 2000);
      signal.addEventListener('abort', () => clearInterval(polling));
    }
  } });
}

function execTable(rows) {
  return table([
    { title: 'Execution', cell: x => link(`executions/${x.id}`, '#' + x.id) },
    { title: 'Status', cell: x => badge(x.status) },
    { title: 'Started', cell: x => time(x.startTime) },
    { title: 'Ended', cell: x => time(x.endTime) },
  ], rows, { empty: 'No executions yet.' });
}

function schedulesCard(path, q, operator, signal) {
  const body = h('div', {});
  const draw = () => section(body, async () => {
    const res = await api(path + '/schedules', { query: q, signal });
    return table([
      { title: 'Schedule', cell: s => s.name },
      { title: 'When', cell: s => h('code', {}, s.expression) },
      { title: 'Starts', cell: s => s.task ? 'task ' + s.task : 'an execution' },
      { title: 'Next fire', cell: s => s.paused ? badge('STOPPED', 'paused') : time(s.nextFireTime) },
      { title: '', cell: s => operator ? h('button', { class: 'small action', type: 'button', onclick: async e => {
        const r = await act(e.currentTarget, () => api(`${path}/schedules/${encodeURIComponent(s.name)}/${s.paused ? 'resume' : 'pause'}`, { method: 'POST', query: q }),
          `Schedule ${s.name} ${s.paused ? 'resumed' : 'paused'}`);
        if (r) draw();
      } }, s.paused ? 'Resume' : 'Pause') : '' },
    ], res.schedules, { empty: 'No schedules: this workflow starts by hand, by events or by triggers.' });
  });
  draw();
  return card('Schedules', body);
}

function snapshotsCard(path, q, current, signal) {
  const body = h('div', {});
  section(body, async () => {
    let list;
    try {
      list = (await api(path + '/snapshots', { query: { ...q, limit: 50 }, signal })).snapshots;
    } catch (e) {
      if (e.status !== 404 && e.status !== 405) throw e;
      list = [{ id: current.id, createTime: current.createTime }];
    }
    const a = h('select', { 'aria-label': 'Older snapshot' }, list.map((s, i) => h('option', { value: s.id, selected: i === Math.min(1, list.length - 1) }, `#${s.id} ${stamp(s.createTime)}`)));
    const b = h('select', { 'aria-label': 'Newer snapshot' }, list.map((s, i) => h('option', { value: s.id, selected: i === 0 }, `#${s.id} ${stamp(s.createTime)}`)));
    const out = h('div', {});
    const show = async () => {
      clear(out, loading());
      try {
        const [x, y] = await Promise.all([api(`snapshots/${a.value}`, { signal }), api(`snapshots/${b.value}`, { signal })]);
        const lines = diffLines(JSON.stringify(x.definition, null, 2), JSON.stringify(y.definition, null, 2));
        const changed = lines.filter(l => l.op !== ' ').length;
        clear(out, h('p', { class: 'sub' }, changed ? `${changed} changed lines between #${a.value} and #${b.value}` : `#${a.value} and #${b.value} are the same`),
          h('pre', { class: 'diff' }, lines.map(l => h('span', { class: l.op === '+' ? 'add' : l.op === '-' ? 'del' : null }, l.op + ' ' + l.line + '\n'))));
      } catch (e) {
        clear(out, errorBox(e));
      }
    };
    return h('div', {}, table([{ title: 'Snapshot', cell: s => '#' + s.id + (s.id === current.id ? ' (current)' : '') },
      { title: 'Uploaded', cell: s => time(s.createTime) }], list),
    h('div', { class: 'form-row', style: 'margin-top:10px' }, h('label', {}, 'From', a), h('label', {}, 'To', b),
      h('button', { type: 'button', onclick: show }, 'Compare')), out);
  });
  return card('Snapshots', body);
}
