import { api } from '../api.js';
import { h, clear, card } from '../ui.js';
import { subscriptionTable } from './overview.js';

export default async function subscriptions(main, { signal }) {
  const box = h('div', {});
  clear(main, h('div', { class: 'page-head' }, h('div', {}, h('h1', {}, 'Subscriptions'),
    h('p', { class: 'sub' }, 'Named consumers of the event log: where each has got to (cursor), the head of the log, and how far behind it is (lag). Refreshes every 2 seconds.'))),
  card(null, box));
  const draw = async () => clear(box, subscriptionTable((await api('subscriptions', { signal })).subscriptions));
  try {
    await draw();
  } catch (e) {
    if (e.status !== 403) throw e;
    clear(box, h('p', { class: 'notice' }, 'Listing subscriptions needs the role viewer in every namespace; ask an admin for it.'));
    return;
  }
  const timer = setInterval(() => draw().catch(() => {}), 2000);
  signal.addEventListener('abort', () => clearInterval(timer));
}
