import test from 'ava';
import { sql } from 'kysely';
import ExcelJS from 'exceljs';
import { startConsoleGateway, type StaffClient } from '../admin/_staff.js';
import type { TestGateway } from '../_support/gateway.js';
import { generateLetters, insertLetters } from '../_support/letter-month.js';
import { computeKpis } from '../../gateway/figures/kpi.js';
import { classificationFor } from '../../gateway/classification/service.js';
import { gatherFigures, reportGroupings, type ReportFigures } from '../../gateway/report/figures.js';
import { generateDueReport, generateReport } from '../../gateway/report/reports.js';
import { renderReportHtml } from '../../gateway/report/html.js';
import { percent, pointChange } from '../../gateway/report/format.js';

let gw: TestGateway;
let admin: StaffClient;
let figures: ReportFigures;
const shanghaiMidnight = (d: string) => new Date(`${d}T00:00:00+08:00`);

test.before(async () => {
  // The smallest pool allowed: runs racing for one month must not wait on the pool while holding its lock.
  ({ gw, admin } = await startConsoleGateway({ DATABASE_POOL_SIZE: '4' }));
  const db = gw.services.db;
  // September and October shaped like the seed month, with different handling so every rate changes.
  await insertLetters(db, generateLetters({ start: shanghaiMidnight('2026-09-01'), days: 30, perDay: 20, seed: 9 }), {
    withClassification: true,
  });
  await insertLetters(db, generateLetters({ start: shanghaiMidnight('2026-10-01'), days: 31, perDay: 24, seed: 10 }), {
    withClassification: true,
  });
  await sql`
    update letters set deadline_at = received_at + interval '10 days',
      department = (array['市城管委', '市住建局', '市交通运输局'])[1 + abs(hashtext(id::text || 'd')) % 3],
      replied_at = case when abs(hashtext(id::text)) % 100 < (case when received_at < '2026-10-01T00:00:00+08:00' then 88 else 93 end)
        then received_at + ((abs(hashtext(id::text || 'r')) % 14) || ' days')::interval end`.execute(db);
  await sql`update letters set resolved = abs(hashtext(id::text || 's')) % 10 < 8 where replied_at is not null`.execute(
    db,
  );
  await sql`
    insert into surveys (id, letter_id, channel, recipient, trigger, expires_at, state, score, reason, answered_at)
    select gen_random_uuid(), id, channel, citizen_id, 'reply', replied_at + interval '7 days', 'answered',
           case when abs(hashtext(id::text || 'q')) % 100 < 85 then 1 when abs(hashtext(id::text || 'q')) % 100 < 93 then 2 else 3 end,
           null, replied_at + interval '1 day'
    from letters where replied_at is not null and abs(hashtext(id::text || 'v')) % 2 = 0`.execute(db);
  await sql`
    insert into warning_alerts (id, kind, dedup_key, title, detail, letter_count, citizen_count, first_letter_id, first_at, last_at, raised_at)
    select gen_random_uuid(), 'cluster', 'cluster:oct', '地铁广告同一事项来信', '{}'::jsonb, 12, 11, min(id::text)::uuid,
           '2026-10-12T09:00:00+08:00', '2026-10-13T09:00:00+08:00', '2026-10-13T10:00:00+08:00'
    from letters where received_at >= '2026-10-12T00:00:00+08:00' and received_at < '2026-10-13T00:00:00+08:00'`.execute(
    db,
  );
  figures = await gatherFigures(db, '2026-10', classificationFor(db, gw.services.config));
});
test.after.always(async () => {
  await gw?.stop();
});

test.serial(
  'when the report of a month is gathered, then every KPI equals computeKpis for that month and the calendar month before',
  async (t) => {
    const db = gw.services.db;
    const oct = await computeKpis(db, { from: '2026-10-01', to: '2026-10-31' });
    const sep = await computeKpis(db, { from: '2026-09-01', to: '2026-09-30' });
    t.true(oct.totals.current.received > 500);
    t.deepEqual(figures.current, oct.totals.current);
    t.deepEqual(figures.previous, sep.totals.current);
    t.not(figures.current.satisfactionRate, figures.previous.satisfactionRate);
    for (const g of reportGroupings) {
      const r = await computeKpis(
        db,
        { from: '2026-10-01', to: '2026-10-31', groupBy: g },
        classificationFor(db, gw.services.config),
      );
      t.deepEqual(
        figures.groups[g].map((x) => [x.key, x.count]),
        r.groups.filter((x) => x.current.received > 0).map((x) => [x.key, x.current.received]),
        g,
      );
      t.is(
        figures.groups[g].reduce((s, x) => s + x.count, 0),
        oct.totals.current.received,
        g,
      );
    }
    const top = figures.groups.topic.filter((x) => x.key !== '').slice(0, 3);
    t.is(
      figures.topTopics.count,
      top.reduce((s, x) => s + x.count, 0),
    );
    t.is(
      figures.overdue.reduce((s, x) => s + x.count, 0),
      oct.totals.current.overdue,
    );
    t.is(
      figures.dissatisfied.reduce((s, x) => s + x.count, 0),
      oct.totals.current.answered - oct.totals.current.satisfied,
    );
    t.true(figures.overdue.every((x) => x.serials.length > 0 && x.serials.length <= 5));
    t.deepEqual(
      figures.warnings.map((w) => w.title),
      ['地铁广告同一事项来信'],
    );
    t.deepEqual(
      figures.trend.map((x) => x.month),
      ['2026-05', '2026-06', '2026-07', '2026-08', '2026-09', '2026-10'],
    );
  },
);

