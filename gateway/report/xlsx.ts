// The report's figures as an Excel workbook: the KPIs beside the previous month, counts and shares per grouping,
// overdue and dissatisfied letters with their serials, and the month's warnings. Rates are stored as numbers with a
// percent format, so they can be computed with.
import type { Worksheet } from 'exceljs';
import type { ReportFigures, ReportGrouping } from './figures.js';
import { say, type MessageKey } from './messages.zh-CN.js';
import { pointChange } from './format.js';

const groupingTitles: Record<ReportGrouping, MessageKey> = {
  kind: 'report.section.kind',
  topic: 'report.section.topic',
  mailboxLevel: 'report.section.level',
  region: 'report.section.region',
  channel: 'report.section.channel',
};

export async function renderReportXlsx(f: ReportFigures): Promise<Buffer> {
  // Loaded on first use: exceljs is large and only reports and exports need it.
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.Workbook();
  wb.created = new Date(0);
  const head = (ws: Worksheet, keys: MessageKey[]) => {
    ws.addRow(keys.map((k) => say(k))).font = { bold: true };
    ws.columns.forEach((c) => (c.width = 18));
  };
  const kpi = wb.addWorksheet(say('report.sheet.kpi'));
  head(kpi, ['report.col.indicator', 'report.col.current', 'report.col.previous', 'report.col.change']);
  const c = f.current,
    p = f.previous;
  const counts = [
    ['received', c.received, p.received],
    ['replied', c.replied, p.replied],
    ['overdue', c.overdue, p.overdue],
    ['dissatisfied', c.answered - c.satisfied, p.answered - p.satisfied],
  ] as const;
  for (const [k, cur, prev] of counts) kpi.addRow([say(`report.kpi.${k}`), cur, prev, cur - prev]);
  for (const k of ['replyRate', 'resolutionRate', 'satisfactionRate', 'overdueRate'] as const) {
    const r = kpi.addRow([say(`report.kpi.${k}`), c[k], p[k], pointChange(c[k], p[k])]);
    r.getCell(2).numFmt = '0.0%';
    r.getCell(3).numFmt = '0.0%';
  }
  for (const k of ['averageReplyDays', 'medianReplyDays'] as const)
    kpi.addRow([say(`report.kpi.${k}`), c[k], p[k], null]);

  const groups = wb.addWorksheet(say('report.sheet.groups'));
  head(groups, ['report.col.grouping', 'report.col.name', 'report.col.count', 'report.col.share']);
  for (const [g, title] of Object.entries(groupingTitles) as [ReportGrouping, MessageKey][]) {
    for (const x of f.groups[g])
      groups.addRow([say(title).replace(/^.、/, ''), x.label, x.count, x.share]).getCell(4).numFmt = '0.0%';
  }

  const cases = wb.addWorksheet(say('report.sheet.cases'));
  head(cases, ['report.col.category', 'report.col.reason', 'report.col.count', 'report.col.examples']);
  for (const x of f.overdue) cases.addRow([say('report.kpi.overdue'), x.reason, x.count, x.serials.join('、')]);
  for (const x of f.dissatisfied)
    cases.addRow([say('report.kpi.dissatisfied'), x.reason, x.count, x.serials.join('、')]);

  const warnings = wb.addWorksheet(say('report.sheet.warnings'));
  head(warnings, ['report.col.time', 'report.col.kind', 'report.col.alert', 'report.col.letters', 'report.col.first']);
  for (const w of f.warnings) {
    warnings.addRow([
      new Date(w.raisedAt),
      say(w.kind === 'spike' ? 'report.warning.spike' : 'report.warning.cluster'),
      w.title,
      `${w.letterCount} / ${w.citizenCount}`,
      w.firstSerial ?? '',
    ]);
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
