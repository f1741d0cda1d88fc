// An SMS uplink item whose text had to be cleaned (NUL, unpaired surrogates) keeps the item exactly as the provider
// sent it, as JSON text (escapes spelled out, so PostgreSQL can hold it), for staff to read.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table sms_uplinks add column if not exists raw_text text`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table sms_uplinks drop column if exists raw_text`.execute(db);
}
