// SMS verification codes: issued under three limits decided atomically in one transaction (resend interval per
// phone — the code row's own lock —, codes per phone per day, codes per client address per hour), stored only as a
// keyed hash, valid for a while, void after a few wrong entries, and used once.
import { randomInt } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../store/tables.js';
import type { WebTables } from './tables.js';

export interface CodeLimits {
  ttlSeconds: number;
  resendSeconds: number;
  perPhonePerDay: number;
  perAddressPerHour: number;
  maxAttempts: number;
}

export type IssueResult =
  | { ok: true; code: string }
  | { ok: false; reason: 'resend_wait' | 'phone_daily' | 'address_hourly'; waitSeconds?: number };
export type CheckResult =
  { ok: true } | { ok: false; reason: 'wrong'; attemptsLeft: number } | { ok: false; reason: 'void' };

class Refused extends Error {
  constructor(readonly result: IssueResult) {
    super('refused');
  }
}

export function createCodes(db: Kysely<Database & WebTables>, mac: (v: string) => string, l: CodeLimits) {
  const hashOf = (phoneHash: string, code: string) => mac(`code|${phoneHash}|${code}`);
  /** Takes one hit of a counter unless it has reached `limit` in its window; the row lock serialises takers. */
  const take = async (tx: Kysely<Database & WebTables>, key: string, window: 'hour' | 'day', limit: number) => {
    const start =
      window === 'hour'
        ? sql`date_trunc('hour', now())`
        : sql`((now() at time zone 'Asia/Shanghai')::date::timestamp at time zone 'Asia/Shanghai')`;
    const r = await sql<{ hits: number }>`
      insert into web_rate_counts (key, window_start, hits) values (${key}, ${start}, 1)
      on conflict (key, window_start) do update set hits = web_rate_counts.hits + 1 where web_rate_counts.hits < ${limit}
      returning hits`.execute(tx);
    return r.rows.length > 0;
  };

  return {
    async issue(phoneHash: string, address: string): Promise<IssueResult> {
      const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
      try {
        await db.transaction().execute(async (tx) => {
          // The resend interval first: parallel requests for one phone queue on its row and all but one stop here,
          // before they count against the phone's or the address's allowance.
          const row = await sql<{ ok: boolean }>`
            insert into web_phone_codes (phone_hash, code_hash, attempts, sent_at, expires_at)
            values (${phoneHash}, ${hashOf(phoneHash, code)}, 0, now(), now() + make_interval(secs => ${l.ttlSeconds}))
            on conflict (phone_hash) do update set code_hash = excluded.code_hash, attempts = 0, sent_at = excluded.sent_at, expires_at = excluded.expires_at
              where web_phone_codes.sent_at <= now() - make_interval(secs => ${l.resendSeconds})
            returning true as ok`.execute(tx);
          if (row.rows.length === 0) {
            const last = await tx
              .selectFrom('web_phone_codes')
              .select(
                sql<number>`ceil(extract(epoch from sent_at + make_interval(secs => ${l.resendSeconds}) - now()))::int`.as(
                  'wait',
                ),
              )
              .where('phone_hash', '=', phoneHash)
              .executeTakeFirst();
            throw new Refused({
              ok: false,
              reason: 'resend_wait',
              waitSeconds: Math.max(1, last?.wait ?? l.resendSeconds),
            });
          }
          if (!(await take(tx, `phone:${phoneHash}`, 'day', l.perPhonePerDay)))
            throw new Refused({ ok: false, reason: 'phone_daily' });
          if (!(await take(tx, `addr:${address}`, 'hour', l.perAddressPerHour)))
            throw new Refused({ ok: false, reason: 'address_hourly' });
        });
      } catch (err) {
        if (err instanceof Refused) return err.result;
        throw err;
      }
      return { ok: true, code };
    },

    /** A code whose SMS could not be sent is withdrawn, so the citizen may ask again at once. */
    async withdraw(phoneHash: string): Promise<void> {
      await db.deleteFrom('web_phone_codes').where('phone_hash', '=', phoneHash).execute();
    },

    async check(phoneHash: string, code: string): Promise<CheckResult> {
      // Counting the attempt and reading the hash is one statement, so parallel guesses cannot exceed the limit.
      const r = await sql<{ code_hash: string; attempts: number }>`
        update web_phone_codes set attempts = attempts + 1
        where phone_hash = ${phoneHash} and expires_at > now() and attempts < ${l.maxAttempts}
        returning code_hash, attempts`.execute(db);
      const row = r.rows[0];
      if (!row) return { ok: false, reason: 'void' };
      const hash = hashOf(phoneHash, code);
      if (row.code_hash !== hash) {
        const left = l.maxAttempts - row.attempts;
        return left > 0 ? { ok: false, reason: 'wrong', attemptsLeft: left } : { ok: false, reason: 'void' };
      }
      // Used once: of two parallel right answers only the one that deletes the row signs in.
      const used = await db
        .deleteFrom('web_phone_codes')
        .where('phone_hash', '=', phoneHash)
        .where('code_hash', '=', hash)
        .executeTakeFirst();
      return Number(used.numDeletedRows) === 1 ? { ok: true } : { ok: false, reason: 'void' };
    },

    async purge(): Promise<void> {
      await sql`delete from web_phone_codes where expires_at < now() - interval '1 day'`.execute(db);
      await sql`delete from web_rate_counts where window_start < now() - interval '2 days'`.execute(db);
    },
  };
}

export type Codes = ReturnType<typeof createCodes>;

/** One hit of an hourly counter (e.g. drafts per client address); false once `limit` is reached this hour. */
export async function takeHit(db: Kysely<Database & WebTables>, key: string, limit: number): Promise<boolean> {
  const r = await sql<{ hits: number }>`
    insert into web_rate_counts (key, window_start, hits) values (${key}, date_trunc('hour', now()), 1)
    on conflict (key, window_start) do update set hits = web_rate_counts.hits + 1 where web_rate_counts.hits < ${limit}
    returning hits`.execute(db);
  return r.rows.length > 0;
}
