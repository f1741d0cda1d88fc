// The conversation loop: claims due senders (new messages, a quiet period ended, media settled) under a lease with
// FOR UPDATE SKIP LOCKED, so one sender is handled by one worker at a time across instances, and its messages in
// arrival order. A claimed batch is handled in a few set-based statements (batch.ts); a sender that failed, or a
// batch whose pass failed, is handled one by one here. On release the sender is due again at its open draft's quiet
// end, or at once if messages arrived meanwhile (the inbox version moved).
import { sql } from 'kysely';
import type { Config } from '../../config/settings.js';
import type { Logger } from '../observability/logger.js';
import { createBatchLoop, type BatchLoop } from '../jobs/batch-loop.js';
import { mapLimited } from '../lib/map-limited.js';
import { backoffMs } from '../jobs/backoff.js';
import { applyMessages, type PendingMessage } from './apply.js';
import { closeDueDrafts, type CloseDeps } from './close.js';
import type { ConversationChannel, InboundMessage } from './types.js';
import { claimOf, processSenders, type ClaimedSender } from './batch.js';
import { holdClaims } from './claims.js';
import { LISTENING_CONNECTIONS } from '../store/db.js';

export interface ProcessorOptions extends CloseDeps {
  config: Config;
  log: Logger;
  channels: ReadonlyMap<string, ConversationChannel>;
  pollMs: number;
  onQueued(): void;
}

/** Handling the pending messages failed (as opposed to closing drafts, which only waits for the database). */
class ApplyError extends Error {}

const defaultPartChars = 500;

export function createConversationProcessor(o: ProcessorOptions): BatchLoop {
  return createBatchLoop<ClaimedSender>({
    name: 'conversation',
    batchSize: o.config.CONVERSATION_BATCH_SIZE,
    pollMs: o.pollMs,
    onError: (err) => o.log.error({ err }, 'conversation pass failed'),
    claim: async (limit) => {
      const r = await sql<ClaimedSender>`
        update conversation_senders s set lease_until = now() + make_interval(secs => ${o.config.CONVERSATION_LEASE_SECONDS}),
          claim = s.claim + 1
        from (select channel, sender_id from conversation_senders
              where due_at <= now() and (lease_until is null or lease_until < now())
              order by due_at limit ${limit} for update skip locked) due
        where s.channel = due.channel and s.sender_id = due.sender_id
        returning s.channel, s.sender_id, s.inbox_version, s.failures, s.claim`.execute(o.db);
      return r.rows;
    },
    process: async (claimed) => {
      // Senders that failed before are handled one by one, so that a failing sender cannot fail the batch pass of
      // the others again and again; the rest in one set-based pass, or one by one if that pass fails.
      let batch = claimed.filter((s) => s.failures > 0);
      const healthy = claimed.filter((s) => s.failures === 0);
      if (healthy.length > 0) {
        try {
          await processSenders(o, healthy);
        } catch (err) {
          o.log.warn(
            { err, senders: healthy.length },
            'conversation batch pass failed, handling its senders one by one',
          );
          batch = claimed;
        }
      }
      // A sender's transaction holds one pooled connection while some commands take a second (the progress-query
      // budgets commit on their own): with as many senders as connections the pool would wait on itself forever, so
      // at most half of what the LISTEN connections leave of the pool is ever held here, whatever the setting says.
      const senders = Math.max(
        1,
        Math.min(
          o.config.CONVERSATION_CONCURRENCY,
          Math.floor((o.config.DATABASE_POOL_SIZE - LISTENING_CONNECTIONS) / 2),
        ),
      );
      await mapLimited(batch, senders, async (s) => {
        let next: Date | null;
        let failures = 0;
        try {
          next = await processSender(o, s);
        } catch (err) {
          failures = s.failures + 1;
          o.log.error({ err, channel: s.channel, failures }, 'conversation of a sender failed, will retry');
          if (err instanceof ApplyError && failures >= o.config.CONVERSATION_FAILURES_BEFORE_SET_ASIDE) {
            await setAsideOldest(o, s, err);
            failures = 0;
          }
          next = new Date(Date.now() + backoffMs(failures || 1, o.config.CONVERSATION_RETRY_MAX_SECONDS * 1000, 250));
        }
        await sql`
          update conversation_senders set lease_until = null, failures = ${failures},
            due_at = case when inbox_version = ${s.inbox_version}::bigint then ${next}::timestamptz else now() end
          where channel = ${s.channel} and sender_id = ${s.sender_id} and claim = ${s.claim}::bigint`.execute(o.db);
      });
    },
  });
}

/** Marks the sender's oldest pending message `failed` (kept, with the error, for staff) so the others can go on. */
async function setAsideOldest(o: ProcessorOptions, s: ClaimedSender, err: ApplyError): Promise<void> {
  const reason = String(err.cause instanceof Error ? err.cause.message : err.cause).slice(0, 1000);
  const r = await o.db.transaction().execute(async (tx) => {
    if ((await holdClaims(tx, [claimOf(s)])).size === 0) return undefined;
    return sql<{ provider_message_id: string }>`
      update conversation_messages set state = 'failed', error = ${reason}
      where id = (select id from conversation_messages
                  where channel = ${s.channel} and sender_id = ${s.sender_id} and state = 'pending' order by id limit 1)
      returning provider_message_id`.execute(tx);
  });
  if (!r) return;
  o.log.error(
    { channel: s.channel, providerMessageId: r.rows[0]?.provider_message_id, reason },
    'inbound message set aside after repeated failures',
  );
}

/** Handles the sender's pending messages and due drafts; returns when the sender is due next. */
async function processSender(o: ProcessorOptions, s: ClaimedSender): Promise<Date | null> {
  const sender = {
    channel: s.channel,
    senderId: s.sender_id,
    isPhone: o.channels.get(s.channel)?.senderIsPhone === true,
    claim: s.claim,
  };
  const rows = await o.db
    .selectFrom('conversation_messages')
    .select(['id', 'created_at', 'message', 'received_at'])
    .where('channel', '=', s.channel)
    .where('sender_id', '=', s.sender_id)
    .where('state', '=', 'pending')
    .orderBy('id')
    .limit(o.config.CONVERSATION_MESSAGES_PER_PASS)
    .execute();
  const pending: PendingMessage[] = rows.map((r) => ({
    id: r.id,
    created_at: new Date(r.created_at),
    message: { ...(r.message as unknown as InboundMessage), receivedAt: new Date(r.received_at) },
  }));
  const partChars = o.channels.get(s.channel)?.partChars ?? defaultPartChars;
  const queued = await o.db
    .transaction()
    .execute((tx) => applyMessages(tx, o.config, partChars, sender, pending, o.db))
    .catch((err: unknown) => {
      throw new ApplyError('handling the pending messages failed', { cause: err });
    });
  if (queued > 0) o.onQueued();
  const { waiting, closed } = await closeDueDrafts(o, sender);
  if (closed > 0) o.onQueued();
  if (rows.length >= o.config.CONVERSATION_MESSAGES_PER_PASS) return new Date();
  const open = await o.db
    .selectFrom('conversation_drafts')
    .select('quiet_until')
    .where('channel', '=', s.channel)
    .where('sender_id', '=', s.sender_id)
    .where('state', '=', 'open')
    .executeTakeFirst();
  const candidates = [
    open ? new Date(open.quiet_until).getTime() : Infinity,
    waiting ? Date.now() + o.config.CONVERSATION_MEDIA_POLL_MS : Infinity,
  ];
  const due = Math.min(...candidates);
  return Number.isFinite(due) ? new Date(due) : null;
}
