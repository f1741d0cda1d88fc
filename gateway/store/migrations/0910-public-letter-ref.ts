// The published letters' opaque reference (gateway/disclosure/routes.ts: publishedLetterRows), by which the
// mini-program's board opens one letter without the letter's id being made public: indexed for that lookup.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create index public_letters_ref on public_letters ((left(md5('public-letter:' || letter_id::text), 20)))
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index if exists public_letters_ref`.execute(db);
}
