// The city's KPIs as the platform defines them, for any period, in total or grouped (channel, mailbox, mailbox level,
// department, kind, topic, region), each beside the same figures for the period just before. Letters count in the
// period they were received (Asia/Shanghai days); the figures come from the fact table kpi_daily (facts.ts), whose
// days touched since their last computation are recomputed first, so a correction shows at once.
//   回复办理率 replied / received        诉求解决率 resolved / closed (the case store said whether it was resolved)
//   满意率 (满意 + 基本满意) / answered surveys
//   超期率 overdue / due (due: deadline passed or replied; overdue: not replied by the deadline)
//   平均/中位回复周期: days from receipt to the final reply (or closing), replied letters only
import { sql } from 'kysely';
import type { Db } from '../store/db.js';
import { channels, kindLabels } from '../../shared/letter.js';
import { label } from '../i18n/index.js';
import { kpiGroupings, refreshDirtyDays, type KpiGrouping } from './facts.js';
import { officeLevelLabels } from '../classification/office-levels.js';
import type { ClassificationService } from '../classification/service.js';
import { messages } from './messages.zh-CN.js';

export { kpiGroupings, type KpiGrouping };

export interface KpiFigures {
  received: number;
  replied: number;
  /** 回复办理率: replied / received, 0–1; null without letters. */
  replyRate: number | null;
  closed: number;
  resolved: number;
  /** 诉求解决率: resolved / closed. */
  resolutionRate: number | null;
  answered: number;
  satisfied: number;
  /** 满意率: (满意 + 基本满意) / answered. */
  satisfactionRate: number | null;
  due: number;
  overdue: number;
  /** 超期率: overdue / due. */
  overdueRate: number | null;
  averageReplyDays: number | null;
  medianReplyDays: number | null;
}

export interface KpiRow {
  key: string;
  label: string;
  current: KpiFigures;
  previous: KpiFigures;
}

export interface KpiResult {
  /** Inclusive dates (YYYY-MM-DD, Asia/Shanghai). */
  from: string;
  to: string;
  previousFrom: string;
  previousTo: string;
  groupBy: KpiGrouping | null;
  totals: { current: KpiFigures; previous: KpiFigures };
  /** Largest groups first; a group present only in the previous period is listed with zero current letters. */
  groups: KpiRow[];
}

export interface KpiQuery {
  from: string;
  to: string;
  groupBy?: KpiGrouping | null;
}

interface Row {
  period: 'current' | 'previous';
  key: string;
  received: string;
  replied: string;
  cycle_sum: number;
  closed: string;
  resolved: string;
  answered: string;
  satisfied: string;
  due: string;
  overdue: string;
  median: number | null;
}

const dayMs = 86_400_000;
const addDays = (d: string, n: number) => new Date(Date.parse(`${d}T00:00:00Z`) + n * dayMs).toISOString().slice(0, 10);

/** The previous period: as many days, ending the day before `from`. */
export function previousPeriod(from: string, to: string): { from: string; to: string } {
  const days = Math.round((Date.parse(to) - Date.parse(from)) / dayMs) + 1;
  return { from: addDays(from, -days), to: addDays(from, -1) };
}

