// Housekeeping for the conversation tables, run by the hourly cleanup job: the query rate-limit log is only needed
// for its window, and handled messages only until provider retries are long over (a submitted letter keeps its raw
// sources in source_messages).
import { sql } from 'kysely';
import type { Db } from '../store/db.js';

export async function cleanupConversation(db: Db, retentionDays: number): Promise<void> {
  await sql`delete from conversation_command_events where at < now() - interval '1 day'`.execute(db);
  await sql`
    delete from conversation_messages m
    where m.created_at < now() - make_interval(days => ${retentionDays})
      and (m.state = 'command'
           or exists (select 1 from conversation_drafts d where d.id = m.draft_id and d.state = 'submitted'))`.execute(
    db,
  );
  await sql`
    delete from conversation_drafts d
    where d.state = 'submitted' and d.closed_at < now() - make_interval(days => ${retentionDays})
      and not exists (select 1 from conversation_messages m where m.draft_id = d.id)`.execute(db);
}
