import { api } from '../api.js';
import { link, time, namespacedList } from '../ui.js';

export default (main, ctx) => namespacedList(main, { api, ...ctx }, {
  title: 'Model registry', sub: 'Models and their versions by stage.', resource: 'models', field: 'models',
  empty: ns => `No models in namespace ${ns}. Jobs register them with POST /aiflow/v1/models.`,
  columns: ns => [
    { title: 'Model', cell: m => link(`models/${encodeURIComponent(ns)}/${encodeURIComponent(m.name)}`, m.name) },
    { title: 'Description', cell: m => m.description || '', cls: 'wrap' },
    { title: 'Created', cell: m => time(m.createTime) },
    { title: 'Updated', cell: m => time(m.updateTime) },
  ],
});
