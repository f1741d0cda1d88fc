// The official account's push endpoint. GET answers WeChat's URL verification; POST verifies, decrypts and parses a
// push, stores it (a message goes to the conversation module, an event to our event table) and only then answers
// `success`, well inside WeChat's 5 seconds. Slow work (media download, drafting, sending) happens in loops and jobs.
// https://developers.weixin.qq.com/doc/offiaccount/Basic_Information/Access_Overview.html
import { createHash } from 'node:crypto';
import type Router from '@koa/router';
import type { Context } from 'koa';
import { AppError } from '../../errors.js';
import { readRaw } from '../../http/body.js';
import { cleanJson } from '../../../shared/text.js';
import type { PushFields } from '../wechat-common/push-xml.js';
import type { Logger } from '../../observability/logger.js';
import type { Db } from '../../store/db.js';
import type { Conversation, InboundMessage } from '../../conversation/types.js';
import { openPush, verifyUrl, type PushAuth } from './verify.js';
import { classifyPush, PushShapeError, type Push } from './push.js';
import { admitNonces, type PushNonce } from './followers.js';
import { createBatcher } from './batcher.js';
import { processEvent, storeEvent, type EventContext } from './events.js';

export const PUSH_PATH = '/wechat/oa';

export interface InboundDeps {
  auth: PushAuth;
  db: Db;
  log: Logger;
  maxBodyBytes: number;
  /** Longest text of one message; a longer one is refused before `success`, never acknowledged and then cut. */
  maxTextChars: number;
  conversation: Pick<Conversation, 'accept'>;
  events: EventContext;
}

export function mountInbound(router: Router, d: InboundDeps): void {
  const messages = createBatcher<{ message: InboundMessage; nonce: PushNonce }>(
    async (batch) => {
      const admitted = await admitNonces(
        d.db,
        batch.map((b) => b.nonce),
      );
      const accepted = batch.filter((_, i) => admitted[i] !== 'replay').map((b) => b.message);
      await d.conversation.accept(accepted);
      return admitted.map((a) => (a === 'replay' ? new AppError('push_replayed') : null));
    },
    { maxItems: 500, maxInFlight: 4 },
  );
  router.get(PUSH_PATH, (ctx) => {
    answer(ctx, verifyUrl(ctx.query, d.auth));
  });

  router.post(PUSH_PATH, async (ctx) => {
    const raw = await readRaw(ctx, d.maxBodyBytes);
    const opened = openPush(ctx.query, raw.toString('utf8'), d.auth);
    let push: Push;
    try {
      // Every field is cleaned by the one text rule before it is classified, stored or answered.
      push = classifyPush(cleanJson(opened.fields) as PushFields);
    } catch (err) {
      if (err instanceof PushShapeError) throw new AppError('push_malformed', { detail: err.message });
      throw err;
    }
    // A repeated nonce with the same body is WeChat retrying; with another body, a replay unless the signature covers
    // the body (in plain mode nothing else authenticates it).
    const nonce = {
      nonce: opened.nonce,
      timestamp: opened.timestamp,
      bodySha256: createHash('sha256').update(raw).digest('hex'),
      bodySigned: opened.encrypted,
    };
    if (push.kind === 'message') {
      const length = (push.message.text?.length ?? 0) + (push.message.transcript?.length ?? 0);
      if (length > d.maxTextChars)
        throw new AppError('text_too_long', { detail: `a message may carry at most ${d.maxTextChars} characters` });
      await messages.add({
        message: push.message,
        nonce: { ...nonce, message: { openid: push.message.senderId, at: push.message.receivedAt } },
      });
    } else {
      const [admission] = await admitNonces(d.db, [nonce]);
      if (admission === 'replay') throw new AppError('push_replayed');
      await storeEvent(d.db, push.event);
      // Already stored: acting on it may wait for the housekeeping job if it fails now.
      await processEvent(d.events, push.event).catch((err: unknown) => {
        d.log.error({ err, event: push.event.event }, 'official-account event stored but not processed yet');
      });
    }
    // `success` needs no encryption even in safe mode; WeChat then neither retries nor shows an error.
    answer(ctx, 'success');
  });
}

function answer(ctx: Context, text: string): void {
  ctx.type = 'text/plain';
  ctx.body = text;
}

/** Retries events whose processing failed, and forgets nonces older than the replay window. */
export async function housekeeping(
  d: Pick<InboundDeps, 'db' | 'events' | 'log'>,
  windowSeconds: number,
): Promise<void> {
  const stale = await d.db
    .selectFrom('wechat_oa_events')
    .select(['dedup_key', 'openid', 'event', 'received_at', 'payload'])
    .where('processed_at', 'is', null)
    .where('received_at', '<', new Date(Date.now() - 30_000))
    .orderBy('received_at')
    .limit(100)
    .execute();
  for (const e of stale) {
    const fields = (e.payload ?? {}) as Record<string, unknown>;
    await processEvent(d.events, {
      dedupKey: e.dedup_key,
      openid: e.openid,
      event: e.event,
      createdAt: new Date(e.received_at),
      fields,
    }).catch(async (err: unknown) => {
      d.log.error({ err, event: e.event }, 'official-account event processing failed again');
      await d.db
        .updateTable('wechat_oa_events')
        .set({ error: String(err).slice(0, 500) })
        .where('dedup_key', '=', e.dedup_key)
        .execute();
    });
  }
  await d.db
    .deleteFrom('wechat_oa_nonces')
    .where('seen_at', '<', new Date(Date.now() - 2 * windowSeconds * 1000))
    .execute();
}
