// Events for the case store (delivery outcomes, survey answers): an outbox written in the same transaction as the
// change it reports, sent in order per letter, each with its own idempotency key.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table case_events (
      id uuid primary key,
      seq bigserial not null,
      letter_id uuid references letters(id),
      type text not null,
      payload jsonb not null,
      state text not null default 'pending',
      attempts int not null default 0,
      next_attempt_at timestamptz not null default now(),
      last_error text,
      created_at timestamptz not null default now(),
      sent_at timestamptz
    );
    create index case_events_due on case_events (next_attempt_at) where state = 'pending';
    create index case_events_letter on case_events (letter_id, seq);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table if exists case_events`.execute(db);
}