test.serial('when a rate changes, then the change reads in 百分点 from the two printed percentages', (t) => {
  // 91.24% → printed 91.2%; 91.06% → printed 91.1%: 91.2 − 91.1 = 0.1 points.
  t.is(pointChange(0.9124, 0.9106), '较上月提高0.1个百分点');
  t.is(pointChange(0.9, 0.915), '较上月下降1.5个百分点');
  t.is(pointChange(0.5, 0.5004), '与上月持平');
  t.is(pointChange(0.5, null), '上月无数据');
  t.is(percent(0.9124), '91.2%');
});

test.serial(
  'when the report is rendered, then it has one SVG per chart and prints its KPIs with their change',
  async (t) => {
    const html = await renderReportHtml(figures, new Date('2026-11-01T01:00:00+08:00'));
    t.is(html.match(/<svg[\s>]/g)?.length, 5);
    t.is(html.match(/<div class="chart"><svg/g)?.length, 5);
    t.true(html.includes('@media print'));
    const c = figures.current,
      p = figures.previous;
    t.true(
      html.includes(
        `<td>满意率</td><td>${percent(c.satisfactionRate)}</td><td>${percent(p.satisfactionRate)}</td><td>${pointChange(c.satisfactionRate, p.satisfactionRate)}</td>`,
      ),
    );
    t.true(html.includes(`<td>来信量</td><td>${c.received}</td><td>${p.received}</td>`));
    t.regex(html, /较上月(提高|下降)\d+\.\d个百分点/);
    t.true(html.includes('地铁广告同一事项来信'));
    t.true(html.includes(figures.overdue[0]!.serials[0]!));
    t.true(html.includes(figures.topTopics.labels[0]!));
    const visible = html
      .replace(/<style>[\s\S]*?<\/style>/, '')
      .replace(/<svg[\s\S]*?<\/svg>/g, '')
      .replace(/<[^>]*>/g, '')
      .replace(/GEN\d+\w*/g, '');
    t.notRegex(visible.replace('PDF', ''), /[A-Za-z]{3,}/, 'visible text is Chinese');
  },
);

test.serial(
  'when staff generate a month from the console, then its HTML and Excel download and the workbook reads back the figures',
  async (t) => {
    const bad = await admin.call('POST', '/reports', { month: '2026-13' });
    t.is(bad.status, 422);
    const r = await admin.call('POST', '/reports', { month: '2026-10' });
    t.is(r.status, 201);
    const list = (await (await admin.call('GET', '/reports')).json()) as {
      reports: { month: string; generatedBy: string }[];
    };
    t.deepEqual(
      list.reports.filter((x) => x.month === '2026-10').map((x) => x.generatedBy),
      ['admin'],
    );
    const html = await admin.call('GET', '/reports/2026-10/html');
    t.is(html.status, 200);
    t.regex(html.headers.get('content-type') ?? '', /text\/html/);
    t.is((await html.text()).match(/<svg[\s>]/g)?.length, 5);
    t.is((await admin.call('GET', '/reports/2026-08/html')).status, 404);
    const x = await admin.call('GET', '/reports/2026-10/xlsx');
    t.is(x.status, 200);
    t.regex(x.headers.get('content-disposition') ?? '', /attachment; filename="report-2026-10\.xlsx"/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await x.arrayBuffer());
    const kpi = wb.getWorksheet('主要指标')!;
    const rows = new Map<string, unknown[]>();
    kpi.eachRow((row) => {
      const v = row.values as unknown[];
      rows.set(String(v[1]), v.slice(2));
    });
    const c = figures.current,
      p = figures.previous;
    t.deepEqual(rows.get('来信量')!.slice(0, 2), [c.received, p.received]);
    t.deepEqual(rows.get('满意率')!.slice(0, 3), [
      c.satisfactionRate,
      p.satisfactionRate,
      pointChange(c.satisfactionRate, p.satisfactionRate),
    ]);
    t.deepEqual(rows.get('超期率')!.slice(0, 2), [c.overdueRate, p.overdueRate]);
    const groups = wb.getWorksheet('分类统计')!;
    let topicSum = 0;
    groups.eachRow((row, i) => {
      if (i > 1 && row.getCell(1).value === '诉求主题') topicSum += Number(row.getCell(3).value);
    });
    t.is(topicSum, c.received);
  },
);

test.serial(
  'when instances run the scheduled job on the 1st at once, then one report of the month before is stored',
  async (t) => {
    // Four runs at once, each in its own transaction on its own connection, as instances racing on the 1st would be.
    {
      const now = new Date('2026-10-01T00:30:00+08:00');
      const runs = await Promise.all(
        [1, 2, 3, 4].map(() =>
          generateDueReport(gw.services.db, classificationFor(gw.services.db, gw.services.config), now),
        ),
      );
      t.deepEqual(
        runs.filter((m) => m !== null),
        ['2026-09'],
      );
      const stored = await sql<{
        n: string;
        by: string;
      }>`select count(*) as n, min(generated_by) as by from monthly_reports where month = '2026-09'`.execute(
        gw.services.db,
      );
      t.deepEqual(stored.rows[0], { n: '1', by: 'system' });
      t.is(
        await generateDueReport(
          gw.services.db,
          classificationFor(gw.services.db, gw.services.config),
          new Date('2026-10-01T05:00:00+08:00'),
        ),
        null,
      );
      // An on-demand regeneration replaces the month's report rather than adding one.
      t.true(
        await generateReport(gw.services.db, '2026-09', classificationFor(gw.services.db, gw.services.config), 'admin'),
      );
      const again = await sql<{ n: string }>`select count(*) as n from monthly_reports where month = '2026-09'`.execute(
        gw.services.db,
      );
      t.is(again.rows[0]!.n, '1');
    }
  },
);
