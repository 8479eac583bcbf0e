// A model: its versions with their stages and the transitions the role allows (confirmed), its
// metrics plotted over time and compared between versions, and a version's lineage as a graph.
import { api, may } from '../api.js';
import { h, clear, link, time, badge, table, card, act, confirmDialog, section, empty } from '../ui.js';
import { timeChart } from '../chart.js';
import { drawGraph } from '../graph.js';

const NEXT = { GENERATED: ['VALIDATED', 'DELETED'], VALIDATED: ['DEPLOYED', 'DEPRECATED', 'DELETED'], DEPLOYED: ['DEPRECATED'],
  DEPRECATED: ['DEPLOYED', 'DELETED'], DELETED: [] };

export default async function modelPage(main, { params, query, signal, navigate }) {
  const ns = params.namespace;
  const name = params.name;
  const q = { namespace: ns };
  const base = `models/${encodeURIComponent(name)}`;
  const model = await api(base, { query: q, signal });
  const operator = may('operator', ns);
  const versionsBox = h('div', {});
  const metricsBox = h('div', {});
  const lineageBox = h('div', {});
  const lineagePicker = h('select', { 'aria-label': 'Version whose lineage is shown' });
  clear(main, h('div', { class: 'page-head' }, h('div', {}, h('h1', {}, h('bdi', {}, name)), h('p', { class: 'sub' }, `Model in ${ns}`, model.description ? ' — ' + model.description : ''))),
    h('div', { class: 'grid' },
      h('div', { class: 'span-12' }, card('Versions', versionsBox)),
      h('div', { class: 'span-12' }, card(null, h('h2', {}, 'Lineage', lineagePicker), lineageBox)),
      h('div', { class: 'span-12' }, card('Metrics', metricsBox))));

  let versions = [];
  async function drawVersions() {
    versions = (await api(base + '/versions', { query: { ...q, limit: 1000 }, signal })).versions;
    clear(versionsBox, table([
      { title: 'Version', cell: v => String(v.version), num: true },
      { title: 'Stage', cell: v => badge(v.stage) },
      { title: 'URI', cell: v => h('span', { class: 'mono truncate', title: v.uri }, v.uri), cls: 'wrap' },
      { title: 'Type', cell: v => v.type || '' },
      { title: 'Registered', cell: v => time(v.createTime) },
      { title: 'Stage changed', cell: v => time(v.updateTime) },
      { title: operator ? 'Move to' : '', cell: v => operator ? h('span', { class: 'actions' }, NEXT[v.stage].map(stage =>
        h('button', { class: 'small action' + (stage === 'DELETED' ? ' danger' : ''), type: 'button', 'data-stage': stage, onclick: e => promote(e.currentTarget, v, stage) }, stage))) : '' },
    ], versions.slice().reverse(), { empty: 'No versions registered yet.', rowAttrs: v => ({ 'data-version': v.version }) }));
    const chosen = Number(query.get('version')) || (versions.find(v => v.stage === 'DEPLOYED') || versions[versions.length - 1] || {}).version;
    clear(lineagePicker, versions.slice().reverse().map(v => h('option', { value: v.version, selected: v.version === chosen }, `version ${v.version} (${v.stage})`)));
    return chosen;
  }

  async function promote(button, v, stage) {
    const deployed = versions.find(x => x.stage === 'DEPLOYED');
    const note = stage === 'DEPLOYED' && deployed && deployed.version !== v.version ? ` Version ${deployed.version}, deployed now, becomes DEPRECATED.` : '';
    if (!(await confirmDialog(`Move ${name} version ${v.version} from ${v.stage} to ${stage}?${note}`, `Move to ${stage}`))) return;
    const r = await act(button, () => api(`${base}/versions/${v.version}/stage`, { method: 'POST', query: q, body: { stage, revision: v.revision } }),
      r => `Version ${r.version} is ${r.stage}`);
    if (r) await drawVersions();
  }

  const chosen = await drawVersions();
  lineagePicker.addEventListener('change', () => section(lineageBox, () => lineage(ns, name, Number(lineagePicker.value), signal, navigate)));
  await Promise.all([
    versions.length ? section(lineageBox, () => lineage(ns, name, chosen, signal, navigate)) : clear(lineageBox, empty('No versions, so no lineage.')),
    section(metricsBox, () => metrics(ns, name, signal)),
  ]);
}

