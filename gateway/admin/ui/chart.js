// Charts drawn as SVG with real axes: a stacked bar chart of letters per day, week or month (one colour per group, a
// y axis with round ticks and its unit, x labels that never overlap), and horizontal bars of rates. Each chart has a
// text description, and the figures are also in the tables beside them.
import { h, s } from './dom.js';
import { label, t } from './i18n.js';

const colours = ['#1d4e89', '#b7791f', '#0e7c4a', '#ba2525', '#6b46c1', '#2b6cb0', '#9c4221', '#52606d'];

/** Round tick values from 0 up to at least `max`: steps of 1, 2 or 5 times a power of ten, about five of them. */
export function ticks(max) {
  if (max <= 0) return [0, 1];
  const raw = max / 5;
  const p = 10 ** Math.floor(Math.log10(raw));
  const step = Math.max(
    1,
    [1, 2, 5, 10].map((m) => m * p).find((v) => v >= raw),
  );
  const out = [];
  for (let v = 0; v < max + step; v += step) out.push(v);
  return out;
}

const tickLabel = (date, bucket) => (bucket === 'month' ? date.slice(0, 7) : date.slice(5));

export function barChart(daily, groupLabel, title, bucket = 'day') {
  const keys = [...new Set(daily.flatMap((d) => Object.keys(d.counts)))];
  const num = (v) => (typeof v === 'number' ? v : 0);
  const totals = daily.map((d) => Object.values(d.counts).reduce((a, v) => a + num(v), 0));
  const yt = ticks(Math.max(1, ...totals));
  const max = yt.at(-1);
  const W = 760,
    H = 300,
    left = 56,
    right = 12,
    bottom = 52,
    top = 14;
  const plotW = W - left - right;
  const bw = plotW / Math.max(1, daily.length);
  const y = (v) => H - bottom - ((H - bottom - top) * v) / max;
  // At most one x label per ~48 px so dates never run into each other.
  const every = Math.max(1, Math.ceil(daily.length / Math.floor(plotW / 48)));
  const svg = s(
    'svg',
    { class: 'chart', viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-labelledby': 'chart-title chart-desc' },
    s('title', { id: 'chart-title' }, title),
    s(
      'desc',
      { id: 'chart-desc' },
      daily.map((d) => `${d.date}：${keys.map((k) => `${groupLabel(k)} ${d.counts[k] ?? 0}`).join('，')}`).join('；'),
    ),
    yt.map((t) => [
      s('line', { x1: left, x2: W - right, y1: y(t), y2: y(t), stroke: t === 0 ? '#52606d' : '#e4e7eb' }),
      s('text', { x: left - 6, y: y(t) + 4, 'text-anchor': 'end', 'font-size': 12, fill: '#1f2933' }, String(t)),
    ]),
    s('line', { x1: left, x2: left, y1: top, y2: H - bottom, stroke: '#52606d' }),
    s(
      'text',
      {
        x: 14,
        y: (H - bottom + top) / 2,
        'font-size': 12,
        fill: '#1f2933',
        transform: `rotate(-90 14 ${(H - bottom + top) / 2})`,
        'text-anchor': 'middle',
      },
      t('console.chart.letterCount'),
    ),
    s(
      'text',
      { x: left + plotW / 2, y: H - 6, 'font-size': 12, fill: '#1f2933', 'text-anchor': 'middle' },
      label('console.chart.bucket', bucket, t('console.chart.date')),
    ),
    daily.map((d, i) => {
      let acc = 0;
      const x = left + i * bw + Math.min(2, bw / 6);
      const w = Math.max(1, bw - 2 * Math.min(2, bw / 6));
      const bars = keys.map((k, j) => {
        const v = num(d.counts[k]);
        if (v === 0) return null;
        const y0 = y(acc),
          y1 = y(acc + v);
        acc += v;
        return s(
          'rect',
          { x, y: y1, width: w, height: y0 - y1, fill: colours[j % colours.length], class: 'bar' },
          s('title', {}, `${d.date} ${groupLabel(k)}：${v}`),
        );
      });
      const tick =
        i % every === 0
          ? [
              s('line', { x1: x + w / 2, x2: x + w / 2, y1: H - bottom, y2: H - bottom + 4, stroke: '#52606d' }),
              s(
                'text',
                { x: x + w / 2, y: H - bottom + 17, 'text-anchor': 'middle', 'font-size': 11, fill: '#1f2933' },
                tickLabel(d.date, bucket),
              ),
            ]
          : null;
      return [bars, tick];
    }),
  );
  const legend = h(
    'ul',
    { class: 'legend', 'aria-label': t('console.chart.legend') },
    keys.map((k, j) =>
      h(
        'li',
        {},
        s(
          'svg',
          { width: 12, height: 12, 'aria-hidden': 'true' },
          s('rect', { width: 12, height: 12, fill: colours[j % colours.length] }),
        ),
        ' ',
        groupLabel(k),
      ),
    ),
  );
  return h('figure', {}, svg, h('figcaption', {}, title), legend);
}

/** Horizontal bars of rates (0–1) per group; groups without a rate are listed as "暂无数据". */
export function rateChart(id, title, items, emptyText) {
  const known = items.filter((i) => i.rate !== null);
  if (known.length === 0)
    return h('figure', { id }, h('figcaption', {}, title), h('p', { class: 'meta empty' }, emptyText));
  const W = 760,
    row = 28,
    left = 160;
  const H = items.length * row + 10;
  const svg = s(
    'svg',
    {
      class: 'chart',
      viewBox: `0 0 ${W} ${H}`,
      role: 'img',
      'aria-label': `${title}：${items.map((i) => `${i.label} ${i.rate === null ? t('console.chart.none') : `${Math.round(i.rate * 1000) / 10}%`}`).join('，')}`,
    },
    items.map((i, n) => {
      const y = 5 + n * row;
      const w = i.rate === null ? 0 : Math.max(1, (W - left - 70) * i.rate);
      return [
        s('text', { x: left - 8, y: y + 17, 'text-anchor': 'end', 'font-size': 12 }, i.label),
        s('rect', { x: left, y: y + 4, width: w, height: row - 10, fill: colours[0], class: 'bar' }),
        s(
          'text',
          { x: left + w + 6, y: y + 17, 'font-size': 12 },
          i.rate === null ? t('console.chart.none') : `${Math.round(i.rate * 1000) / 10}%`,
        ),
      ];
    }),
  );
  return h('figure', { id }, svg, h('figcaption', {}, title));
}
