// A survey the case store withdraws (the letter is being handled again, or the survey was started by mistake): when
// and why, next to the answer and expiry columns. The state column is free text, so `withdrawn` needs no change there.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // The index finds a citizen's withdrawn survey when they answer it anyway (surveys/withdraw.ts), as
  // surveys_open_recipient does for open ones.
  await sql`
    alter table surveys add column withdrawn_at timestamptz, add column withdrawn_reason text;
    create index surveys_withdrawn_recipient on surveys (channel, recipient) where state = 'withdrawn';
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop index if exists surveys_withdrawn_recipient;
    alter table surveys drop column if exists withdrawn_at, drop column if exists withdrawn_reason;
  `.execute(db);
}
