// Messages to one citizen go out in order: the dispatcher looks for earlier pending messages to the same recipient.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index deliveries_recipient_pending on deliveries (channel, recipient, seq) where status in ('queued', 'sending')`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index if exists deliveries_recipient_pending`.execute(db);
}
