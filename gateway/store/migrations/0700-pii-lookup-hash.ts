// Encryption at rest of the letter's personal fields: the phone inside `letters.body` is stored encrypted, so lookups
// by phone use a keyed hash of it (privacy/pii-service.ts) kept beside the letter.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table letters add column citizen_phone_hash text;
    create index letters_citizen_phone_hash on letters (citizen_phone_hash) where citizen_phone_hash is not null;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index if exists letters_citizen_phone_hash; alter table letters drop column if exists citizen_phone_hash;`.execute(
    db,
  );
}
