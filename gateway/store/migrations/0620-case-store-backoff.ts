// Back-off towards the case store is told apart from a claim's lease: a letter or event waiting out a back-off has
// `backoff_until` equal to its next try, so when the case store answers again every such row can be made due at once
// without touching rows another instance is posting right now (their next try is the lease, not the back-off).
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table letters add column forward_backoff_until timestamptz;
    alter table case_events add column backoff_until timestamptz;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table letters drop column forward_backoff_until;
    alter table case_events drop column backoff_until;
  `.execute(db);
}
