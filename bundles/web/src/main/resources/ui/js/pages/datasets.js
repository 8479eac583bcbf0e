import { api } from '../api.js';
import { h, time, props, namespacedList } from '../ui.js';

export default (main, ctx) => namespacedList(main, { api, ...ctx }, {
  title: 'Datasets', sub: 'What the jobs read and write, registered in the metadata service.', resource: 'datasets', field: 'datasets',
  params: { includeDeleted: ctx.query.get('deleted') === '1' ? 'true' : null },
  empty: ns => `No datasets in namespace ${ns}.`,
  columns: () => [
    { title: 'Dataset', cell: d => h('span', {}, d.name, d.deleted ? ' (deleted)' : '') },
    { title: 'URI', cell: d => h('span', { class: 'mono truncate', title: d.uri }, d.uri), cls: 'wrap' },
    { title: 'Format', cell: d => d.format || '' },
    { title: 'Properties', cell: d => props(d.properties) },
    { title: 'Revision', cell: d => String(d.revision), num: true },
    { title: 'Updated', cell: d => time(d.updateTime) },
  ],
});
