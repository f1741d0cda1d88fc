// Satisfaction surveys: at most one per letter, from trigger to answer or expiry.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table surveys (
      id uuid primary key,
      letter_id uuid not null unique references letters(id),
      channel text not null,
      recipient text not null,
      trigger text not null,
      state text not null default 'open',
      created_at timestamptz not null default now(),
      expires_at timestamptz not null,
      remind_at timestamptz,
      reminded_at timestamptz,
      score int,
      reason text,
      reopen boolean,
      answered_at timestamptz,
      answer_channel text,
      expired_at timestamptz
    );
    create index surveys_open_recipient on surveys (channel, recipient) where state = 'open';
    create index surveys_due on surveys (expires_at) where state = 'open';
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table if exists surveys`.execute(db);
}
