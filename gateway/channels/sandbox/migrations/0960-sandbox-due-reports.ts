// The simulated Aliyun delivery report is kept with its call until it has been pushed: the report waiting and when
// it is due, so a report survives a restart and is pushed (at least once) by whichever instance sweeps next.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table sandbox_provider_calls add column report_pending jsonb, add column report_due_at timestamptz;
    create index sandbox_provider_calls_report_due on sandbox_provider_calls (report_due_at) where report_due_at is not null;
  `.execute(db);
}
