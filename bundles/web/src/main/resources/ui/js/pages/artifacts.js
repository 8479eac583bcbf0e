import { api } from '../api.js';
import { h, clear, time, table, card, namespacePicker, props } from '../ui.js';

export default async function artifacts(main, { query, signal, navigate }) {
  const ns = query.get('namespace') || 'default';
  const res = await api('artifacts', { query: { namespace: ns, limit: 1000 }, signal });
  clear(main, h('div', { class: 'page-head' }, h('div', {}, h('h1', {}, 'Artifacts'), h('p', { class: 'sub' }, 'Files the jobs produced: reports, checkpoints, configurations.')),
    namespacePicker(ns, v => navigate('/aiflow/artifacts?namespace=' + encodeURIComponent(v)))),
  card(null, table([
    { title: 'Artifact', cell: a => a.name },
    { title: 'Type', cell: a => a.type || '' },
    { title: 'URI', cell: a => h('span', { class: 'mono truncate', title: a.uri }, a.uri), cls: 'wrap' },
    { title: 'Properties', cell: a => props(a.properties) },
    { title: 'Updated', cell: a => time(a.updateTime) },
  ], res.artifacts, { empty: `No artifacts in namespace ${ns}.` })));
}
