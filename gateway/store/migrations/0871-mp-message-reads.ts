// The mini-program's message centre: how far each citizen has read (everything newer is marked unread).
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table mp_message_reads (
      openid text primary key,
      read_until timestamptz not null,
      updated_at timestamptz not null default now()
    );
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table if exists mp_message_reads`.execute(db);
}
