// The health gauges read the oldest letter waiting to be forwarded and the oldest queued delivery at every scrape:
// one index step each instead of a scan of the whole backlog.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index letters_pending_received on letters (received_at) where forward_state = 'pending'`.execute(db);
  await sql`create index deliveries_queued_created on deliveries (created_at) where status in ('queued', 'sending')`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index if exists letters_pending_received; drop index if exists deliveries_queued_created`.execute(db);
}
