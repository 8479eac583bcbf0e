import { api } from '../api.js';
import { h, clear, link, time, table, card, namespacePicker } from '../ui.js';

export default async function metrics(main, { query, signal, navigate }) {
  const ns = query.get('namespace') || 'default';
  const res = await api('metrics', { query: { namespace: ns, limit: 1000 }, signal });
  clear(main, h('div', { class: 'page-head' }, h('div', {}, h('h1', {}, 'Metrics'), h('p', { class: 'sub' }, 'Metrics of datasets and models; open one for its chart.')),
    namespacePicker(ns, v => navigate('/aiflow/metrics?namespace=' + encodeURIComponent(v)))),
  card(null, table([
    { title: 'Metric', cell: m => link(`metrics/${encodeURIComponent(ns)}/${encodeURIComponent(m.name)}`, m.name) },
    { title: 'Of', cell: m => m.kind === 'MODEL' ? h('span', {}, 'model ', link(`models/${encodeURIComponent(ns)}/${encodeURIComponent(m.modelName)}`, m.modelName)) : 'dataset ' + m.datasetName },
    { title: 'Description', cell: m => m.description || '', cls: 'wrap' },
    { title: 'Created', cell: m => time(m.createTime) },
  ], res.metrics, { empty: `No metrics in namespace ${ns}.` })));
}
