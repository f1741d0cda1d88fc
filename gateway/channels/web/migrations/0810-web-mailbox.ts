// The web mailbox's tables (migration 0810): drafts, verification codes, rate counters.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table web_drafts (
      id uuid primary key,
      content jsonb not null,
      oa_openid text,
      letter_id uuid references letters(id),
      created_at timestamptz not null default now()
    );
    create index web_drafts_created on web_drafts (created_at);
    create table web_phone_codes (
      phone_hash text primary key,
      code_hash text not null,
      attempts int not null default 0,
      sent_at timestamptz not null,
      expires_at timestamptz not null
    );
    create table web_rate_counts (
      key text not null,
      window_start timestamptz not null,
      hits int not null,
      primary key (key, window_start)
    );
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table if exists web_rate_counts; drop table if exists web_phone_codes; drop table if exists web_drafts;`.execute(
    db,
  );
}
