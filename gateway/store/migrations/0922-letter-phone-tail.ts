// The last four digits of a letter's phone, kept beside the encrypted phone so that staff can still find a letter by
// the digits a citizen reads out on the hotline: four digits name no one, and the full number stays encrypted.
// Letters stored before this column keep it empty (their phones are encrypted; `npm run pii:rotate` does not fill it).
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table letters add column citizen_phone_tail text;
    create index letters_citizen_phone_tail on letters (citizen_phone_tail) where citizen_phone_tail is not null;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table letters drop column if exists citizen_phone_tail`.execute(db);
}
