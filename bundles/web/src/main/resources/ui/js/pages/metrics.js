import { api } from '../api.js';
import { h, link, time, namespacedList } from '../ui.js';

export default (main, ctx) => namespacedList(main, { api, ...ctx }, {
  title: 'Metrics', sub: 'Metrics of datasets and models; open one for its chart.', resource: 'metrics', field: 'metrics',
  empty: ns => `No metrics in namespace ${ns}.`,
  columns: ns => [
    { title: 'Metric', cell: m => link(`metrics/${encodeURIComponent(ns)}/${encodeURIComponent(m.name)}`, m.name) },
    { title: 'Of', cell: m => m.kind === 'MODEL' ? h('span', {}, 'model ', link(`models/${encodeURIComponent(ns)}/${encodeURIComponent(m.modelName)}`, m.modelName)) : 'dataset ' + m.datasetName },
    { title: 'Description', cell: m => m.description || '', cls: 'wrap' },
    { title: 'Created', cell: m => time(m.createTime) },
  ],
});
