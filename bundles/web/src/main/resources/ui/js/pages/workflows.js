import { api } from '../api.js';
import { h, clear, link, time, badge, table, card } from '../ui.js';

export default async function workflows(main, { signal }) {
  const res = await api('workflows', { signal });
  clear(main, h('div', { class: 'page-head' }, h('div', {}, h('h1', {}, 'Workflows'),
    h('p', { class: 'sub' }, 'Upload a workflow file with ', h('code', {}, 'aiflow:workflow-upload'), ' or ', h('code', {}, 'POST /aiflow/v1/workflows'), '.'))),
  card(null, table([
    { title: 'Workflow', cell: w => link(`workflows/${encodeURIComponent(w.namespace)}/${encodeURIComponent(w.name)}`, w.name) },
    { title: 'Namespace', cell: w => w.namespace },
    { title: 'Enabled', cell: w => badge(w.enabled ? 'enabled' : 'disabled', w.enabled ? 'yes' : 'no') },
    { title: 'Snapshot', cell: w => '#' + w.snapshotId, num: true },
    { title: 'Updated', cell: w => time(w.updateTime) },
  ], res.workflows, { empty: 'No workflows yet.' })));
}
