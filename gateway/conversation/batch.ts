// One conversation pass over a whole claimed batch of senders in a few set-based statements, whatever its size: their
// pending messages and open drafts are read in two statements, every sender's messages are decided in arrival order
// and written in one transaction, due drafts are closed into letters together (close-many.ts), and every sender is
// released, with when it is due next, in one statement. Any failure leaves what was committed consistent (each step
// can be repeated), and the caller then handles the batch's senders one by one, which isolates a failing sender.
import { sql } from 'kysely';
import type { Config } from '../../config/settings.js';
import { newWrites, planMessages, flushWrites, type OpenDraft, type PendingMessage } from './apply.js';
import { closeDueDraftsOf } from './close-many.js';
import type { CloseDeps } from './close.js';
import type { ConversationChannel, InboundMessage } from './types.js';
import { yielder } from '../lib/yield.js';
import { holdClaims, senderKey as key, type SenderClaim } from './claims.js';

export interface ClaimedSender {
  channel: InboundMessage['channel'];
  sender_id: string;
  inbox_version: string;
  failures: number;
  /** The number this claim gave the sender: the pass writes only while the sender still carries it (claims.ts). */
  claim: string;
}

export interface BatchDeps extends CloseDeps {
  config: Config;
  channels: ReadonlyMap<string, ConversationChannel>;
  onQueued(): void;
}

const defaultPartChars = 500;

export async function processSenders(o: BatchDeps, senders: ClaimedSender[]): Promise<void> {
  const channels = senders.map((s) => s.channel);
  const ids = senders.map((s) => s.sender_id);
  const perPass = o.config.CONVERSATION_MESSAGES_PER_PASS;
  const rows = await sql<{
    id: string;
    channel: string;
    sender_id: string;
    created_at: Date;
    message: Record<string, unknown>;
    received_at: Date;
  }>`
    select m.id, m.channel, m.sender_id, m.created_at, m.message, m.received_at
    from unnest(${channels}::text[], ${ids}::text[]) as s(channel, sender_id)
    cross join lateral (
      select id, channel, sender_id, created_at, message, received_at from conversation_messages c
      where c.channel = s.channel and c.sender_id = s.sender_id and c.state = 'pending'
      order by c.id limit ${perPass}) m
    order by m.id`.execute(o.db);
  const pending = new Map<string, PendingMessage[]>();
  for (const r of rows.rows) {
    const list = pending.get(key(r.channel, r.sender_id)) ?? [];
    list.push({
      id: r.id,
      created_at: new Date(r.created_at),
      message: { ...(r.message as unknown as InboundMessage), receivedAt: new Date(r.received_at) },
    });
    pending.set(key(r.channel, r.sender_id), list);
  }
  const open = await sql<{ id: string; channel: string; sender_id: string; quiet_until: Date }>`
    select d.id, d.channel, d.sender_id, d.quiet_until from conversation_drafts d
    join unnest(${channels}::text[], ${ids}::text[]) as s(channel, sender_id)
      on d.channel = s.channel and d.sender_id = s.sender_id
    where d.state = 'open'`.execute(o.db);
  const drafts = new Map<string, OpenDraft>(
    open.rows.map((d) => [key(d.channel, d.sender_id), { id: d.id, quietUntil: new Date(d.quiet_until) }]),
  );

  const writes = newWrites();
  const breathe = yielder();
  await o.db.transaction().execute(async (tx) => {
    // A sender claimed again by another instance meanwhile (this pass outlived its lease) is that pass's to handle.
    const held = await holdClaims(tx, senders.map(claimOf));
    for (const s of senders) {
      await breathe();
      const k = key(s.channel, s.sender_id);
      if (!held.has(k)) continue;
      const messages = pending.get(k) ?? [];
      if (messages.length === 0 && !drafts.has(k)) continue;
      await planMessages(
        {
          tx,
          config: o.config,
          partChars: o.channels.get(s.channel)?.partChars ?? defaultPartChars,
          sender: {
            channel: s.channel,
            senderId: s.sender_id,
            isPhone: o.channels.get(s.channel)?.senderIsPhone === true,
          },
          messages,
          db: o.db,
          writes,
        },
        drafts.get(k),
      );
    }
    await flushWrites(tx, writes);
  });
  if (writes.deliveries.length > 0) o.onQueued();

  const { waiting, closed } = await closeDueDraftsOf(o, senders.map(claimOf));
  if (closed > 0) o.onQueued();

  // Due next: at once while messages are left over (or arrived meanwhile: the inbox version moved), shortly while a
  // closing draft waits for media, else at the open draft's quiet end, else not until a message arrives.
  const now = Date.now();
  const next = senders.map((s) => {
    const k = key(s.channel, s.sender_id);
    if ((pending.get(k)?.length ?? 0) >= perPass) return new Date(now);
    return waiting.has(k) ? new Date(now + o.config.CONVERSATION_MEDIA_POLL_MS) : null;
  });
  // Released only if still this claim's: one taken over meanwhile is released by its new owner.
  await sql`
    update conversation_senders s set lease_until = null, failures = 0,
      due_at = case when s.inbox_version = v.inbox_version
                    then least(v.next, (select d.quiet_until from conversation_drafts d
                                        where d.channel = s.channel and d.sender_id = s.sender_id and d.state = 'open'))
                    else now() end
    from unnest(${channels}::text[], ${ids}::text[], ${senders.map((s) => s.claim)}::bigint[],
                ${senders.map((s) => s.inbox_version)}::bigint[], ${next}::timestamptz[])
      as v(channel, sender_id, claim, inbox_version, next)
    where s.channel = v.channel and s.sender_id = v.sender_id and s.claim = v.claim`.execute(o.db);
}

export const claimOf = (s: ClaimedSender): SenderClaim => ({
  channel: s.channel,
  senderId: s.sender_id,
  claim: s.claim,
});
