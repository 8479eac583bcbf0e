// One metric: its values over time, a series per key and model version, and the values as a table.
import { api } from '../api.js';
import { h, clear, link, time, table, card, empty } from '../ui.js';
import { timeChart } from '../chart.js';

export default async function metricPage(main, { params, signal }) {
  const ns = params.namespace;
  const name = params.name;
  const m = await api(`metrics/${encodeURIComponent(name)}`, { query: { namespace: ns }, signal });
  const values = [];
  let after = 0;
  for (let i = 0; i < 10; i++) { // up to 100,000 values, 10,000 per call
    const res = await api(`metrics/${encodeURIComponent(name)}/values`, { query: { namespace: ns, afterId: after, limit: 10000 }, signal });
    values.push(...res.values);
    if (res.values.length < 10000) break;
    after = res.nextAfterId;
  }
  const series = new Map();
  for (const v of values) {
    const label = (v.key || name) + (v.modelVersion != null ? ` v${v.modelVersion}` : '');
    if (!series.has(label)) series.set(label, []);
    series.get(label).push([new Date(v.timestamp).getTime(), v.value]);
  }
  const chartBox = h('div', { class: 'chart-box' });
  clear(main, h('div', { class: 'page-head' }, h('div', {}, h('h1', {}, h('bdi', {}, name)),
    h('p', { class: 'sub' }, `Metric of ${m.kind === 'MODEL' ? 'model' : 'dataset'} `, m.kind === 'MODEL'
      ? link(`models/${encodeURIComponent(ns)}/${encodeURIComponent(m.modelName)}`, m.modelName) : m.datasetName, ` in ${ns}`, m.description ? ' — ' + m.description : ''))),
  h('div', { class: 'grid' }, h('div', { class: 'span-12' }, card(`Values over time (${values.length})`, chartBox)),
    h('div', { class: 'span-12' }, card('Latest values', table([
      { title: 'Time', cell: v => time(v.timestamp) }, { title: 'Key', cell: v => v.key || '' },
      { title: 'Value', cell: v => String(v.value), num: true }, { title: 'Step', cell: v => v.step == null ? '' : String(v.step), num: true },
      { title: 'Model version', cell: v => v.modelVersion == null ? '' : String(v.modelVersion), num: true },
      { title: 'Task', cell: v => v.taskExecutionId ? link(`tasks/${v.taskExecutionId}`, String(v.taskExecutionId)) : '' },
    ], values.slice(-100).reverse(), { empty: 'No values logged yet.' })))));
  if (values.length) timeChart(chartBox, [...series].map(([label, points]) => ({ label, points })), { signal });
  else chartBox.appendChild(empty('No values logged yet: jobs log them with POST /aiflow/v1/metrics/{name}/values.'));
}
