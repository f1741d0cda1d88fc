// Fixed-window counters in PostgreSQL, so every instance counts the same attempts (progress-query brute force).
import { sql } from 'kysely';
import type { Db } from '../store/db.js';

const windowStart = (windowSeconds: number) =>
  new Date(Math.floor(Date.now() / 1000 / windowSeconds) * windowSeconds * 1000);

/** Adds one to the bucket's current window and returns the new count. */
export async function hit(db: Db, bucket: string, windowSeconds: number): Promise<number> {
  const r = await sql<{ count: number }>`
    insert into mp_rate_limits (bucket, window_start, count) values (${bucket}, ${windowStart(windowSeconds)}, 1)
    on conflict (bucket, window_start) do update set count = mp_rate_limits.count + 1
    returning count`.execute(db);
  return r.rows[0]!.count;
}

export async function current(db: Db, bucket: string, windowSeconds: number): Promise<number> {
  const row = await db
    .selectFrom('mp_rate_limits')
    .select('count')
    .where('bucket', '=', bucket)
    .where('window_start', '=', windowStart(windowSeconds))
    .executeTakeFirst();
  return row?.count ?? 0;
}

export async function purgeRateLimits(db: Db): Promise<void> {
  await db
    .deleteFrom('mp_rate_limits')
    .where('window_start', '<', new Date(Date.now() - 2 * 86_400_000))
    .execute();
}
