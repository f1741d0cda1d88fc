// 追问 / 补充材料: what a citizen adds to an open letter from the mini-program, once per client key (a retried post
// after a lost answer stores and forwards nothing twice), forwarded to the case store as a `letter.followup` event.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table mp_followups (
      id uuid primary key,
      letter_id uuid not null references letters(id),
      openid text not null,
      client_key text not null,
      text text not null,
      attachment_ids text[] not null default '{}',
      created_at timestamptz not null default now(),
      unique (openid, client_key)
    );
    create index mp_followups_letter on mp_followups (letter_id, created_at);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table if exists mp_followups`.execute(db);
}
