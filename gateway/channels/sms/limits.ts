// Provider limits held across every gateway instance through shared counters in PostgreSQL: sends per second (one
// row per second of the database clock) and sends per number per day (Asia/Shanghai). Two instances therefore
// never double the rate. https://help.aliyun.com/document_detail/2881383.html (flow control)
import { sql } from 'kysely';
import type { Db } from '../../store/db.js';

export interface SmsLimits {
  /** Takes one of today's sends for `phone`; false when the number has had its cap. */
  takeDaily(phone: string): Promise<boolean>;
  /** Takes a send slot, waiting up to `maxWaitMs` for the next second; false when none came free. */
  takeSlot(maxWaitMs: number): Promise<boolean>;
  /** Removes counters nobody will read again. */
  prune(): Promise<void>;
}

export function createSmsLimits(db: Db, o: { perSecond: number; dailyPerNumber: number }): SmsLimits {
  return {
    async takeDaily(phone) {
      if (o.dailyPerNumber <= 0) return true;
      const r = await sql<{ sends: number }>`
        insert into sms_daily_counts (phone, day, sends)
        values (${phone}, (now() at time zone 'Asia/Shanghai')::date, 1)
        on conflict (phone, day) do update set sends = sms_daily_counts.sends + 1
        where sms_daily_counts.sends < ${o.dailyPerNumber}
        returning sends`.execute(db);
      return r.rows.length > 0;
    },
    async takeSlot(maxWaitMs) {
      if (o.perSecond <= 0) return true;
      const until = Date.now() + maxWaitMs;
      for (;;) {
        const r = await sql<{ wait_ms: number | null }>`
          with now as (select extract(epoch from clock_timestamp()) as t),
          taken as (
            insert into sms_rate_buckets (second, sends) select floor(t)::bigint, 1 from now
            on conflict (second) do update set sends = sms_rate_buckets.sends + 1
            where sms_rate_buckets.sends < ${o.perSecond}
            returning second)
          select case when exists (select 1 from taken) then null
                      else ceil((1 - (t - floor(t))) * 1000)::int end as wait_ms from now`.execute(db);
        const wait = r.rows[0]?.wait_ms ?? null;
        if (wait === null) return true;
        if (Date.now() + wait > until) return false;
        // Spread the waiters a little so they do not all hit the next second's row at its first millisecond.
        await new Promise((res) => setTimeout(res, wait + Math.floor(Math.random() * 20)));
      }
    },
    async prune() {
      await sql`delete from sms_rate_buckets where second < extract(epoch from now())::bigint - 3600`.execute(db);
      await sql`delete from sms_daily_counts where day < (now() at time zone 'Asia/Shanghai')::date - 2`.execute(db);
    },
  };
}

/** Milliseconds until the next midnight in Asia/Shanghai, when the daily caps reset. */
export function msUntilShanghaiMidnight(now = new Date()): number {
  const shanghai = now.getTime() + 8 * 3600_000;
  const next = (Math.floor(shanghai / 86_400_000) + 1) * 86_400_000;
  return next - shanghai + 1000;
}
