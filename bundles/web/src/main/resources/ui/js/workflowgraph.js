// What a workflow definition says, as a graph: tasks, and for every rule what starts, stops or
// restarts a task (a task's status, an event, a composite), and the rules as sentences.

/** A readable sentence for a condition, e.g. "event hello type DATA_READY" or "train SUCCESS". */
export function describe(cond) {
  if (!cond) return '';
  const c = cond.config || {};
  switch (cond.type) {
    case 'event':
      return 'event ' + [c.namespace ? c.namespace + '/' : '', c.key || '*'].join('')
        + (c.type ? ' type ' + c.type : '') + (c.sender ? ' from ' + c.sender : '') + (c.value ? ' = ' + c.value : '');
    case 'status':
      return (c.workflow ? c.workflow + '/' : '') + (c.task || '*') + ' ' + (c.status || 'any status');
    case 'all-of':
    case 'any-of':
      return (cond.type === 'all-of' ? 'all of (' : 'any of (') + (c.conditions || []).map(describe).join(', ') + ')';
    default:
      return cond.type + (Object.keys(c).length ? ' ' + JSON.stringify(c) : '');
  }
}

/** The leaves of a condition (composites opened), with the composite's kind as a prefix. */
function leaves(cond, prefix = '') {
  if (cond && (cond.type === 'all-of' || cond.type === 'any-of')) {
    const p = cond.type === 'all-of' ? 'all of: ' : 'any of: ';
    return ((cond.config || {}).conditions || []).flatMap(ch => leaves(ch, p));
  }
  return [{ cond, prefix }];
}

/** Nodes and edges of the task graph of a definition (see graph.js drawGraph). */
export function workflowGraph(def) {
  const tasks = def.tasks || [];
  const names = new Set(tasks.map(t => t.name));
  const nodes = tasks.map(t => ({ id: 't:' + t.name, label: t.name, kind: 'task', meta: (t.kind || 'BATCH') + ' · ' + ((t.job || {}).runnerType || '') }));
  const edges = [];
  const triggers = new Map();
  for (const t of tasks) {
    for (const dep of t.startAfter || []) edges.push({ from: 't:' + dep, to: 't:' + t.name, label: 'after', cls: 'start' });
    for (const rule of t.rules || []) {
      const action = rule.action || 'START';
      for (const { cond, prefix } of leaves(rule.condition)) {
        const c = (cond && cond.config) || {};
        const cls = action.toLowerCase();
        if (cond && cond.type === 'status' && !c.workflow && c.task && names.has(c.task)) {
          edges.push({ from: 't:' + c.task, to: 't:' + t.name, label: prefix + (c.status || 'any') + ' → ' + action, cls });
        } else {
          const label = describe(cond);
          const id = 'c:' + label;
          if (!triggers.has(id)) {
            triggers.set(id, { id, label, kind: 'trigger', title: JSON.stringify(cond) });
          }
          edges.push({ from: id, to: 't:' + t.name, label: prefix + action, cls });
        }
      }
    }
  }
  return { nodes: [...triggers.values(), ...nodes], edges };
}

/** Every rule of the definition as {task, when, action}: startAfter, task rules, workflow triggers. */
export function ruleList(def) {
  const out = [];
  for (const t of def.tasks || []) {
    if ((t.startAfter || []).length) out.push({ task: t.name, when: 'all of ' + t.startAfter.join(', ') + ' succeeded', action: 'START' });
    for (const r of t.rules || []) out.push({ task: t.name, when: describe(r.condition), action: r.action });
    if (!(t.startAfter || []).length && !(t.rules || []).some(r => r.action === 'START' || r.action === 'RESTART')) {
      out.push({ task: t.name, when: 'the execution starts', action: 'START' });
    }
  }
  for (const tr of def.triggers || []) out.push({ task: '(workflow)', when: describe(tr.condition), action: tr.action + ' execution' });
  return out;
}

/** A line diff (longest common subsequence) of two texts: [{op: ' ' | '+' | '-', line}]. */
export function diffLines(a, b) {
  const x = a.split('\n');
  const y = b.split('\n');
  const n = x.length;
  const m = y.length;
  const lcs = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i][j] = x[i] === y[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  const out = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (x[i] === y[j]) { out.push({ op: ' ', line: x[i] }); i++; j++; }
    else if (lcs[i + 1][j] >= lcs[i][j + 1]) out.push({ op: '-', line: x[i++] });
    else out.push({ op: '+', line: y[j++] });
  }
  while (i < n) out.push({ op: '-', line: x[i++] });
  while (j < m) out.push({ op: '+', line: y[j++] });
  return out;
}
