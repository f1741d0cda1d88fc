// Who set an opt-out: the citizen's own 退订 (`command`) stays until they send 订阅; an unfollow of the official
// account (`unfollow`) is lifted when they follow again. Earlier opt-outs cannot be told apart and count as the
// citizen's own.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table citizen_preferences add column opt_out_source text;
    update citizen_preferences set opt_out_source = 'command' where opted_out_at is not null;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table citizen_preferences drop column opt_out_source`.execute(db);
}
