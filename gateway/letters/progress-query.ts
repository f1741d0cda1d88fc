// Progress queries by serial and extraction code, for every channel: the citizen who wrote the letter (same channel
// identity) is answered without the code and never refused; anyone else spends from three shared budgets of wrong
// tries per hour — per serial (across all channels), per sender, and overall — reserved atomically BEFORE the code is
// compared and given back when it was right. A serial that does not exist and a wrong code look the same.
import { createHash, timingSafeEqual } from 'node:crypto';
import { sql } from 'kysely';
import type { Config } from '../../config/settings.js';
import type { Db } from '../store/db.js';
import type { LetterStatus } from '../store/tables.js';

/** Who asks: the channel and its user id (openid or E.164 phone), as letters record their citizen. */
export interface QueryRequester {
  channel: string;
  id: string;
}

export interface FoundLetter {
  id: string;
  serial: string;
  status: LetterStatus;
}

export type ProgressLookup =
  | { outcome: 'found'; letter: FoundLetter; owner: boolean }
  | { outcome: 'not_found' }
  | { outcome: 'limited'; scope: LimitScope; retryAfterSeconds: number };

export type LimitScope = 'serial' | 'sender' | 'global';

const windowSeconds = 3600;

/** The letter with this serial when `requester` wrote it, else undefined (whether or not the serial exists). */
export async function findOwnLetter(
  db: Db,
  serial: string,
  requester: QueryRequester,
): Promise<FoundLetter | undefined> {
  const row = await db
    .selectFrom('letters')
    .select(['id', 'serial', 'status'])
    .where('serial', '=', serial.toUpperCase())
    .where('channel', '=', requester.channel)
    .where('citizen_id', '=', requester.id)
    .executeTakeFirst();
  return row?.serial ? { id: row.id, serial: row.serial, status: row.status } : undefined;
}

export async function lookupProgress(
  db: Db,
  config: Config,
  q: { serial: string; code: string; requester: QueryRequester },
): Promise<ProgressLookup> {
  const serial = q.serial.toUpperCase();
  const own = await findOwnLetter(db, serial, q.requester);
  if (own) return { outcome: 'found', letter: own, owner: true };

  const reserved = await reserve(db, [
    { bucket: `serial:${serial}`, cap: config.QUERY_FAILURES_PER_SERIAL, scope: 'serial' },
    {
      bucket: `sender:${q.requester.channel}:${q.requester.id}`,
      cap: config.QUERY_FAILURES_PER_SENDER,
      scope: 'sender',
    },
    { bucket: 'global', cap: config.QUERY_FAILURES_PER_HOUR, scope: 'global' },
  ]);
  if (!reserved.ok) return { outcome: 'limited', scope: reserved.scope, retryAfterSeconds: reserved.retryAfterSeconds };

  const row = await db
    .selectFrom('letters')
    .select(['id', 'serial', 'status', 'extraction_code'])
    .where('serial', '=', serial)
    .executeTakeFirst();
  // Digests of equal length are compared whether or not the serial exists, so the time taken tells nothing either.
  const matches =
    timingSafeEqual(digest(row?.extraction_code ?? 'no such letter'), digest(q.code)) && row?.serial != null;
  if (!matches || !row.serial) return { outcome: 'not_found' };
  await release(db, reserved);
  return { outcome: 'found', letter: { id: row.id, serial: row.serial, status: row.status }, owner: false };
}

/** Drops budgets whose hour is long over. */
export async function purgeQueryBudgets(db: Db): Promise<void> {
  await sql`delete from query_budgets where window_start < now() - interval '1 day'`.execute(db);
}

const digest = (s: string) => createHash('sha256').update(s).digest();

interface Budget {
  bucket: string;
  cap: number;
  scope: LimitScope;
}

// windowStart as PostgreSQL's text, keeping its microseconds for the exact match on release.
type Reservation =
  | { ok: true; taken: { bucket: string; windowStart: string }[] }
  | { ok: false; scope: LimitScope; retryAfterSeconds: number };

class BudgetSpent extends Error {
  constructor(
    readonly scope: LimitScope,
    readonly retryAfterSeconds: number,
  ) {
    super(`query budget spent: ${scope}`);
  }
}

/**
 * Takes one try from every budget or from none: each is a conditional upsert (a budget's hour starts with the first
 * try counted in it), in a short transaction of its own — never the caller's — and always in the same order, so
 * parallel reservations neither overspend nor deadlock.
 */
async function reserve(db: Db, budgets: Budget[]): Promise<Reservation> {
  try {
    const taken = await db.transaction().execute(async (tx) => {
      const rows: { bucket: string; windowStart: string }[] = [];
      for (const b of budgets) {
        const r = await sql<{ window_start: string }>`
          insert into query_budgets as q (bucket, window_start, used) values (${b.bucket}, now(), 1)
          on conflict (bucket) do update set
            used = case when q.window_start <= now() - make_interval(secs => ${windowSeconds}) then 1 else q.used + 1 end,
            window_start = case when q.window_start <= now() - make_interval(secs => ${windowSeconds}) then now() else q.window_start end
          where q.window_start <= now() - make_interval(secs => ${windowSeconds}) or q.used < ${b.cap}
          returning window_start::text as window_start`.execute(tx);
        const row = r.rows[0];
        if (!row) {
          const left = await sql<{ s: number }>`
            select ceil(extract(epoch from window_start + make_interval(secs => ${windowSeconds}) - now()))::int as s
            from query_budgets where bucket = ${b.bucket}`.execute(tx);
          throw new BudgetSpent(b.scope, Math.max(1, left.rows[0]?.s ?? windowSeconds));
        }
        rows.push({ bucket: b.bucket, windowStart: row.window_start });
      }
      return rows;
    });
    return { ok: true, taken };
  } catch (err) {
    if (err instanceof BudgetSpent) return { ok: false, scope: err.scope, retryAfterSeconds: err.retryAfterSeconds };
    throw err;
  }
}

/** Gives a right guess's try back to each budget, unless that budget's hour has started over since. */
async function release(db: Db, r: Extract<Reservation, { ok: true }>): Promise<void> {
  for (const t of r.taken) {
    await sql`update query_budgets set used = greatest(used - 1, 0) where bucket = ${t.bucket} and window_start = ${t.windowStart}::timestamptz`.execute(
      db,
    );
  }
}
