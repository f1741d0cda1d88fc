// Statistics: letters per day as a chart, and per channel, mailbox, kind or origin: received, forwarded, rejected, replies,
// reply rate, time to first reply, satisfaction (once surveys exist).
import { h, mount, table, field } from './dom.js';
import { api } from './api.js';
import { group, label as name } from './i18n.js';
import { barChart, rateChart } from './chart.js';

// Dates are days in Asia/Shanghai, like the statistics themselves.
const day = (d) => new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai' }).format(d);

/** The evening SMS callback runs (短信回访) the case store started, with how far each has got. */
async function batchesCard() {
  const r = await api('GET', '/survey-batches');
  if (r.batches.length === 0)
    return h(
      'div',
      { class: 'card', id: 'survey-batches' },
      h('h3', {}, '短信回访批次'),
      h('p', { class: 'meta' }, '还没有批量回访。'),
    );
  return h(
    'div',
    { class: 'card', id: 'survey-batches' },
    h('h3', {}, '短信回访批次'),
    csvButton('短信回访批次', () => tableRows(document.getElementById('batches-table'))),
    table(
      ['开始时间', '来信数', '等待发送', '已发送', '已送达', '失败', '已回答', '已过期'],
      r.batches.map((b) =>
        h(
          'tr',
          {},
          h('td', {}, new Date(b.createdAt).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai' })),
          h('td', {}, b.letters),
          h('td', {}, b.waiting),
          h('td', {}, b.sent),
          h('td', {}, b.delivered),
          h('td', {}, b.failed),
          h('td', {}, b.answered),
          h('td', {}, b.expired),
        ),
      ),
      { id: 'batches-table' },
    ),
    h('p', { class: 'meta' }, '回访短信按短信发送速率和每个号码的每日上限依次发出。'),
  );
}

export async function statsPage(main) {
  const from = h('input', { id: 's-from', type: 'date', value: day(new Date(Date.now() - 13 * 86400000)) });
  const to = h('input', { id: 's-to', type: 'date', value: day(new Date()) });
  const groupBy = h(
    'select',
    { id: 's-group' },
    Object.entries(group('statsGroup')).map(([v, t]) => h('option', { value: v }, t)),
  );
  const bucket = h(
    'select',
    { id: 's-bucket' },
    Object.entries(group('statsBucket')).map(([v, t]) => h('option', { value: v }, t)),
  );
  const out = h('div', { 'aria-live': 'polite' });
  const load = async () => {
    const r = await api(
      'GET',
      `/stats?${new URLSearchParams({ from: from.value, to: to.value, groupBy: groupBy.value, bucket: bucket.value })}`,
    );
    const label = (k) => (r.groupBy === 'mailbox' ? k : name(r.groupBy, k));
    const keys = [...new Set(r.daily.flatMap((d) => Object.keys(d.counts)))];
    const pct = (v) => (v === null ? '—' : `${Math.round(v * 1000) / 10}%`);
    const hours = (v) => (v === null ? '—' : `${v} 小时`);
    const sat = (x) =>
      x.rate !== null ? `${pct(x.rate)}（${x.answered} 份回答）` : `暂无回答（已发调查 ${x.surveyed}）`;
    mount(
      out,
      h(
        'div',
        { class: 'card' },
        barChart(r.daily, label, `${name('statsBucket', bucket.value)}来信数（${r.from} 至 ${r.to}）`, bucket.value),
      ),
      h(
        'div',
        { class: 'grid2' },
        h(
          'div',
          { class: 'card' },
          rateChart(
            'reply-rate-chart',
            '答复率',
            r.groups.map((g) => ({ label: label(g.key), rate: g.replyRate })),
            '所选范围内还没有已转交的来信',
          ),
        ),
        h(
          'div',
          { class: 'card' },
          rateChart(
            'satisfaction-chart',
            '满意率',
            r.groups.map((g) => ({ label: label(g.key), rate: g.satisfaction.rate })),
            '所选范围内还没有满意度回答',
          ),
        ),
      ),
      h(
        'div',
        { class: 'card' },
        h('h3', {}, '来信数明细'),
        exportTable(
          'series-table',
          `来信数-${r.from}-${r.to}`,
          ['时段', ...keys.map(label), '合计'],
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
        h('h3', {}, '汇总'),
        csvButton(`汇总-${r.from}-${r.to}`, () => tableRows(document.getElementById('summary-table'))),
        table(
          [
            '分组',
            '收到',
            '已转交',
            '被拒收',
            '答复条数',
            '已送达',
            '答复率',
            '首次答复中位',
            '首次答复平均',
            '满意率',
            '回访回复率',
          ],
          [...r.groups, { key: '合计', ...r.totals }].map((g) =>
            h(
              'tr',
              {},
              h('th', { scope: 'row' }, g.key === '合计' ? '合计' : label(g.key)),
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
        h(
          'p',
          { class: 'meta' },
          '工作人员看到的是准确计数（对外公布的统计中 1–4 显示为“< 5”）。答复率 = 至少收到一条答复的来信 / 已转交来信；满意率 =（满意 + 基本满意）/ 回答的调查；回访回复率 = 回答的调查 / 发出的调查。',
        ),
      ),
      await batchesCard(),
    );
  };
  mount(
    main,
    h('h2', {}, '统计'),
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
        field('从', from),
        field('到', to),
        field('分组', groupBy),
        field('时间粒度', bucket),
        h('button', { type: 'submit' }, '查看'),
      ),
    ),
    out,
  );
  await load();
}

/** Rows of a rendered table (header included) as text, for the CSV download. */
function tableRows(t) {
  return [...t.querySelectorAll('tr')].map((tr) => [...tr.children].map((c) => c.textContent.trim()));
}

function csvButton(name, rows) {
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
          download: `${name}.csv`,
        });
        document.body.append(a);
        a.click();
        a.remove();
      },
    },
    '导出此表（CSV）',
  );
}

function exportTable(id, name, headers, rows) {
  const t = table(
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
  t.querySelector('table').id = id;
  return h(
    'div',
    {},
    csvButton(name, () => tableRows(t)),
    t,
  );
}
