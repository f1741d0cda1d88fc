// Held messages are no longer only submit confirmations waiting for a receipt: a draft's "keep writing" notice is
// held too, and dropped when the draft is submitted first. Both name the draft by its first message; the column is
// renamed after what it holds (a rename touches only the catalogue, not the rows).
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table deliveries rename column superseded_by_receipt_of to held_for_draft;
    alter index deliveries_held_for_receipt rename to deliveries_held_for_draft;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter index deliveries_held_for_draft rename to deliveries_held_for_receipt;
    alter table deliveries rename column held_for_draft to superseded_by_receipt_of;
  `.execute(db);
}
