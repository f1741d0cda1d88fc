// Stores inbound messages durably in one statement (the official account must answer WeChat within 5 s, the SMS push
// endpoint acknowledges a thousand items at once), skipping any seen before, and marks their senders due.
import { sql } from 'kysely';
import type { Db } from '../store/db.js';
import type { InboundMessage } from './types.js';
import { cleanText } from '../../shared/text.js';

export async function storeInbound(
  db: Db,
  messages: InboundMessage[],
): Promise<{ accepted: number; duplicates: number; withMedia: boolean }> {
  if (messages.length === 0) return { accepted: 0, duplicates: 0, withMedia: false };
  // Repeats inside one call are dropped here; repeats across calls (and concurrent calls) by the unique index.
  const unique = [...new Map(messages.map((m) => [`${m.channel}\u0000${m.providerMessageId}`, m])).values()];
  const col = <T>(f: (m: InboundMessage) => T) => unique.map(f);
  // PostgreSQL text and jsonb hold neither U+0000 nor an unpaired surrogate: channels clean at their door, and this
  // keeps a message from any channel storable by the same rule.
  const json = (m: InboundMessage) => JSON.stringify(m, (_, v: unknown) => (typeof v === 'string' ? cleanText(v) : v));
  const r = await sql<{ n: string; media: string }>`
    with input as (
      select * from unnest(${col((m) => m.channel)}::text[], ${col((m) => cleanText(m.senderId))}::text[],
                           ${col((m) => cleanText(m.providerMessageId))}::text[], ${col((m) => toIso(m.receivedAt))}::timestamptz[],
                           ${col((m) => m.type)}::text[], ${col(json)}::jsonb[],
                           ${col((m) => (m.media ? 'pending' : null))}::text[])
        with ordinality as t(channel, sender_id, provider_message_id, received_at, type, message, media_state, ord)
    ), inserted as (
      insert into conversation_messages (channel, sender_id, provider_message_id, received_at, type, message, media_state, media_next_at)
      select channel, sender_id, provider_message_id, received_at, type, message, media_state,
             case when media_state is not null then now() end
      from input order by ord
      on conflict (channel, provider_message_id) do nothing
      returning channel, sender_id, media_state
    ), senders as (
      insert into conversation_senders (channel, sender_id, due_at, inbox_version)
      select distinct channel, sender_id, now(), 1 from inserted order by channel, sender_id
      on conflict (channel, sender_id) do update
        set due_at = now(), inbox_version = conversation_senders.inbox_version + 1
    )
    select count(*) as n, count(media_state) as media from inserted`.execute(db);
  const accepted = Number(r.rows[0]?.n ?? 0);
  return { accepted, duplicates: messages.length - accepted, withMedia: Number(r.rows[0]?.media ?? 0) > 0 };
}

function toIso(d: Date | string): string {
  const date = d instanceof Date ? d : new Date(d);
  // A channel handing over an unreadable time must not lose the message: the time of arrival stands in.
  return Number.isNaN(date.getTime()) ? new Date().toISOString() : date.toISOString();
}
