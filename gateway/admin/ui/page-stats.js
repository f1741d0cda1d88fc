// Statistics: letters per day as a chart, and per channel, mailbox, kind or origin: received, forwarded, rejected,
// replies, reply rate, time to first reply, satisfaction; then the city's KPIs (回复办理率, 诉求解决率, 满意率, 超期率,
// reply cycle) for the chosen period in total and by channel, mailbox, mailbox level, department, kind, topic and
// region, each beside the previous period's value and a rate's change in 百分点; every table exportable. Every text
// comes from messages/page-stats.zh-CN.ts.
import { h, mount, table, field } from './dom.js';
import { api } from './api.js';
import { group, label as name, t } from './i18n.js';
import { barChart, rateChart } from './chart.js';

// Dates are days in Asia/Shanghai, like the statistics themselves.
const day = (d) => new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai' }).format(d);
const pct = (v) => (v === null || v === undefined ? '—' : `${Math.round(v * 1000) / 10}%`);
// The KPI tables shown, in this order (the endpoint computes each from the fact table).
const kpiGroupings = ['channel', 'mailbox', 'mailboxLevel', 'department', 'kind', 'topic', 'region'];
// Each column: its key, the text of a figure, and for a rate its share (0–1), whose change is told in 百分点.
const rate = (k) => [k, (f) => pct(f[k]), (f) => f[k]];
const kpiColumns = [
  ['received', (f) => f.received],
  ['replied', (f) => f.replied],
  rate('replyRate'),
  rate('resolutionRate'),
  rate('satisfactionRate'),
  rate('overdueRate'),
  ['averageReplyDays', (f) => days(f.averageReplyDays)],
  ['medianReplyDays', (f) => days(f.medianReplyDays)],
];
/** The change of a rate against the previous period in percentage points (one decimal), or null without both. */
const points = (now, before) =>
  now === null || now === undefined || before === null || before === undefined
    ? null
    : Math.round((now - before) * 1000) / 10;
const changeText = (p) =>
  p === null
    ? t('console.stats.kpi.changeNone')
    : p === 0
      ? t('console.stats.kpi.changeSame')
      : t(p > 0 ? 'console.stats.kpi.changeUp' : 'console.stats.kpi.changeDown', { n: Math.abs(p).toFixed(1) });
const days = (v) => (v === null || v === undefined ? '—' : t('console.stats.kpi.days', { n: v }));

