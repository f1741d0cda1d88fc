// A sender's claim carries a number that every claim increments: a conversation pass writes only while the sender
// still carries the number it claimed with, so a pass that outlived its lease (a slow machine) and was taken over by
// another instance writes nothing — no message, draft or answer is handled twice.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table conversation_senders add column claim bigint not null default 0`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table conversation_senders drop column if exists claim`.execute(db);
}
