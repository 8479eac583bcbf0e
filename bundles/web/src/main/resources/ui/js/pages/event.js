// One event with its context: what started which task (the value, the context, the sender).
import { api } from '../api.js';
import { h, clear, link, time, card, props } from '../ui.js';

export default async function eventPage(main, { params, signal }) {
  const v = Number(params.version);
  const res = await api('events', { query: { afterVersion: v - 1, untilVersion: v, limit: 1 }, signal });
  const ev = res.events[0];
  if (!ev) {
    clear(main, h('h1', {}, `Event ${v}`), h('div', { class: 'error', role: 'alert' }, `No event ${v} that you may read.`));
    return;
  }
  let pretty = ev.value;
  try { pretty = JSON.stringify(JSON.parse(ev.value), null, 2); } catch (e) { /* not JSON */ }
  const ctx = ev.context || {};
  const related = [];
  // the context is whatever the publisher wrote: only whole numbers become links to tasks and executions
  const id = v => /^[1-9]\d{0,17}$/.test(v || '');
  if (id(ctx.taskExecutionId)) related.push(link(`tasks/${ctx.taskExecutionId}`, `task execution ${ctx.taskExecutionId}`));
  if (id(ctx.executionId)) related.push(' ', link(`executions/${ctx.executionId}`, `execution ${ctx.executionId}`));
  if (ctx.workflowName && ctx.workflowNamespace) related.push(' ', link(`workflows/${encodeURIComponent(ctx.workflowNamespace)}/${encodeURIComponent(ctx.workflowName)}`, `workflow ${ctx.workflowName}`));
  clear(main, h('div', { class: 'page-head' }, h('div', {}, h('h1', {}, `Event ${ev.version}`),
    h('p', { class: 'sub' }, link(`events?namespace=${encodeURIComponent(ev.namespace)}&key=${encodeURIComponent(ev.key)}`, 'Events with this key')))),
  h('div', { class: 'grid' },
    h('div', { class: 'span-6' }, card('Event', h('dl', { class: 'props' },
      h('dt', {}, 'Version'), h('dd', {}, String(ev.version)), h('dt', {}, 'Namespace'), h('dd', {}, ev.namespace),
      h('dt', {}, 'Key'), h('dd', {}, ev.key), h('dt', {}, 'Type'), h('dd', {}, ev.type || '—'),
      h('dt', {}, 'Sender'), h('dd', {}, ev.sender || '—'), h('dt', {}, 'Published by'), h('dd', {}, ev.principal || '—'),
      h('dt', {}, 'Time'), h('dd', {}, time(ev.createTime)), related.length ? [h('dt', {}, 'Related'), h('dd', {}, related)] : null))),
    h('div', { class: 'span-6' }, card('Context', props(ctx))),
    h('div', { class: 'span-12' }, card('Value', h('pre', {}, pretty)))));
}
