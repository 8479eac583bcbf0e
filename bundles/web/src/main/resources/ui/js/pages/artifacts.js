import { api } from '../api.js';
import { h, time, props, namespacedList } from '../ui.js';

export default (main, ctx) => namespacedList(main, { api, ...ctx }, {
  title: 'Artifacts', sub: 'Files the jobs produced: reports, checkpoints, configurations.', resource: 'artifacts', field: 'artifacts',
  empty: ns => `No artifacts in namespace ${ns}.`,
  columns: () => [
    { title: 'Artifact', cell: a => a.name },
    { title: 'Type', cell: a => a.type || '' },
    { title: 'URI', cell: a => h('span', { class: 'mono truncate', title: a.uri }, a.uri), cls: 'wrap' },
    { title: 'Properties', cell: a => props(a.properties) },
    { title: 'Updated', cell: a => time(a.updateTime) },
  ],
});
