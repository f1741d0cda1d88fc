// Fetches the media of inbound messages through their channel's hook soon after they arrive (WeChat media ids
// expire after 3 days: https://developers.weixin.qq.com/doc/offiaccount/Asset_Management/Get_temporary_materials.html),
// retrying transient failures with back-off and recording permanent ones, so the letter can carry them as missing.
import { sql } from 'kysely';
import type { Config } from '../../config/settings.js';
import type { Db } from '../store/db.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import { createBatchLoop, type BatchLoop } from '../jobs/batch-loop.js';
import { backoffMs } from '../jobs/backoff.js';
import { mapLimited } from '../lib/map-limited.js';
import type { ConversationChannel, InboundMessage, MediaFetchResult } from './types.js';

export interface MediaLoopOptions {
  db: Db;
  log: Logger;
  metrics: Metrics;
  channels: ReadonlyMap<string, ConversationChannel>;
  pollMs: number;
  config: Pick<
    Config,
    | 'MEDIA_FETCH_BATCH_SIZE'
    | 'MEDIA_FETCH_CONCURRENCY'
    | 'MEDIA_FETCH_LEASE_SECONDS'
    | 'MEDIA_FETCH_TIMEOUT_MS'
    | 'MEDIA_FETCH_MAX_ATTEMPTS'
    | 'MEDIA_FETCH_RETRY_MAX_SECONDS'
    | 'MEDIA_FETCH_GIVE_UP_HOURS'
  >;
  /** Called with the senders whose media reached a final state (a closing draft may be waiting for them). */
  onSettled(): void;
}

interface Claimed {
  id: string;
  channel: string;
  sender_id: string;
  message: InboundMessage;
  media_attempts: number;
  created_at: Date;
}

type Outcome =
  { state: 'stored' | 'missing'; result: Record<string, unknown> } | { state: 'pending'; retryInMs: number };

export function createMediaLoop(o: MediaLoopOptions): BatchLoop {
  return createBatchLoop<Claimed>({
    name: 'conversation-media',
    batchSize: o.config.MEDIA_FETCH_BATCH_SIZE,
    pollMs: o.pollMs,
    onError: (err) => o.log.error({ err }, 'media fetching pass failed'),
    claim: async (limit) => {
      const r = await sql<Claimed>`
        update conversation_messages set media_next_at = now() + make_interval(secs => ${o.config.MEDIA_FETCH_LEASE_SECONDS}),
                                         media_attempts = media_attempts + 1
        where id in (select id from conversation_messages
                     where media_state = 'pending' and media_next_at <= now()
                     order by media_next_at limit ${limit} for update skip locked)
        returning id, channel, sender_id, message, media_attempts, created_at`.execute(o.db);
      return r.rows;
    },
    process: async (batch) => {
      const outcomes = await mapLimited(batch, o.config.MEDIA_FETCH_CONCURRENCY, async (m) => ({
        m,
        outcome: await fetchOne(o, m),
      }));
      for (const { m, outcome } of outcomes) {
        o.metrics.conversationMedia.inc({
          channel: m.channel,
          outcome: outcome.state === 'pending' ? 'retry' : outcome.state,
        });
        if (outcome.state === 'pending') {
          await o.db
            .updateTable('conversation_messages')
            .set({ media_next_at: new Date(Date.now() + outcome.retryInMs) })
            .where('id', '=', m.id)
            .where('media_state', '=', 'pending')
            .execute();
        } else {
          await o.db
            .updateTable('conversation_messages')
            .set({ media_state: outcome.state, media_result: JSON.stringify(outcome.result) })
            .where('id', '=', m.id)
            .where('media_state', '=', 'pending')
            .execute();
        }
      }
      const settled = outcomes.filter((x) => x.outcome.state !== 'pending').map((x) => x.m);
      if (settled.length > 0) {
        await sql`
          update conversation_senders s set due_at = now(), inbox_version = s.inbox_version + 1
          from unnest(${settled.map((m) => m.channel)}::text[], ${settled.map((m) => m.sender_id)}::text[]) as v(channel, sender_id)
          where s.channel = v.channel and s.sender_id = v.sender_id`.execute(o.db);
        o.onSettled();
      }
    },
  });
}

async function fetchOne(o: MediaLoopOptions, m: Claimed): Promise<Outcome> {
  const channel = o.channels.get(m.channel);
  // The channel registers itself at start-up; until then, wait.
  if (!channel) return { state: 'pending', retryInMs: 5000 };
  if (!channel.fetchMedia) return { state: 'missing', result: { reason: `${m.channel} cannot fetch media` } };
  const message: InboundMessage = { ...m.message, receivedAt: new Date(m.message.receivedAt) };
  const r: MediaFetchResult = await withTimeout(channel.fetchMedia(message), o.config.MEDIA_FETCH_TIMEOUT_MS).catch(
    (err: unknown) => ({
      ok: false as const,
      retry: true,
      reason: err instanceof Error ? err.message : String(err),
    }),
  );
  if (r.ok) return { state: 'stored', result: { ...r.attachment } };
  // Give up well before WeChat forgets the media id, so the letter is not held for nothing.
  const tooOld = Date.now() - new Date(m.created_at).getTime() > o.config.MEDIA_FETCH_GIVE_UP_HOURS * 3600_000;
  if (r.retry && m.media_attempts < o.config.MEDIA_FETCH_MAX_ATTEMPTS && !tooOld) {
    o.log.warn({ messageId: m.id, attempt: m.media_attempts, reason: r.reason }, 'media fetch failed, will retry');
    return { state: 'pending', retryInMs: backoffMs(m.media_attempts, o.config.MEDIA_FETCH_RETRY_MAX_SECONDS * 1000) };
  }
  o.log.warn({ messageId: m.id, attempt: m.media_attempts, reason: r.reason }, 'media could not be fetched');
  return { state: 'missing', result: { reason: r.reason.slice(0, 200) } };
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`media fetch timed out after ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}
