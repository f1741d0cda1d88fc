// Statistics select letters by when they were received (GET /api/v1/stats, the staff console); without this index
// every call reads the whole letters table. Deliveries and surveys are reached from those letters through their
// existing letter_id indexes. An SMS answer looks up surveys that reached the phone by SMS fallback by that phone.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create index letters_received on letters (received_at);
    create index deliveries_survey_by_sms on deliveries ((plan -> plan_step ->> 'recipient')) where kind = 'survey' and route = 'sms';
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index letters_received; drop index deliveries_survey_by_sms`.execute(db);
}
