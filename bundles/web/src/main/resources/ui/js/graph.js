// Graphs laid out by dagre (the WebJar's dist/dagre.min.js, loaded by index.html) and drawn as SVG.
import { h, ICONS } from './ui.js';

// Status changes are drawn in batches, at most one every STATUS_BATCH_MS: any change inside the SVG makes
// Chromium re-record the paint of the whole graph (≈10 ms a frame for 200 tasks on a slow core), so 100 status
// events/s drawn one by one kept the main thread ~60 % busy (benchmarks/run.sh web). A change after a quiet
// spell is drawn at once (next task), one in a burst at most STATUS_BATCH_MS later.
const STATUS_BATCH_MS = 200;
const NODE_W = 188;
const NODE_H = 50;
const CHAR_W = 6.4;

/**
 * Draws a left-to-right graph into {@code container}.
 * nodes: [{id, label, meta, kind ('task' | 'trigger' | 'entity'), status, href}]
 * edges: [{from, to, label, cls ('start' | 'stop' | 'restart')}]
 * Returns {setStatus(id, status, meta), flush(), select(id)}: setStatus draws in batches (see STATUS_BATCH_MS),
 * flush() draws what is pending now. onSelect(id) is called on click or Enter.
 */
export function drawGraph(container, nodes, edges, { onSelect, label = 'Graph' } = {}) {
  const g = new window.dagre.graphlib.Graph({ multigraph: true });
  g.setGraph({ rankdir: 'LR', nodesep: 18, ranksep: 70, edgesep: 12, marginx: 16, marginy: 16 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const n of nodes) {
    const w = n.kind === 'trigger' ? Math.max(120, Math.min(260, (n.label.length + 2) * CHAR_W)) : NODE_W;
    g.setNode(n.id, { width: w, height: n.kind === 'trigger' ? 36 : NODE_H });
  }
  edges.forEach((e, i) => {
    const text = e.label || '';
    g.setEdge(e.from, e.to, { label: text, width: text ? text.length * 5.8 + 8 : 0, height: text ? 16 : 0, labelpos: 'c' }, 'e' + i);
  });
  window.dagre.layout(g);
  const { width, height } = g.graph();
  const svg = h('svg', { class: 'graph', width: Math.ceil(width), height: Math.ceil(height), viewBox: `0 0 ${Math.ceil(width)} ${Math.ceil(height)}`,
    role: 'group', 'aria-label': label });
  svg.appendChild(h('defs', {}, h('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' },
    h('path', { d: 'M 0 0 L 10 5 L 0 10 z' }))));
  const edgeLayer = h('g', { class: 'edges' });
  svg.appendChild(edgeLayer);
  edges.forEach((e, i) => {
    const ed = g.edge(e.from, e.to, 'e' + i);
    if (!ed) return;
    const pts = ed.points;
    const d = pts.map((p, j) => (j === 0 ? 'M' : 'L') + p.x.toFixed(1) + ' ' + p.y.toFixed(1)).join(' ');
    const grp = h('g', { class: 'edge ' + (e.cls || 'start'), 'data-from': e.from, 'data-to': e.to },
      h('path', { d, 'marker-end': 'url(#arrow)' }));
    if (e.label) {
      const w = e.label.length * 5.8 + 8;
      grp.appendChild(h('rect', { x: ed.x - w / 2, y: ed.y - 8, width: w, height: 16, rx: 3 }));
      grp.appendChild(h('text', { x: ed.x, y: ed.y + 4, 'text-anchor': 'middle' }, e.label));
    }
    edgeLayer.appendChild(grp);
  });
  const byId = new Map();
  for (const n of nodes) {
    const p = g.node(n.id);
    const x = p.x - p.width / 2;
    const y = p.y - p.height / 2;
    const grp = h('g', { class: 'node ' + (n.kind || 'task'), transform: `translate(${x.toFixed(1)},${y.toFixed(1)})`, tabindex: n.kind === 'task' ? 0 : null,
      role: n.kind === 'task' ? 'button' : null, 'data-id': n.id });
    grp.appendChild(h('rect', { width: p.width, height: p.height, rx: 8 }));
    if (n.kind === 'trigger') {
      grp.appendChild(h('text', { x: 10, y: 22 }, '⚡ ' + n.label));
      grp.appendChild(h('title', {}, n.title || n.label));
    } else {
      const bar = h('rect', { class: 'bar st-NONE', x: 0, y: 0, width: 6, height: p.height, rx: 3 });
      const icon = h('text', { x: 14, y: 21, class: 'icon' }, ICONS.NONE);
      const name = h('text', { x: 32, y: 21 }, clip(n.label, 22));
      const meta = h('text', { x: 14, y: 39, class: 'meta' }, n.meta || '');
      const title = h('title', {}, n.label);
      grp.append(bar, icon, name, meta, title);
      byId.set(n.id, { grp, bar, icon, meta, title, label: n.label });
      if (n.status) draw(n.id, n.status, n.meta);
      if (onSelect) {
        grp.addEventListener('click', () => onSelect(n.id));
        grp.addEventListener('keydown', ev => {
          if (ev.key === 'Enter' || ev.key === ' ') { ev.preventDefault(); onSelect(n.id); }
        });
      }
    }
    svg.appendChild(grp);
  }
  container.replaceChildren(svg);
  // a graph a little wider than its box is scaled to fit; a big one keeps its size and scrolls
  const fit = () => {
    const room = container.clientWidth - 2;
    const scale = room > 0 && width > room && room / width >= 0.55 ? room / width : 1;
    svg.setAttribute('width', Math.ceil(width * scale));
    svg.setAttribute('height', Math.ceil(height * scale));
  };
  requestAnimationFrame(fit);

  const pending = new Map();
  let timer = null;
  let drawnAt = -Infinity;
  function setStatus(id, status, meta) {
    if (!byId.has(id)) return;
    const before = pending.get(id);
    pending.set(id, { status, meta: meta === undefined && before ? before.meta : meta });
    if (timer === null) timer = setTimeout(flush, Math.max(0, drawnAt + STATUS_BATCH_MS - performance.now()));
  }
  function flush() {
    if (timer !== null) clearTimeout(timer);
    timer = null;
    drawnAt = performance.now();
    pending.forEach((p, id) => draw(id, p.status, p.meta));
    pending.clear();
  }
  function draw(id, status, meta) {
    const n = byId.get(id);
    const s = status || 'NONE';
    n.bar.setAttribute('class', 'bar st-' + s);
    n.icon.setAttribute('class', 'icon st-' + s);
    n.icon.textContent = ICONS[s] || '•';
    n.grp.dataset.status = s;
    if (meta !== undefined) n.meta.textContent = meta;
    n.title.textContent = `${n.label}: ${s}`;
    n.grp.setAttribute('aria-label', `task ${n.label}, ${s}${meta ? ', ' + meta : ''}`);
  }
  function select(id) {
    byId.forEach((n, key) => n.grp.classList.toggle('selected', key === id));
  }
  return { setStatus, flush, select };
}

function clip(s, n) {
  return s.length > n ? s.slice(0, n - 1) + '…' : s;
}
