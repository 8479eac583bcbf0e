// Line charts drawn by uPlot (the WebJar's dist/uPlot.iife.min.js, loaded by index.html).
import { h, stamp } from './ui.js';

const COLORS = ['#2563eb', '#16a34a', '#dc2626', '#d97706', '#7c3aed', '#0891b2', '#db2777', '#65a30d'];

/**
 * A time chart: series [{label, points: [[epochMillis, value], ...]}] on one time axis (the union
 * of their times; a series without a value at a time leaves a gap that the line spans). The
 * container's data-points attribute tells how many points were drawn. Resizes with the container.
 */
export function timeChart(container, series, { signal, title } = {}) {
  const times = [...new Set(series.flatMap(s => s.points.map(p => p[0])))].sort((a, b) => a - b);
  const index = new Map(times.map((t, i) => [t, i]));
  const data = [times.map(t => t / 1000)];
  for (const s of series) {
    const col = new Array(times.length).fill(null);
    s.points.forEach(([t, v]) => { col[index.get(t)] = v; });
    data.push(col);
  }
  const dark = matchMedia('(prefers-color-scheme: dark)').matches;
  const axisColor = dark ? '#9aa4b2' : '#5b6472';
  const grid = { stroke: dark ? '#2c333d' : '#e5e7eb', width: 1 };
  const width = () => Math.max(280, container.clientWidth || 600);
  const opts = {
    title, width: width(), height: 300,
    scales: { x: { time: true } },
    axes: [{ stroke: axisColor, grid }, { stroke: axisColor, grid, size: 60 }],
    series: [{ label: 'time', value: (u, v) => v == null ? '—' : stamp(v * 1000) },
      ...series.map((s, i) => ({ label: s.label, stroke: COLORS[i % COLORS.length], width: 2, spanGaps: true, points: { show: true, size: 6 } }))],
  };
  const target = h('div', { class: 'chart' });
  container.replaceChildren(target);
  const plot = new window.uPlot(opts, data, target);
  container.dataset.points = String(series.reduce((n, s) => n + s.points.length, 0));
  const observer = new ResizeObserver(() => plot.setSize({ width: width(), height: 300 }));
  observer.observe(container);
  if (signal) signal.addEventListener('abort', () => { observer.disconnect(); plot.destroy(); });
  return plot;
}
