// A stacked bar chart drawn as SVG: one bar per day, one colour per group. Counts published as "< 5" are drawn as a
// dashed outline up to 5, since the exact figure is withheld.
import { h, s } from './dom.js';

const colours = ['#1d4e89', '#f0b429', '#0e7c4a', '#ba2525', '#7b61ff', '#2bb0ed', '#cb6e17', '#52606d'];

export function barChart(daily, groupLabel, title) {
  const keys = [...new Set(daily.flatMap((d) => Object.keys(d.counts)))];
  const num = (v) => (typeof v === 'number' ? v : 5);
  const max = Math.max(5, ...daily.map((d) => Object.values(d.counts).reduce((a, v) => a + num(v), 0)));
  const W = 760, H = 260, left = 40, bottom = 30, top = 10;
  const bw = (W - left - 10) / Math.max(1, daily.length);
  const y = (v) => H - bottom - ((H - bottom - top) * v) / max;
  const ticks = [0, Math.round(max / 2), max];
  const svg = s('svg', { class: 'chart', viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-labelledby': 'chart-title chart-desc' },
    s('title', { id: 'chart-title' }, title),
    s('desc', { id: 'chart-desc' }, daily.map((d) => `${d.date}：${keys.map((k) => `${groupLabel(k)} ${d.counts[k] ?? 0}`).join('，')}`).join('；')),
    ticks.map((t) => [s('line', { x1: left, x2: W - 10, y1: y(t), y2: y(t), stroke: '#e4e7eb' }), s('text', { x: left - 6, y: y(t) + 4, 'text-anchor': 'end', 'font-size': 11 }, String(t))]),
    daily.map((d, i) => {
      let acc = 0;
      const x = left + i * bw + 2;
      const bars = keys.map((k, j) => {
        const v = d.counts[k];
        if (v === undefined || v === 0) return null;
        const y0 = y(acc), y1 = y(acc + num(v));
        acc += num(v);
        return s('rect', { x, y: y1, width: Math.max(1, bw - 4), height: y0 - y1, fill: typeof v === 'number' ? colours[j % colours.length] : 'none', stroke: colours[j % colours.length], 'stroke-dasharray': typeof v === 'number' ? undefined : '3 2', class: 'bar' },
          s('title', {}, `${d.date} ${groupLabel(k)}：${v}`));
      });
      const label = daily.length <= 16 || i % Math.ceil(daily.length / 12) === 0 ? s('text', { x: x + bw / 2, y: H - 10, 'text-anchor': 'middle', 'font-size': 10 }, d.date.slice(5)) : null;
      return [bars, label];
    }));
  const legend = h('ul', { class: 'legend' }, keys.map((k, j) => h('li', {}, s('svg', { width: 12, height: 12, 'aria-hidden': 'true' }, s('rect', { width: 12, height: 12, fill: colours[j % colours.length] })), ' ', groupLabel(k))));
  return h('figure', {}, svg, h('figcaption', {}, title), legend);
}

/** Horizontal bars of rates (0–1) per group; groups without a rate are listed as "暂无数据". */
export function rateChart(id, title, items, emptyText) {
  const known = items.filter((i) => i.rate !== null);
  if (known.length === 0) return h('figure', { id }, h('figcaption', {}, title), h('p', { class: 'meta empty' }, emptyText));
  const W = 760, row = 28, left = 160;
  const H = items.length * row + 10;
  const svg = s('svg', { class: 'chart', viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': `${title}：${items.map((i) => `${i.label} ${i.rate === null ? '暂无' : `${Math.round(i.rate * 1000) / 10}%`}`).join('，')}` },
    items.map((i, n) => {
      const y = 5 + n * row;
      const w = i.rate === null ? 0 : Math.max(1, (W - left - 70) * i.rate);
      return [
        s('text', { x: left - 8, y: y + 17, 'text-anchor': 'end', 'font-size': 12 }, i.label),
        s('rect', { x: left, y: y + 4, width: w, height: row - 10, fill: colours[0], class: 'bar' }),
        s('text', { x: left + w + 6, y: y + 17, 'font-size': 12 }, i.rate === null ? '暂无' : `${Math.round(i.rate * 1000) / 10}%`),
      ];
    }));
  return h('figure', { id }, svg, h('figcaption', {}, title));
}
