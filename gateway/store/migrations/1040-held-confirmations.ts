// A draft's submit confirmation ("已收到您的来信…，稍后发送受理流水号") may be held back for a few seconds
// (CONVERSATION_CONFIRM_HOLD_SECONDS): when the letter's receipt is queued first, the receipt says all the
// confirmation would have said and the confirmation is dropped unsent — one message per letter fewer. The held message
// names the letter it stands for by its first source message (the letter id does not exist yet when it is queued).
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table deliveries add column superseded_by_receipt_of text;
    create index deliveries_held_for_receipt on deliveries (channel, superseded_by_receipt_of)
      where superseded_by_receipt_of is not null and status = 'queued';
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop index if exists deliveries_held_for_receipt;
    alter table deliveries drop column if exists superseded_by_receipt_of;
  `.execute(db);
}