/** dataset -> training task -> model version -> serving task, from the lineage edges. */
async function lineage(ns, name, version, signal, navigate) {
  const edges = (await api('lineage', { query: { namespace: ns, kind: 'MODEL_VERSION', name, version }, signal })).edges;
  if (!edges.length) return empty(`No lineage recorded for version ${version}: jobs record it with POST /aiflow/v1/lineage.`);
  const nodes = new Map();
  const links = [];
  const me = `m:${name}:${version}`;
  nodes.set(me, { id: me, label: `${name} v${version}`, kind: 'entity', meta: 'model version' });
  const writers = edges.filter(e => e.direction === 'WROTE').slice(0, 10);
  const readers = edges.filter(e => e.direction === 'READ').slice(0, 10);
  const taskIds = [...new Set([...writers, ...readers].map(e => e.taskExecutionId))];
  const tasks = new Map();
  await Promise.all(taskIds.map(id => api(`tasks/${id}`, { signal }).then(t => tasks.set(id, t)).catch(() => {})));
  const taskNode = id => {
    const t = tasks.get(id);
    const key = 't:' + id;
    if (!nodes.has(key)) nodes.set(key, { id: key, label: t ? `${t.taskName} #${id}` : `task ${id}`, kind: 'task', status: t ? t.status : 'NONE', meta: t ? `${t.workflowName} · ${t.status}` : '' });
    return key;
  };
  const entityNode = en => {
    const key = `e:${en.kind}:${en.name}:${en.version || ''}`;
    if (!nodes.has(key)) nodes.set(key, { id: key, label: en.version ? `${en.name} v${en.version}` : en.name, kind: 'entity', meta: en.kind.toLowerCase().replace('_', ' ') });
    return key;
  };
  const inputsOf = await Promise.all(writers.map(w => api('lineage', { query: { taskExecutionId: w.taskExecutionId }, signal })));
  writers.forEach((w, i) => {
    const tk = taskNode(w.taskExecutionId);
    links.push({ from: tk, to: me, label: 'wrote' });
    inputsOf[i].edges.filter(e => e.direction === 'READ').slice(0, 20).forEach(e => links.push({ from: entityNode(e.entity), to: tk, label: 'read' }));
  });
  for (const r of readers) links.push({ from: me, to: taskNode(r.taskExecutionId), label: 'read by' });
  const box = h('div', { class: 'graph-wrap' });
  const wrap = h('div', {}, box, h('p', { class: 'sub' }, 'Select a task for its page.'));
  // drawn once attached, so dagre measures nothing detached
  queueMicrotask(() => drawGraph(box, [...nodes.values()], links, { label: `Lineage of ${name} version ${version}`,
    onSelect: id => { if (id.startsWith('t:')) navigate(`/aiflow/tasks/${id.slice(2)}`); } }));
  return wrap;
}

/** Every MODEL metric of this model: a chart per metric, one series per version (and key). */
async function metrics(ns, name, signal) {
  const all = (await api('metrics', { query: { namespace: ns, kind: 'MODEL', limit: 1000 }, signal })).metrics.filter(m => m.modelName === name);
  if (!all.length) return empty('No metrics for this model yet.');
  const out = h('div', {});
  const compare = new Map(); // version -> {metric/key -> last value}
  const columns = new Set();
  const valuesOf = await Promise.all(all.map(m => api(`metrics/${encodeURIComponent(m.name)}/values`, { query: { namespace: ns, limit: 10000 }, signal })));
  for (const [i, m] of all.entries()) {
    const values = valuesOf[i].values;
    const bySeries = new Map();
    for (const v of values) {
      const label = `v${v.modelVersion ?? '?'}${v.key ? ' ' + v.key : ''}`;
      if (!bySeries.has(label)) bySeries.set(label, []);
      bySeries.get(label).push([new Date(v.timestamp).getTime(), v.value]);
      const col = m.name + (v.key ? '/' + v.key : '');
      columns.add(col);
      if (!compare.has(v.modelVersion)) compare.set(v.modelVersion, {});
      compare.get(v.modelVersion)[col] = v.value;
    }
    const chartBox = h('div', { class: 'chart-box', 'data-metric': m.name });
    out.appendChild(h('h3', {}, link(`metrics/${encodeURIComponent(ns)}/${encodeURIComponent(m.name)}`, m.name), ` (${values.length} values)`));
    out.appendChild(chartBox);
    if (values.length) queueMicrotask(() => timeChart(chartBox, [...bySeries].map(([label, points]) => ({ label, points })), { signal }));
    else chartBox.appendChild(empty('No values logged.'));
  }
  const cols = [...columns];
  out.appendChild(h('h3', {}, 'Versions compared (last value)'));
  out.appendChild(table([{ title: 'Version', cell: r => 'v' + (r[0] ?? '?') },
    ...cols.map(c => ({ title: c, cell: r => r[1][c] == null ? '—' : Number(r[1][c]).toPrecision(4), num: true }))],
  [...compare].sort((a, b) => (b[0] ?? 0) - (a[0] ?? 0))));
  return out;
}
