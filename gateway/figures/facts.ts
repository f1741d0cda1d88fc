// The KPI fact table kpi_daily: for each day (Asia/Shanghai, by receipt) and each grouping, one row per key with the
// counts the KPIs are made of, and the reply cycles themselves (so medians stay exact). Triggers mark the days whose
// letters or surveys changed (migration 0830); refreshDirtyDays recomputes them, sweepDeadlines marks the days whose
// letters went overdue since the last sweep, rebuildFacts recomputes everything.
import { sql } from 'kysely';
import type { Db } from '../store/db.js';

export const kpiGroupings = ['channel', 'mailbox', 'mailboxLevel', 'department', 'kind', 'topic', 'region'] as const;
export type KpiGrouping = (typeof kpiGroupings)[number];

/** Recomputes the given days (YYYY-MM-DD) inside `db` (a transaction when called from refreshDirtyDays). */
export async function recomputeDays(db: Db, days: string[]): Promise<void> {
  if (days.length === 0) return;
  await sql`delete from kpi_daily where day = any(${days}::date[])`.execute(db);
  // Letters the case store rejected never became cases: they count nowhere. A letter is due once its deadline passed or
  // it was replied (its outcome is then settled); overdue when it was not replied by its deadline.
  await sql`
    with lf as (
      select (l.received_at at time zone 'Asia/Shanghai')::date as day,
             l.channel,
             coalesce(l.body->'mailbox'->>'id', '') as mailbox,
             coalesce(m.office_level,
               case when m.level = 'district' then 'district' when m.level = 'street' then 'street' end,
               case when l.body->'mailbox'->>'name' like '%书记%' then 'party-secretary'
                    when l.body->'mailbox'->>'name' like '%市长%' or l.body->'mailbox'->>'name' like '%12345%' then 'mayor'
                    when m.id is not null then 'city-department' end, '') as level,
             coalesce(l.department, '') as department,
             coalesce(l.body->>'kind', '') as kind,
             coalesce(l.topic, '') as topic,
             coalesce(left(l.region_code, 6), '') as region,
             l.replied_at is not null as replied,
             extract(epoch from l.replied_at - l.received_at) / 86400.0 as cycle,
             l.resolved,
             coalesce(s.state = 'answered', false) as answered,
             coalesce(s.state = 'answered' and s.score in (1, 2), false) as satisfied,
             l.deadline_at is not null and (l.replied_at is not null or l.deadline_at <= now()) as due,
             l.deadline_at is not null and (l.replied_at > l.deadline_at or (l.replied_at is null and l.deadline_at <= now())) as overdue
      from letters l
      left join mailboxes m on m.id = l.body->'mailbox'->>'id'
      left join surveys s on s.letter_id = l.id
      where l.received_at >= (select min(d) from unnest(${days}::date[]) d)::timestamp at time zone 'Asia/Shanghai'
        and l.received_at < ((select max(d) from unnest(${days}::date[]) d) + 1)::timestamp at time zone 'Asia/Shanghai'
        and (l.received_at at time zone 'Asia/Shanghai')::date = any(${days}::date[])
        and l.status <> 'rejected')
    insert into kpi_daily (grouping, day, key, received, replied, cycle_days_sum, cycle_days, closed, resolved, answered, satisfied, due, overdue)
    select g.grouping, lf.day, g.key, count(*), count(*) filter (where replied),
           coalesce(sum(cycle) filter (where replied), 0), coalesce(array_agg(cycle::real order by cycle) filter (where replied), '{}'),
           count(*) filter (where resolved is not null), count(*) filter (where resolved),
           count(*) filter (where answered), count(*) filter (where satisfied),
           count(*) filter (where due), count(*) filter (where overdue)
    from lf cross join lateral (values ('all', ''), ('channel', lf.channel), ('mailbox', lf.mailbox), ('mailboxLevel', lf.level),
      ('department', lf.department), ('kind', lf.kind), ('topic', lf.topic), ('region', lf.region)) as g(grouping, key)
    group by 1, 2, 3`.execute(db);
}

/** Recomputes up to `limit` marked days per transaction until none is left; answers how many days. */
export async function refreshDirtyDays(
  db: Db,
  opts: { limit?: number; within?: { from: string; to: string } } = {},
): Promise<number> {
  let total = 0;
  // Days another caller is recomputing are waited for, not skipped: a reader that skipped them would read the figures
  // from before the change (two requests of one page, or the KPI job, at the same moment).
  for (;;) {
    const n = await db.transaction().execute(async (tx) => {
      const r = await sql<{ day: string }>`
        delete from kpi_dirty_days where day in (
          select day from kpi_dirty_days
          where ${opts.within ? sql`day between ${opts.within.from}::date and ${opts.within.to}::date` : sql`true`}
          order by day limit ${opts.limit ?? 31} for update)
        returning to_char(day, 'YYYY-MM-DD') as day`.execute(tx);
      await recomputeDays(
        tx,
        r.rows.map((x) => x.day),
      );
      return r.rows.length;
    });
    total += n;
    if (n === 0) break;
  }
  if (total > 0) await sql`update kpi_state set refreshed_at = now() where id = 1`.execute(db);
  return total;
}

/** Marks the days of letters whose deadline passed unreplied since the last sweep. */
export async function sweepDeadlines(db: Db): Promise<number> {
  const r = await sql<{ n: string }>`
    with s as (select deadlines_swept_to as since, now() as until from kpi_state where id = 1 for update),
    marked as (
      insert into kpi_dirty_days (day)
      select distinct (l.received_at at time zone 'Asia/Shanghai')::date from letters l, s
      where l.deadline_at > s.since and l.deadline_at <= s.until and l.replied_at is null
      on conflict do nothing returning 1),
    moved as (update kpi_state set deadlines_swept_to = (select until from s) where id = 1 returning 1)
    select (select count(*) from marked) as n, (select count(*) from moved) as m`.execute(db);
  return Number(r.rows[0]?.n ?? 0);
}

/** Marks every day that has letters and recomputes them all (after a change of definitions or directory levels). */
export async function rebuildFacts(db: Db): Promise<number> {
  await sql`
    insert into kpi_dirty_days (day)
    select distinct (received_at at time zone 'Asia/Shanghai')::date from letters
    union select day from kpi_daily
    on conflict do nothing`.execute(db);
  return refreshDirtyDays(db, { limit: 31 });
}
