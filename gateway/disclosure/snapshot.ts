// The public snapshot: the figures of the current month and the eleven before it, per department and per mailbox,
// from the KPI fact table (kpi_daily, kept current by the KPI job), protected (suppress.ts) against the states
// published before, stored with those states in one transaction under a lock, so instances refreshing at once
// publish one consistent sequence of snapshots.
import { sql } from 'kysely';
import type { Db } from '../store/db.js';
import { messages } from './messages.zh-CN.js';
import {
  countMeasures,
  protectPeriod,
  type CellState,
  type Measure,
  type PublishedTable,
  type TrueTable,
} from './suppress.js';

export const publicGroupings = ['department', 'mailbox'] as const;

export interface PublicPeriod {
  period: string;
  from: string;
  to: string;
  tables: Record<string, PublishedTable & { labels: Record<string, string> }>;
}

export interface PublicSnapshot {
  refreshedAt: string;
  threshold: number;
  periods: PublicPeriod[];
}

const monthStart = (d: Date, back: number) => {
  const local = new Date(d.getTime() + 8 * 3600_000);
  return new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth() - back, 1));
};
const iso = (d: Date) => d.toISOString().slice(0, 10);

export async function refreshPublicSnapshot(
  db: Db,
  threshold: number,
  now = new Date(),
  months = 12,
): Promise<PublicSnapshot> {
  return db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(hashtext('public-snapshot'))`.execute(trx);
    const names = await sql<{ id: string; name: string }>`select id, name from mailboxes`.execute(trx);
    const mailboxNames = Object.fromEntries(names.rows.map((r) => [r.id, r.name]));
    const periods: PublicPeriod[] = [];
    for (let back = 0; back < months; back++) {
      const start = monthStart(now, back);
      const end = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 0));
      const period = iso(start).slice(0, 7);
      const rows = await sql<{ grouping: string; key: string } & Record<Measure, number>>`
        select grouping, key, sum(received)::int received, sum(replied)::int replied, sum(closed)::int closed,
               sum(answered)::int answered, sum(satisfied)::int satisfied, sum(due)::int due, sum(overdue)::int overdue
        from kpi_daily where grouping in ('department', 'mailbox') and day between ${iso(start)}::date and ${iso(end)}::date
        group by 1, 2`.execute(trx);
      if (rows.rows.length === 0) continue;
      const truth = new Map<string, TrueTable>(publicGroupings.map((g) => [g, new Map()]));
      for (const r of rows.rows) {
        truth
          .get(r.grouping)!
          .set(r.key, Object.fromEntries(countMeasures.map((m) => [m, r[m]])) as Record<Measure, number>);
      }
      const stored = await sql<{ grouping: string; key: string; measure: string; value: number; hidden: boolean }>`
        select grouping, key, measure, value, hidden from public_cells where period = ${period}`.execute(trx);
      const previous = new Map<string, Map<string, CellState>>();
      for (const c of stored.rows) {
        const m = previous.get(c.grouping) ?? new Map<string, CellState>();
        m.set(`${c.key}\u0000${c.measure}`, { value: c.value, hidden: c.hidden });
        previous.set(c.grouping, m);
      }
      const r = protectPeriod(truth, previous, threshold);
      const cells = [...r.states].flatMap(([grouping, st]) =>
        [...st].map(([k, c]) => {
          const [key, measure] = k.split('\u0000') as [string, string];
          return { period, grouping, key, measure, value: c.value, hidden: c.hidden };
        }),
      );
      for (let i = 0; i < cells.length; i += 1000) {
        const chunk = cells.slice(i, i + 1000);
        await sql`
          insert into public_cells (period, grouping, key, measure, value, hidden)
          values ${sql.join(chunk.map((c) => sql`(${c.period}, ${c.grouping}, ${c.key}, ${c.measure}, ${c.value}, ${c.hidden})`))}
          on conflict (period, grouping, key, measure) do update set value = excluded.value, hidden = excluded.hidden`.execute(
          trx,
        );
      }
      const tables: PublicPeriod['tables'] = {};
      for (const [grouping, table] of r.tables) {
        const labels = Object.fromEntries(
          table.groups.map((g) => [
            g.key,
            g.key === ''
              ? messages['public.unassigned']
              : grouping === 'mailbox'
                ? (mailboxNames[g.key] ?? g.key)
                : g.key,
          ]),
        );
        tables[grouping] = { ...table, labels };
      }
      periods.push({ period, from: iso(start), to: iso(end), tables });
    }
    const snapshot: PublicSnapshot = { refreshedAt: now.toISOString(), threshold, periods };
    await sql`
      insert into public_snapshot (id, refreshed_at, body) values (1, ${now}, ${JSON.stringify(snapshot)})
      on conflict (id) do update set refreshed_at = excluded.refreshed_at, body = excluded.body`.execute(trx);
    return snapshot;
  });
}

export async function latestSnapshot(db: Db): Promise<PublicSnapshot | null> {
  const r = await sql<{ body: PublicSnapshot }>`select body from public_snapshot where id = 1`.execute(db);
  return r.rows[0]?.body ?? null;
}
