// The progress of each case as the case store reports it, for timelines and progress queries.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table letter_status_history (
      id bigserial primary key,
      letter_id uuid not null references letters(id),
      status text not null,
      note text,
      at timestamptz not null default now()
    );
    create index letter_status_history_letter on letter_status_history (letter_id, id);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table if exists letter_status_history`.execute(db);
}
