// The columns that say where a row stands in a queue (a letter to forward, a message to send, an event to post…) get
// no planner statistics. A row passes through such a state in seconds and then stays done for good, so statistics
// gathered at any moment say that next to no row is pending, and the partial indexes over the pending rows look
// empty. The planner then walks a whole "empty" index inside a loop over another one: with 2,000 receipts queued by a
// burst, the sender's claim of 200 read 1.2 million pages (6,000 queued: five seconds a claim, and the pipeline fell
// to a third of its pace). Without statistics these states get the planner's default estimates, under which it
// finds a citizen's earlier messages by the citizen, or reads the queued ones once.
import { sql, type Kysely } from 'kysely';

const queueStateColumns = [
  ['letters', 'forward_state'],
  ['deliveries', 'status'],
  ['case_events', 'state'],
  ['conversation_messages', 'state'],
  ['conversation_messages', 'media_state'],
  ['conversation_drafts', 'state'],
  ['warning_alerts', 'wecom_state'],
] as const;

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const [table, column] of queueStateColumns) {
    await sql`alter table ${sql.table(table)} alter column ${sql.ref(column)} set statistics 0`.execute(db);
    // Statistics already gathered would stay in use until the column is analysed again, which it no longer is.
    await sql`select pg_clear_attribute_stats(current_schema(), ${table}, ${column}, false)`.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const [table, column] of queueStateColumns)
    await sql`alter table ${sql.table(table)} alter column ${sql.ref(column)} set statistics -1`.execute(db);
}
