// Letters the case store registers (hotline calls, counter visits, paper mail) for SMS follow-up: which API key
// registered each one (the batch survey call may only touch its own), a fingerprint of what was registered (the same
// serial again with other content is refused), and the evening survey batches with their letters.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table registered_letters (
      letter_id uuid primary key references letters(id),
      serial text not null unique,
      api_key_id uuid not null,
      origin text not null,
      content_hash text not null,
      created_at timestamptz not null default now()
    );
    create index registered_letters_key on registered_letters (api_key_id);

    create table survey_batches (
      id uuid primary key,
      api_key_id uuid not null,
      letter_ids uuid[] not null,
      created_at timestamptz not null default now()
    );
    create index survey_batches_created on survey_batches (created_at desc);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table if exists survey_batches; drop table if exists registered_letters;`.execute(db);
}
