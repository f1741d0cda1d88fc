// The conversation loop: claims due senders (new messages, a quiet period ended, media settled) under a lease with
// FOR UPDATE SKIP LOCKED, so one sender is handled by one worker at a time across instances, and its messages in
// arrival order. On release the sender is due again at its open draft's quiet end, or at once if messages arrived
// meanwhile (the inbox version moved).
import { sql } from 'kysely';
import type { Config } from '../../config/settings.js';
import type { Db } from '../store/db.js';
import type { Logger } from '../observability/logger.js';
import { createBatchLoop, type BatchLoop } from '../jobs/batch-loop.js';
import { mapLimited } from '../casestore/forwarder.js';
import { applyMessages, type PendingMessage } from './apply.js';
import { closeDueDrafts, type CloseDeps } from './close.js';
import type { ConversationChannel, InboundMessage } from './types.js';

export interface ProcessorOptions extends CloseDeps {
  config: Config;
  log: Logger;
  channels: ReadonlyMap<string, ConversationChannel>;
  pollMs: number;
  onQueued(): void;
}

interface ClaimedSender {
  channel: InboundMessage['channel'];
  sender_id: string;
  inbox_version: string;
}

// A pass over one sender takes well under a second; the lease only matters when an instance dies mid-pass.
const leaseSeconds = 60;
const messagesPerPass = 200;
const defaultPartChars = 500;
const mediaPollMs = 1000;
const errorRetryMs = 5000;

export function createConversationProcessor(o: ProcessorOptions): BatchLoop {
  return createBatchLoop<ClaimedSender>({
    name: 'conversation',
    batchSize: 50,
    pollMs: o.pollMs,
    onError: (err) => o.log.error({ err }, 'conversation pass failed'),
    claim: async (limit) => {
      const r = await sql<ClaimedSender>`
        update conversation_senders s set lease_until = now() + make_interval(secs => ${leaseSeconds})
        from (select channel, sender_id from conversation_senders
              where due_at <= now() and (lease_until is null or lease_until < now())
              order by due_at limit ${limit} for update skip locked) due
        where s.channel = due.channel and s.sender_id = due.sender_id
        returning s.channel, s.sender_id, s.inbox_version`.execute(o.db);
      return r.rows;
    },
    process: async (batch) => {
      await mapLimited(batch, 8, async (s) => {
        let next: Date | null;
        try {
          next = await processSender(o, s);
        } catch (err) {
          o.log.error({ err, channel: s.channel }, 'conversation of a sender failed, will retry');
          next = new Date(Date.now() + errorRetryMs);
        }
        await sql`
          update conversation_senders set lease_until = null,
            due_at = case when inbox_version = ${s.inbox_version}::bigint then ${next}::timestamptz else now() end
          where channel = ${s.channel} and sender_id = ${s.sender_id}`.execute(o.db);
      });
    },
  });
}

/** Handles the sender's pending messages and due drafts; returns when the sender is due next. */
async function processSender(o: ProcessorOptions, s: ClaimedSender): Promise<Date | null> {
  const sender = { channel: s.channel, senderId: s.sender_id };
  const rows = await o.db
    .selectFrom('conversation_messages')
    .select(['id', 'created_at', 'message', 'received_at'])
    .where('channel', '=', s.channel)
    .where('sender_id', '=', s.sender_id)
    .where('state', '=', 'pending')
    .orderBy('id')
    .limit(messagesPerPass)
    .execute();
  const pending: PendingMessage[] = rows.map((r) => ({
    id: r.id,
    created_at: new Date(r.created_at),
    message: { ...(r.message as unknown as InboundMessage), receivedAt: new Date(r.received_at) },
  }));
  const partChars = o.channels.get(s.channel)?.partChars ?? defaultPartChars;
  const queued = await o.db.transaction().execute((tx) => applyMessages(tx, o.config, partChars, sender, pending));
  if (queued > 0) o.onQueued();
  const { waiting, closed } = await closeDueDrafts(o, sender);
  if (closed > 0) o.onQueued();
  if (rows.length >= messagesPerPass) return new Date();
  const open = await o.db
    .selectFrom('conversation_drafts')
    .select('quiet_until')
    .where('channel', '=', s.channel)
    .where('sender_id', '=', s.sender_id)
    .where('state', '=', 'open')
    .executeTakeFirst();
  const candidates = [open ? new Date(open.quiet_until).getTime() : Infinity, waiting ? Date.now() + mediaPollMs : Infinity];
  const due = Math.min(...candidates);
  return Number.isFinite(due) ? new Date(due) : null;
}