/** The evening SMS callback runs (短信回访) the case store started, with how far each has got. */
async function batchesCard() {
  const r = await api('GET', '/survey-batches');
  const heading = h('h3', {}, t('console.stats.batches'));
  if (r.batches.length === 0)
    return h(
      'div',
      { class: 'card', id: 'survey-batches' },
      heading,
      h('p', { class: 'meta' }, t('console.stats.batchesNone')),
    );
  return h(
    'div',
    { class: 'card', id: 'survey-batches' },
    heading,
    csvButton(t('console.stats.batches'), () => tableRows(document.getElementById('batches-table'))),
    table(
      ['started', 'letters', 'waiting', 'sent', 'delivered', 'failed', 'answered', 'expired'].map((k) =>
        t(`console.stats.batch.${k}`),
      ),
      r.batches.map((b) =>
        h(
          'tr',
          {},
          h('td', {}, new Date(b.createdAt).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai' })),
          [b.letters, b.waiting, b.sent, b.delivered, b.failed, b.answered, b.expired].map((v) => h('td', {}, v)),
        ),
      ),
      { id: 'batches-table' },
    ),
    h('p', { class: 'meta' }, t('console.stats.batchesNote')),
  );
}

/** One KPI table: a row per group (and the total), each cell the current value with the previous one beneath, and
 * for a rate its change in 百分点. */
function kpiTable(id, groups, totals) {
  const cell = ([, get, share], row) => {
    const change = share ? points(share(row.current), share(row.previous)) : undefined;
    return h(
      'td',
      {},
      String(get(row.current)),
      h('br'),
      h(
        'span',
        { class: 'meta previous', 'data-value': String(get(row.previous)) },
        t('console.stats.kpi.previous', { value: String(get(row.previous)) }),
      ),
      change === undefined
        ? null
        : [
            h('br'),
            h(
              'span',
              {
                class: `meta change${change > 0 ? ' up' : change < 0 ? ' down' : ''}`,
                'data-value': change === null ? '' : change.toFixed(1),
              },
              changeText(change),
            ),
          ],
    );
  };
  const rows = [...groups, { key: '', label: t('console.stats.total'), ...totals, total: true }];
  return table(
    [t('console.stats.kpi.col.key'), ...kpiColumns.map(([k]) => t(`console.stats.kpi.col.${k}`))],
    rows.map((g) =>
      h(
        'tr',
        { class: g.total ? 'total' : undefined, 'data-key': g.key },
        h('th', { scope: 'row' }, g.label),
        kpiColumns.map((c) => cell(c, g)),
      ),
    ),
    { id, class: 'kpi' },
  );
}

/** The KPI cards for the period: totals, then one table per grouping, each with its CSV export. */
async function kpiCards(from, to) {
  const r = await api('GET', `/kpis?${new URLSearchParams({ from, to, groupBy: kpiGroupings.join(',') })}`);
  const card = (grouping, title, body) =>
    h(
      'div',
      { class: 'card', id: `kpi-${grouping}` },
      h('h4', {}, title),
      csvButton(t('console.stats.kpi.file', { grouping: title, from: r.from, to: r.to }), () =>
        kpiRows(document.getElementById(`kpi-table-${grouping}`)),
      ),
      body,
    );
  return h(
    'section',
    { 'aria-labelledby': 'kpi-title', id: 'kpis' },
    h('h3', { id: 'kpi-title' }, t('console.stats.kpi.heading', r)),
    card('totals', t('console.stats.kpi.totals'), kpiTable('kpi-table-totals', [], r.totals)),
    // The shares that matter most by topic drawn as bars (the tables below hold every figure).
    h(
      'div',
      { class: 'grid2' },
      ['replyRate', 'satisfactionRate'].map((k) =>
        h(
          'div',
          { class: 'card' },
          rateChart(
            `kpi-topic-${k}`,
            t('console.stats.kpi.chart', { kpi: t(`console.stats.kpi.col.${k}`) }),
            r.tables.topic.map((g) => ({ label: g.label, rate: g.current[k] })),
            t('console.stats.kpi.empty'),
          ),
        ),
      ),
    ),
    kpiGroupings.map((g) =>
      card(
        g,
        t(`console.stats.kpi.by.${g}`),
        r.tables[g].length
          ? kpiTable(`kpi-table-${g}`, r.tables[g], r.totals)
          : h('p', { class: 'meta', id: `kpi-table-${g}` }, t('console.stats.kpi.empty')),
      ),
    ),
    h('p', { class: 'meta' }, t('console.stats.kpi.note')),
  );
}

export async function statsPage(main) {
  const from = h('input', { id: 's-from', type: 'date', value: day(new Date(Date.now() - 13 * 86400000)) });
  const to = h('input', { id: 's-to', type: 'date', value: day(new Date()) });
  const groupBy = h(
    'select',
    { id: 's-group' },
    Object.entries(group('statsGroup')).map(([v, text]) => h('option', { value: v }, text)),
  );
  const bucket = h(
    'select',
    { id: 's-bucket' },
    Object.entries(group('statsBucket')).map(([v, text]) => h('option', { value: v }, text)),
  );
  const out = h('div', { 'aria-live': 'polite' });
  const load = async () => {
    const [r, kpis] = await Promise.all([
      api(
        'GET',
        `/stats?${new URLSearchParams({ from: from.value, to: to.value, groupBy: groupBy.value, bucket: bucket.value })}`,
      ),
      kpiCards(from.value, to.value),
    ]);
    const label = (k) => (r.groupBy === 'mailbox' ? k : name(r.groupBy, k));
    const keys = [...new Set(r.daily.flatMap((d) => Object.keys(d.counts)))];
    const hours = (v) => (v === null ? '—' : t('console.stats.hours', { n: v }));
    const sat = (x) =>
      x.rate !== null
        ? t('console.stats.satisfactionAnswered', { rate: pct(x.rate), n: x.answered })
        : t('console.stats.satisfactionNone', { n: x.surveyed });
    const total = t('console.stats.total');
    mount(
      out,
      h(
        'div',
        { class: 'card' },
        barChart(
          r.daily,
          label,
          t('console.stats.chartTitle', { bucket: name('statsBucket', bucket.value), from: r.from, to: r.to }),
          bucket.value,
        ),
      ),
      h(
        'div',
        { class: 'grid2' },
        h(
          'div',
          { class: 'card' },
          rateChart(
            'reply-rate-chart',
            t('console.stats.replyRate'),
            r.groups.map((g) => ({ label: label(g.key), rate: g.replyRate })),
            t('console.stats.noForwarded'),
          ),
        ),
        h(
          'div',
          { class: 'card' },
          rateChart(
            'satisfaction-chart',
            t('console.stats.satisfaction'),
            r.groups.map((g) => ({ label: label(g.key), rate: g.satisfaction.rate })),
            t('console.stats.noAnswers'),
          ),
        ),
      ),
      kpis,
      h(
        'div',
        { class: 'card' },
        h('h3', {}, t('console.stats.series')),
        exportTable(
          'series-table',
          t('console.stats.seriesFile', r),
          [t('console.stats.col.period'), ...keys.map(label), total],
          r.daily.map((d) => [
            d.date,
            ...keys.map((k) => d.counts[k] ?? 0),
            keys.reduce((a, k) => a + (Number(d.counts[k]) || 0), 0),
          ]),
        ),
      ),
      h(
        'div',
        { class: 'card' },
        h('h3', {}, t('console.stats.summary')),
        csvButton(t('console.stats.summaryFile', r), () => tableRows(document.getElementById('summary-table'))),
        table(
          [
            'group',
            'received',
            'forwarded',
            'rejected',
            'replies',
            'delivered',
            'replyRate',
            'firstReplyMedian',
            'firstReplyAverage',
            'satisfaction',
            'responseRate',
          ].map((k) => t(`console.stats.col.${k}`)),
          [...r.groups, { key: null, ...r.totals }].map((g) =>
            h(
              'tr',
              {},
              h('th', { scope: 'row' }, g.key === null ? total : label(g.key)),
              h('td', {}, g.received),
              h('td', {}, g.forwarded),
              h('td', {}, g.rejected),
              h('td', {}, g.repliesSent),
              h('td', {}, g.repliesDelivered),
              h('td', {}, pct(g.replyRate)),
              h('td', {}, hours(g.firstReplyMedianHours)),
              h('td', {}, hours(g.firstReplyAverageHours)),
              h('td', { class: 'satisfaction' }, sat(g.satisfaction)),
              h('td', { class: 'response-rate' }, pct(g.satisfaction.responseRate)),
            ),
          ),
          { id: 'summary-table' },
        ),
        h('p', { class: 'meta' }, t('console.stats.summaryNote')),
      ),
      await batchesCard(),
    );
  };
  mount(
    main,
    h('h2', {}, t('console.stats.heading')),
    h(
      'form',
      {
        class: 'card',
        onsubmit: (e) => {
          e.preventDefault();
          load();
        },
      },
      h(
        'div',
        { class: 'row' },
        field(t('console.stats.from'), from),
        field(t('console.stats.to'), to),
        field(t('console.stats.groupBy'), groupBy),
        field(t('console.stats.bucket'), bucket),
        h('button', { type: 'submit' }, t('console.stats.show')),
      ),
    ),
    out,
  );
  await load();
}

/** Rows of a rendered table (header included) as text, for the CSV download. */
function tableRows(el) {
  return [...el.querySelectorAll('tr')].map((tr) => [...tr.children].map((c) => c.textContent.trim()));
}

/** A KPI table as CSV rows: each figure and, in their own columns, the previous period's and a rate's change. */
function kpiRows(el) {
  if (el.tagName !== 'TABLE') return [];
  const head = [...el.querySelectorAll('thead th')].map((c) => c.textContent.trim());
  const prev = (text) => t('console.stats.kpi.previous', { value: text });
  const change = (text) => t('console.stats.kpi.changeColumn', { kpi: text });
  const rated = kpiColumns.map(([, , share]) => !!share);
  const header = [head[0], ...head.slice(1).flatMap((x, i) => (rated[i] ? [x, prev(x), change(x)] : [x, prev(x)]))];
  return [
    header,
    ...[...el.querySelectorAll('tbody tr')].map((tr) => {
      const [first, ...cells] = [...tr.children];
      return [
        first.textContent.trim(),
        ...cells.flatMap((c, i) => [
          c.firstChild?.textContent.trim() ?? '',
          c.querySelector('.previous')?.dataset.value ?? '',
          ...(rated[i] ? [c.querySelector('.change')?.dataset.value ?? ''] : []),
        ]),
      ];
    }),
  ];
}

function csvButton(fileName, rows) {
  return h(
    'button',
    {
      type: 'button',
      class: 'secondary',
      onclick: () => {
        const cell = (v) => (/[",\r\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v));
        const text = `\uFEFF${rows()
          .map((r) => r.map(cell).join(','))
          .join('\r\n')}\r\n`;
        const a = h('a', {
          href: URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' })),
          download: `${fileName}.csv`,
        });
        document.body.append(a);
        a.click();
        a.remove();
      },
    },
    t('console.stats.exportCsv'),
  );
}

function exportTable(id, fileName, headers, rows) {
  const el = table(
    headers,
    rows.map((r) =>
      h(
        'tr',
        {},
        h('th', { scope: 'row' }, r[0]),
        r.slice(1).map((v) => h('td', {}, String(v))),
      ),
    ),
  );
  el.querySelector('table').id = id;
  return h(
    'div',
    {},
    csvButton(fileName, () => tableRows(el)),
    el,
  );
}
