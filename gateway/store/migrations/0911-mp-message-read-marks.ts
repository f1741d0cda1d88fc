// The message centre's per-message read marks: one row per message a citizen opened (beside the older "read until"
// mark, which still marks everything up to a time read at once).
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table mp_message_read_marks (
      openid text not null,
      message_id text not null,
      read_at timestamptz not null default now(),
      primary key (openid, message_id)
    );
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table if exists mp_message_read_marks`.execute(db);
}