export async function computeKpis(db: Db, q: KpiQuery, classification?: ClassificationService): Promise<KpiResult> {
  const groupBy = q.groupBy ?? null;
  const prev = previousPeriod(q.from, q.to);
  await refreshDirtyDays(db, { within: { from: prev.from, to: q.to } });
  const rows = await sql<Row>`
    with f as (
      select case when day >= ${q.from}::date then 'current' else 'previous' end as period, key, received, replied,
             cycle_days_sum, cycle_days, closed, resolved, answered, satisfied, due, overdue
      from kpi_daily
      where grouping = ${groupBy ?? 'all'} and day between ${prev.from}::date and ${q.to}::date),
    agg as (
      select period, key, sum(received) as received, sum(replied) as replied, sum(cycle_days_sum)::float8 as cycle_sum,
             sum(closed) as closed, sum(resolved) as resolved, sum(answered) as answered, sum(satisfied) as satisfied,
             sum(due) as due, sum(overdue) as overdue
      from f group by 1, 2),
    med as (
      select period, key, percentile_cont(0.5) within group (order by c) as median
      from f, unnest(f.cycle_days) as c group by 1, 2)
    select agg.*, med.median from agg left join med using (period, key)`.execute(db);
  const labels = await labeller(db, groupBy, classification);
  const empty = figures(undefined);
  const keys = new Map<string, { current: KpiFigures; previous: KpiFigures }>();
  for (const r of rows.rows) {
    const e = keys.get(r.key) ?? { current: empty, previous: empty };
    e[r.period] = figures(r);
    keys.set(r.key, e);
  }
  if (groupBy === null) {
    const t = keys.get('') ?? { current: empty, previous: empty };
    return { from: q.from, to: q.to, previousFrom: prev.from, previousTo: prev.to, groupBy, totals: t, groups: [] };
  }
  const totals = await computeKpis(db, { from: q.from, to: q.to, groupBy: null });
  const groups = [...keys]
    .map(([key, v]) => ({ key, label: labels(key), ...v }))
    .sort(
      (a, b) =>
        b.current.received - a.current.received ||
        b.previous.received - a.previous.received ||
        a.key.localeCompare(b.key),
    );
  return {
    from: q.from,
    to: q.to,
    previousFrom: prev.from,
    previousTo: prev.to,
    groupBy,
    totals: totals.totals,
    groups,
  };
}

const rate = (n: number, d: number) => (d > 0 ? Math.round((n / d) * 10000) / 10000 : null);
const days2 = (v: number | null) => (v === null ? null : Math.round(v * 100) / 100);

function figures(r: Row | undefined): KpiFigures {
  const n = (v: string | undefined) => Number(v ?? 0);
  const received = n(r?.received),
    replied = n(r?.replied),
    closed = n(r?.closed),
    resolved = n(r?.resolved);
  const answered = n(r?.answered),
    satisfied = n(r?.satisfied),
    due = n(r?.due),
    overdue = n(r?.overdue);
  return {
    received,
    replied,
    replyRate: rate(replied, received),
    closed,
    resolved,
    resolutionRate: rate(resolved, closed),
    answered,
    satisfied,
    satisfactionRate: rate(satisfied, answered),
    due,
    overdue,
    overdueRate: rate(overdue, due),
    averageReplyDays: replied > 0 ? days2((r?.cycle_sum ?? 0) / replied) : null,
    medianReplyDays: r?.median === null || r?.median === undefined ? null : days2(r.median),
  };
}

async function labeller(
  db: Db,
  groupBy: KpiGrouping | null,
  c?: ClassificationService,
): Promise<(key: string) => string> {
  const unknown = messages['figures.unknown'];
  const from = (m: Map<string, string>) => (key: string) => (key === '' ? unknown : (m.get(key) ?? key));
  switch (groupBy) {
    case 'channel':
      // Channels are named by the catalogue (each channel contributes its own name).
      return from(new Map(channels.map((k) => [k, label('channel', k)])));
    case 'kind':
      return from(new Map(Object.entries(kindLabels)));
    case 'mailboxLevel':
      return from(new Map(Object.entries(officeLevelLabels)));
    case 'mailbox': {
      const rows = await db.selectFrom('mailboxes').select(['id', 'name']).execute();
      return from(new Map(rows.map((r) => [r.id, r.name])));
    }
    case 'topic': {
      if (!c) return from(new Map());
      const t = await c.taxonomy.current();
      return from(new Map(t.topics.map((x) => [x.code, x.name])));
    }
    case 'region': {
      if (!c) return from(new Map());
      const regions = await c.regions();
      return (key) => (key === '' ? unknown : (regions.get(key)?.name ?? key));
    }
    default:
      return from(new Map());
  }
}
