// Generating and storing the monthly report: on demand (a staff member, replacing the month's report) and on schedule
// (the month before, once: two instances racing keep one report because the month is decided under an advisory lock
// and its row is the key).
import { sql, type Transaction } from 'kysely';
import type { Db } from '../store/db.js';
import type { Database } from '../store/tables.js';
import type { ClassificationService } from '../classification/service.js';
import { gatherFigures, monthOf, shiftMonth, type ReportFigures } from './figures.js';
import { renderReportHtml } from './html.js';
import { renderReportXlsx } from './xlsx.js';

export interface StoredReport {
  month: string;
  generatedAt: Date;
  generatedBy: string;
}

export async function buildReport(
  db: Db,
  month: string,
  c: ClassificationService,
  now = new Date(),
): Promise<{ figures: ReportFigures; html: string; xlsx: Buffer }> {
  const figures = await gatherFigures(db, month, c);
  return { figures, html: await renderReportHtml(figures, now), xlsx: await renderReportXlsx(figures) };
}

/** Generates the month's report and stores it (replacing an earlier one) unless `onlyIfMissing` and one exists. */
export async function generateReport(
  db: Db,
  month: string,
  c: ClassificationService,
  by: string,
  opts: { onlyIfMissing?: boolean; now?: Date } = {},
): Promise<boolean> {
  const stored = (e: Db | Transaction<Database>) =>
    sql`select 1 from monthly_reports where month = ${month}`.execute(e).then((r) => r.rows.length > 0);
  if (opts.onlyIfMissing && (await stored(db))) return false;
  const now = opts.now ?? new Date();
  // Built before the transaction: the build reads through the pool, and a transaction waiting on the pool for more
  // connections waits forever once runs holding the others wait on its lock. Instances racing on the 1st may each
  // build the month; the lock lets one of them store it.
  const r = await buildReport(db, month, c, now);
  return db.transaction().execute(async (tx) => {
    await sql`select pg_advisory_xact_lock(hashtext('monthly-report'), hashtext(${month}))`.execute(tx);
    if (opts.onlyIfMissing && (await stored(tx))) return false;
    await sql`
      insert into monthly_reports (month, html, xlsx, figures, generated_at, generated_by)
      values (${month}, ${r.html}, ${r.xlsx}, ${JSON.stringify(r.figures)}::jsonb, ${now}, ${by})
      on conflict (month) do update set html = excluded.html, xlsx = excluded.xlsx, figures = excluded.figures,
        generated_at = excluded.generated_at, generated_by = excluded.generated_by`.execute(tx);
    return true;
  });
}

/** The scheduled run: the report of the month before `now` (Asia/Shanghai), once. */
export async function generateDueReport(db: Db, c: ClassificationService, now = new Date()): Promise<string | null> {
  const month = shiftMonth(monthOf(now), -1);
  // A platform with no letter before this month (a fresh installation, a test gateway) has nothing to report yet.
  const before = new Date(`${monthOf(now)}-01T00:00:00+08:00`);
  const any = await db.selectFrom('letters').select('id').where('received_at', '<', before).limit(1).executeTakeFirst();
  if (!any) return null;
  return (await generateReport(db, month, c, 'system', { onlyIfMissing: true, now })) ? month : null;
}

export async function listReports(db: Db): Promise<StoredReport[]> {
  const r = await sql<{ month: string; generated_at: Date; generated_by: string }>`
    select month, generated_at, generated_by from monthly_reports order by month desc`.execute(db);
  return r.rows.map((x) => ({ month: x.month, generatedAt: new Date(x.generated_at), generatedBy: x.generated_by }));
}

export async function reportFile(db: Db, month: string, kind: 'html' | 'xlsx'): Promise<string | Buffer | null> {
  const r =
    kind === 'html'
      ? await sql<{ v: string }>`select html as v from monthly_reports where month = ${month}`.execute(db)
      : await sql<{ v: Buffer }>`select xlsx as v from monthly_reports where month = ${month}`.execute(db);
  return r.rows[0]?.v ?? null;
}
