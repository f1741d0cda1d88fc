// An SMS answer finds the surveys that reached the sender's phone whatever channel's route carried them (a letter's
// own SMS route, a fallback to the phone, the web mailbox's SMS): the index covers every survey delivery by its
// recipient, not only those on a route of one name.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create index deliveries_survey_by_recipient on deliveries ((plan -> plan_step ->> 'recipient')) where kind = 'survey';
    drop index deliveries_survey_by_sms;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    create index deliveries_survey_by_sms on deliveries ((plan -> plan_step ->> 'recipient')) where kind = 'survey' and route = 'sms';
    drop index deliveries_survey_by_recipient;
  `.execute(db);
}
