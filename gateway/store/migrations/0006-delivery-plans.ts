// Delivery plans: the ordered routes (possibly on another channel, e.g. SMS) computed when a message is first sent,
// the step it is on, and the channel of each attempt.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table deliveries add column plan jsonb, add column plan_step int not null default 0;
    alter table delivery_attempts add column channel text;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table deliveries drop column plan, drop column plan_step;
    alter table delivery_attempts drop column channel;
  `.execute(db);
}
