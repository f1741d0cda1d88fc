// The figures of one month's analysis report, gathered once and then rendered as HTML and Excel: the KPIs exactly as
// computeKpis gives them for the month and for the calendar month before (computeKpis' own "previous period" is as
// many days before, not the previous calendar month), counts and shares per grouping, overdue and dissatisfied
// letters by reason with typical serials, and the warnings raised in the month.
import { sql } from 'kysely';
import type { Db } from '../store/db.js';
import { computeKpis, type KpiFigures, type KpiGrouping } from '../figures/kpi.js';
import type { ClassificationService } from '../classification/service.js';
import { say } from './messages.zh-CN.js';

export const reportGroupings = [
  'kind',
  'topic',
  'mailboxLevel',
  'region',
  'channel',
] as const satisfies readonly KpiGrouping[];
export type ReportGrouping = (typeof reportGroupings)[number];

export interface GroupShare {
  key: string;
  label: string;
  count: number;
  /** count / the month's letters, 0–1 (4 decimals); null without letters. */
  share: number | null;
}

export interface CaseGroup {
  reason: string;
  count: number;
  serials: string[];
}

export interface ReportWarning {
  kind: string;
  title: string;
  letterCount: number;
  citizenCount: number;
  raisedAt: string;
  firstSerial: string | null;
}

export interface ReportFigures {
  month: string;
  from: string;
  to: string;
  previousMonth: string;
  current: KpiFigures;
  previous: KpiFigures;
  groups: Record<ReportGrouping, GroupShare[]>;
  topTopics: { labels: string[]; count: number; share: number | null };
  /** The six months up to this one, oldest first, each as computeKpis gives it. */
  trend: { month: string; figures: KpiFigures }[];
  overdue: CaseGroup[];
  dissatisfied: CaseGroup[];
  warnings: ReportWarning[];
}

export const monthPattern = /^\d{4}-(0[1-9]|1[0-2])$/;

/** First and last day (YYYY-MM-DD) of a month YYYY-MM. */
export function monthRange(month: string): { from: string; to: string } {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return { from: `${month}-01`, to: `${month}-${String(last).padStart(2, '0')}` };
}

export function shiftMonth(month: string, n: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const d = new Date(Date.UTC(y, m - 1 + n, 1));
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}

/** The month (Asia/Shanghai) an instant falls in. */
export function monthOf(at: Date): string {
  return new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 7);
}

const share = (n: number, total: number) => (total > 0 ? Math.round((n / total) * 10000) / 10000 : null);
const EXAMPLES = 5;

export async function gatherFigures(
  db: Db,
  month: string,
  classification: ClassificationService,
): Promise<ReportFigures> {
  const { from, to } = monthRange(month);
  const previousMonth = shiftMonth(month, -1);
  const kpis = await computeKpis(db, { from, to });
  const prev = await computeKpis(db, monthRange(previousMonth));
  const current = kpis.totals.current;
  const groups = {} as Record<ReportGrouping, GroupShare[]>;
  for (const g of reportGroupings) {
    const r = await computeKpis(db, { from, to, groupBy: g }, classification);
    groups[g] = r.groups
      .filter((x) => x.current.received > 0)
      .map((x) => ({
        key: x.key,
        label: x.key === '' ? say('report.unknown') : x.label,
        count: x.current.received,
        share: share(x.current.received, current.received),
      }));
  }
  const top = groups.topic.filter((t) => t.key !== '').slice(0, 3);
  const topCount = top.reduce((s, t) => s + t.count, 0);
  const trend = [];
  for (let i = -5; i <= 0; i++) {
    const m = shiftMonth(month, i);
    trend.push({
      month: m,
      figures:
        i === 0 ? current : i === -1 ? prev.totals.current : (await computeKpis(db, monthRange(m))).totals.current,
    });
  }
  return {
    month,
    from,
    to,
    previousMonth,
    current,
    previous: prev.totals.current,
    groups,
    topTopics: { labels: top.map((t) => t.label), count: topCount, share: share(topCount, current.received) },
    trend,
    overdue: await overdueCases(db, from, to),
    dissatisfied: await dissatisfiedCases(db, from, to),
    warnings: await monthWarnings(db, from, to),
  };
}

// The letters of the month as the KPI facts count them (received in the month, Asia/Shanghai; not rejected).
const inMonth = (from: string, to: string) => sql`
  l.received_at >= ${from}::date::timestamp at time zone 'Asia/Shanghai'
  and l.received_at < (${to}::date + 1)::timestamp at time zone 'Asia/Shanghai' and l.status <> 'rejected'`;

async function overdueCases(db: Db, from: string, to: string): Promise<CaseGroup[]> {
  // Overdue as the KPI facts define it: not replied by the deadline (still unreplied, or replied after it).
  const r = await sql<{ late: boolean; n: string; serials: string[] }>`
    select l.replied_at is not null as late, count(*) as n,
           (array_agg(l.serial order by l.deadline_at, l.id) filter (where l.serial is not null))[1:${EXAMPLES}] as serials
    from letters l
    where ${inMonth(from, to)} and l.deadline_at is not null
      and (l.replied_at > l.deadline_at or (l.replied_at is null and l.deadline_at <= now()))
    group by 1 order by 1`.execute(db);
  return r.rows.map((x) => ({
    reason: say(x.late ? 'report.overdue.late' : 'report.overdue.unreplied'),
    count: Number(x.n),
    serials: x.serials,
  }));
}

async function dissatisfiedCases(db: Db, from: string, to: string): Promise<CaseGroup[]> {
  // Answered surveys not 满意 or 基本满意, by the department that handled the letter (the reason's owner).
  const r = await sql<{ department: string; n: string; serials: string[] }>`
    select coalesce(l.department, '') as department, count(*) as n,
           (array_agg(l.serial order by s.answered_at, l.id) filter (where l.serial is not null))[1:${EXAMPLES}] as serials
    from letters l join surveys s on s.letter_id = l.id
    where ${inMonth(from, to)} and s.state = 'answered' and s.score not in (1, 2)
    group by 1 order by 2 desc, 1`.execute(db);
  return r.rows.map((x) => ({
    reason: x.department === '' ? say('report.dissatisfied.noDepartment') : x.department,
    count: Number(x.n),
    serials: x.serials,
  }));
}

async function monthWarnings(db: Db, from: string, to: string): Promise<ReportWarning[]> {
  const r = await sql<{
    kind: string;
    title: string;
    letter_count: number;
    citizen_count: number;
    raised_at: Date;
    serial: string | null;
  }>`
    select a.kind, a.title, a.letter_count, a.citizen_count, a.raised_at, l.serial
    from warning_alerts a left join letters l on l.id = a.first_letter_id
    where a.raised_at >= ${from}::date::timestamp at time zone 'Asia/Shanghai'
      and a.raised_at < (${to}::date + 1)::timestamp at time zone 'Asia/Shanghai'
    order by a.raised_at, a.id`.execute(db);
  return r.rows.map((a) => ({
    kind: a.kind,
    title: a.title,
    letterCount: a.letter_count,
    citizenCount: a.citizen_count,
    raisedAt: new Date(a.raised_at).toISOString(),
    firstSerial: a.serial,
  }));
}
