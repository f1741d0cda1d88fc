// The monthly report as one self-contained HTML page (charts inline as SVG, a print stylesheet so the browser's
// "print" makes the PDF). Every text from the data is escaped.
import type { ReportFigures, GroupShare, CaseGroup } from './figures.js';
import { reportCharts } from './charts.js';
import { say, type MessageKey } from './messages.zh-CN.js';
import { countChange, days, daysChange, monthLabel, percent, pointChange } from './format.js';

const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const row = (cells: string[], tag = 'td') => `<tr>${cells.map((c) => `<${tag}>${c}</${tag}>`).join('')}</tr>`;
const table = (head: MessageKey[], rows: string[][]) =>
  rows.length === 0
    ? `<p>${say('report.none')}</p>`
    : `<table><thead>${row(
        head.map((k) => say(k)),
        'th',
      )}</thead><tbody>${rows.map((r) => row(r)).join('')}</tbody></table>`;

const style = `
body{font-family:"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;margin:2em auto;max-width:60em;color:#222;line-height:1.6}
h1{text-align:center;font-size:1.6em}h2{font-size:1.2em;border-bottom:1px solid #999;margin-top:1.6em}
table{border-collapse:collapse;width:100%;margin:.6em 0}th,td{border:1px solid #bbb;padding:.25em .5em;text-align:left}
th{background:#f0f0f0}td.num{text-align:right}.chart{text-align:center;margin:.8em 0}.meta{text-align:center;color:#666}
button.print{float:right}
@media print{body{margin:0;max-width:none;font-size:11pt}button.print{display:none}h2{break-after:avoid}
.chart,table{break-inside:avoid}@page{size:A4;margin:18mm 15mm}}`;

function shares(items: GroupShare[]): string {
  return table(
    ['report.col.name', 'report.col.count', 'report.col.share'],
    items.map((g) => [esc(g.label), String(g.count), percent(g.share)]),
  );
}

function cases(items: CaseGroup[], reasonKey: MessageKey): string {
  return table(
    [reasonKey, 'report.col.count', 'report.col.examples'],
    items.map((c) => [esc(c.reason), String(c.count), esc(c.serials.join('、'))]),
  );
}

export async function renderReportHtml(f: ReportFigures, generatedAt: Date): Promise<string> {
  const c = f.current,
    p = f.previous;
  const charts = await reportCharts(f);
  const chart = (svg: string) => `<div class="chart">${svg}</div>`;
  const rate = (k: 'replyRate' | 'resolutionRate' | 'satisfactionRate' | 'overdueRate') => [
    say(`report.kpi.${k}`),
    percent(c[k]),
    percent(p[k]),
    pointChange(c[k], p[k]),
  ];
  const kpiRows = [
    [say('report.kpi.received'), String(c.received), String(p.received), countChange(c.received, p.received)],
    [say('report.kpi.replied'), String(c.replied), String(p.replied), countChange(c.replied, p.replied)],
    rate('replyRate'),
    rate('resolutionRate'),
    rate('satisfactionRate'),
    rate('overdueRate'),
    [say('report.kpi.overdue'), String(c.overdue), String(p.overdue), countChange(c.overdue, p.overdue)],
    [
      say('report.kpi.dissatisfied'),
      String(c.answered - c.satisfied),
      String(p.answered - p.satisfied),
      countChange(c.answered - c.satisfied, p.answered - p.satisfied),
    ],
    [
      say('report.kpi.averageReplyDays'),
      days(c.averageReplyDays),
      days(p.averageReplyDays),
      daysChange(c.averageReplyDays, p.averageReplyDays),
    ],
    [
      say('report.kpi.medianReplyDays'),
      days(c.medianReplyDays),
      days(p.medianReplyDays),
      daysChange(c.medianReplyDays, p.medianReplyDays),
    ],
  ];
  const summary = say('report.summary', {
    received: c.received,
    kpis: (['replyRate', 'resolutionRate', 'satisfactionRate'] as const)
      .map((k) => `${say(`report.kpi.${k}`)}${percent(c[k])}，${pointChange(c[k], p[k])}`)
      .join('；'),
  });
  const top =
    f.topTopics.labels.length === 0
      ? ''
      : `<p>${esc(
          say('report.topicTop3', {
            names: f.topTopics.labels.join('、'),
            count: f.topTopics.count,
            share: percent(f.topTopics.share),
          }),
        )}</p>`;
  const kinds: Record<string, string> = { spike: say('report.warning.spike'), cluster: say('report.warning.cluster') };
  const warnings = table(
    ['report.col.time', 'report.col.kind', 'report.col.alert', 'report.col.letters', 'report.col.first'],
    f.warnings.map((w) => [
      esc(new Date(Date.parse(w.raisedAt) + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ')),
      esc(kinds[w.kind] ?? w.kind),
      esc(w.title),
      `${w.letterCount} / ${w.citizenCount}`,
      esc(w.firstSerial ?? '—'),
    ]),
  );
  const title = say('report.title', { month: monthLabel(f.month) });
  const at = new Date(generatedAt.getTime() + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>${esc(title)}</title><style>${style}</style></head>
<body>
<button class="print" type="button" onclick="window.print()">${say('report.print')}</button>
<h1>${esc(title)}</h1>
<p class="meta">${esc(say('report.generatedAt', { at }))}</p>
<h2>${say('report.section.kpi')}</h2>
<p>${esc(summary)}</p>
${table(
  ['report.col.indicator', 'report.col.current', 'report.col.previous', 'report.col.change'],
  kpiRows.map((r) => r.map(esc)),
)}
${chart(charts.trend)}
<h2>${say('report.section.kind')}</h2>
${shares(f.groups.kind)}
${chart(charts.kind)}
<h2>${say('report.section.topic')}</h2>
${top}
${shares(f.groups.topic)}
${chart(charts.topic)}
<h2>${say('report.section.level')}</h2>
${shares(f.groups.mailboxLevel)}
<h2>${say('report.section.region')}</h2>
${shares(f.groups.region)}
${chart(charts.region)}
<h2>${say('report.section.channel')}</h2>
${shares(f.groups.channel)}
${chart(charts.channel)}
<h2>${say('report.section.overdue')}</h2>
${cases(f.overdue, 'report.col.reason')}
<h2>${say('report.section.dissatisfied')}</h2>
${cases(f.dissatisfied, 'report.col.department')}
<h2>${say('report.section.warnings')}</h2>
${warnings}
</body></html>
`;
}
