// Statistics select letters by when they were received (GET /api/v1/stats, the staff console); without this index
// every call reads the whole letters table. Deliveries and surveys are reached from those letters through their
// existing letter_id indexes.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index letters_received on letters (received_at)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index letters_received`.execute(db);
}
