// Gauges read from the rows at scrape time (every instance reports the same shared backlog): how long the oldest
// letter has waited to be forwarded, how long the oldest delivery has waited to go out, and the conversation backlog.
import client from 'prom-client';
import { sql } from 'kysely';
import type { Db } from '../store/db.js';
import type { Metrics } from './metrics.js';

export function registerBacklogGauges(metrics: Metrics, db: Db): void {
  const ageOf = (name: string, help: string, query: () => Promise<number | null>) =>
    new client.Gauge({
      name,
      help,
      registers: [metrics.registry],
      async collect() {
        // A scrape while the database is away reports no value rather than failing the whole scrape.
        this.set((await query().catch(() => null)) ?? 0);
      },
    });
  ageOf(
    'gateway_oldest_unforwarded_letter_age_seconds',
    'Age of the oldest letter waiting to be forwarded to the case store (0 when none)',
    async () => {
      const r = await sql<{ age: number | null }>`
      select extract(epoch from now() - min(received_at))::float8 as age from letters where forward_state = 'pending'`.execute(
        db,
      );
      return r.rows[0]?.age ?? null;
    },
  );
  ageOf(
    'gateway_oldest_queued_delivery_age_seconds',
    'Age of the oldest delivery waiting to go out (0 when none)',
    async () => {
      const r = await sql<{ age: number | null }>`
      select extract(epoch from now() - min(created_at))::float8 as age from deliveries where status in ('queued', 'sending')`.execute(
        db,
      );
      return r.rows[0]?.age ?? null;
    },
  );
  ageOf(
    'gateway_conversation_backlog',
    'Official-account and SMS messages received but not yet handled by the conversation module',
    async () => {
      const r = await sql<{
        n: number;
      }>`select count(*)::int as n from conversation_messages where state = 'pending'`.execute(db);
      return r.rows[0]?.n ?? 0;
    },
  );
}
