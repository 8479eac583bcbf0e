import { api } from '../api.js';
import { h, clear, time, table, card, namespacePicker, props } from '../ui.js';

export default async function datasets(main, { query, signal, navigate }) {
  const ns = query.get('namespace') || 'default';
  const res = await api('datasets', { query: { namespace: ns, includeDeleted: query.get('deleted') === '1' ? 'true' : null, limit: 1000 }, signal });
  clear(main, h('div', { class: 'page-head' }, h('div', {}, h('h1', {}, 'Datasets'), h('p', { class: 'sub' }, 'What the jobs read and write, registered in the metadata service.')),
    namespacePicker(ns, v => navigate('/aiflow/datasets?namespace=' + encodeURIComponent(v)))),
  card(null, table([
    { title: 'Dataset', cell: d => h('span', {}, d.name, d.deleted ? ' (deleted)' : '') },
    { title: 'URI', cell: d => h('span', { class: 'mono truncate', title: d.uri }, d.uri), cls: 'wrap' },
    { title: 'Format', cell: d => d.format || '' },
    { title: 'Properties', cell: d => props(d.properties) },
    { title: 'Revision', cell: d => String(d.revision), num: true },
    { title: 'Updated', cell: d => time(d.updateTime) },
  ], res.datasets, { empty: `No datasets in namespace ${ns}.` })));
}
