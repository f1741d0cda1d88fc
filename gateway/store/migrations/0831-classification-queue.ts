// The classifier finds letters not yet classified (topic and region decided, evidence recorded) through this index;
// letters stored before the classifier existed are classified too, oldest first.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index letters_unclassified on letters (received_at) where classification_evidence is null`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index if exists letters_unclassified`.execute(db);
}
