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
  // Statistics already gathered would stay in use for good: the column is never analysed again. PostgreSQL 18 lets the
  // table's owner clear them; before 18 only a superuser can (pg_statistic). A server where the gateway's role cannot
  // gets the targets all the same, and the gateway warns at every start until someone clears them
  // (store/stale-statistics.ts; README, Real PostgreSQL).
  const can = await sql<{ clear: boolean; superuser: boolean }>`
    select exists (select 1 from pg_proc where proname = 'pg_clear_attribute_stats') as clear,
           coalesce((select rolsuper from pg_roles where rolname = current_user), false) as superuser`.execute(db);
  const { clear = false, superuser = false } = can.rows[0] ?? {};
  for (const [table, column] of queueStateColumns) {
    await sql`alter table ${sql.table(table)} alter column ${sql.ref(column)} set statistics 0`.execute(db);
    if (clear) await sql`select pg_clear_attribute_stats(current_schema(), ${table}, ${column}, false)`.execute(db);
    else if (superuser)
      await sql`
        delete from pg_statistic s using pg_attribute a
        where a.attrelid = format('%I.%I', current_schema(), ${table}::text)::regclass and a.attname = ${column}
          and s.starelid = a.attrelid and s.staattnum = a.attnum`.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const [table, column] of queueStateColumns)
    await sql`alter table ${sql.table(table)} alter column ${sql.ref(column)} set statistics -1`.execute(db);
}
