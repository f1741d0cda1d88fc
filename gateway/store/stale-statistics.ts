// Columns that hold a queue's state have no planner statistics (migration 1080-queue-statistics): statistics
// gathered when next to nothing was queued make the claims read their whole queue once per row claimed. On
// PostgreSQL 18 the migration clears what was gathered before; on an older server only a superuser can, so a gateway
// whose role is not one finds them still there and says so at every start, with the statement that clears them.
import { sql } from 'kysely';
import type { Db } from './db.js';

/** Run once by a superuser in the gateway's database: removes the statistics of every column set to have none. */
export const clearStaleStatisticsSql =
  'delete from pg_statistic s using pg_attribute a ' +
  'where s.starelid = a.attrelid and s.staattnum = a.attnum and a.attstattarget = 0';

/** Columns of the gateway's schema set to have no statistics that still have some, as `table.column`. */
export async function staleStatistics(db: Db): Promise<string[]> {
  const r = await sql<{ name: string }>`
    select distinct s.tablename || '.' || s.attname as name
    from pg_stats s
    join pg_attribute a on a.attrelid = format('%I.%I', s.schemaname, s.tablename)::regclass and a.attname = s.attname
    where s.schemaname = current_schema() and a.attstattarget = 0
    order by 1`.execute(db);
  return r.rows.map((x) => x.name);
}
