import { api } from '../api.js';
import { h, clear, link, time, table, card, namespacePicker } from '../ui.js';

export default async function models(main, { query, signal, navigate }) {
  const ns = query.get('namespace') || 'default';
  const res = await api('models', { query: { namespace: ns, limit: 1000 }, signal });
  clear(main, h('div', { class: 'page-head' }, h('div', {}, h('h1', {}, 'Model registry'), h('p', { class: 'sub' }, 'Models and their versions by stage.')),
    namespacePicker(ns, v => navigate('/aiflow/models?namespace=' + encodeURIComponent(v)))),
  card(null, table([
    { title: 'Model', cell: m => link(`models/${encodeURIComponent(ns)}/${encodeURIComponent(m.name)}`, m.name) },
    { title: 'Description', cell: m => m.description || '', cls: 'wrap' },
    { title: 'Created', cell: m => time(m.createTime) },
    { title: 'Updated', cell: m => time(m.updateTime) },
  ], res.models, { empty: `No models in namespace ${ns}. Jobs register them with POST /aiflow/v1/models.` })));
}
