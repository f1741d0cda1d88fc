// Official-account events: stored once (WeChat retries carry the same key), then acted on. Follows queue the staff's
// welcome message; unfollows stop non-essential messages; subscription popups record consents; delivery results
// (TEMPLATESENDJOBFINISH, subscribe_msg_sent_event) update our deliveries. Unknown events are only recorded.
// https://developers.weixin.qq.com/doc/service/guide/product/subscription_messages/push.html
import { sql } from 'kysely';
import type { Db } from '../../store/db.js';
import { queueDeliveries } from '../../outbox/deliveries.js';
import { applyDeliveryReport } from '../../outbound/reports.js';
import type { DeliveryReport } from '../adapter.js';
import { field, type PushFields } from '../wechat-common/push-xml.js';
import type { OaEvent } from './push.js';
import { recordFollow, recordUnfollow } from './followers.js';
import { optIn, optOut } from '../../conversation/preferences.js';

export interface EventContext {
  db: Db;
  /** Called after a delivery was queued (wakes the dispatcher). */
  onQueued(): void;
}

/** Stores the event; returns false when it was seen before (a WeChat retry). */
export async function storeEvent(db: Db, e: OaEvent): Promise<boolean> {
  const r = await db
    .insertInto('wechat_oa_events')
    .values({
      dedup_key: e.dedupKey,
      openid: e.openid,
      event: e.event,
      payload: JSON.stringify(e.fields),
      received_at: new Date(),
    })
    .onConflict((oc) => oc.column('dedup_key').doNothing())
    .returning('id')
    .executeTakeFirst();
  return r !== undefined;
}

/** Acts on a stored event and marks it processed; safe to run again for an event left unprocessed. */
export async function processEvent(
  ctx: EventContext,
  e: Pick<OaEvent, 'dedupKey' | 'openid' | 'event' | 'createdAt' | 'fields'>,
): Promise<void> {
  if (e.event === 'TEMPLATESENDJOBFINISH' || e.event === 'subscribe_msg_sent_event') {
    // Reports are applied first and the event marked after: a crash in between repeats a report, which is harmless.
    for (const r of await reportsOf(ctx.db, e)) await applyDeliveryReport(ctx.db, r);
    await markProcessed(ctx.db, e.dedupKey);
    return;
  }
  let queued = false as boolean; // set inside the transaction callback
  await ctx.db.transaction().execute(async (tx) => {
    if (!(await markProcessed(tx, e.dedupKey))) return;
    switch (e.event) {
      case 'subscribe':
        await recordFollow(tx, e.openid, e.createdAt);
        // Following again lifts what the unfollow set; the citizen's own 退订 stays until they send 订阅.
        await optIn(tx, 'wechat-oa', e.openid, 'unfollow');
        await queueDeliveries(tx, [
          {
            letterId: null,
            channel: 'wechat-oa',
            recipient: e.openid,
            kind: 'service',
            templateKey: 'welcome',
            variables: {},
          },
        ]);
        queued = true;
        break;
      case 'unsubscribe':
        await recordUnfollow(tx, e.openid, e.createdAt);
        // No more surveys and notices until the citizen follows again.
        await optOut(tx, 'wechat-oa', e.openid, 'unfollow');
        break;
      case 'subscribe_msg_popup_event':
      case 'subscribe_msg_change_event':
        for (const item of listItems(e.fields)) {
          const templateId = field(item, 'TemplateId');
          const status = field(item, 'SubscribeStatusString');
          if (!templateId || !status) continue;
          await sql`
            insert into wechat_oa_consents (openid, template_id, status) values (${e.openid}, ${templateId}, ${status})
            on conflict (openid, template_id) do update set status = excluded.status, updated_at = now()`.execute(tx);
        }
        break;
    }
  });
  if (queued) ctx.onQueued();
}

async function markProcessed(db: Db, dedupKey: string): Promise<boolean> {
  const r = await db
    .updateTable('wechat_oa_events')
    .set({ processed_at: new Date(), error: null })
    .where('dedup_key', '=', dedupKey)
    .where('processed_at', 'is', null)
    .returning('id')
    .executeTakeFirst();
  return r !== undefined;
}

async function reportsOf(
  db: Db,
  e: Pick<OaEvent, 'openid' | 'event' | 'createdAt' | 'fields'>,
): Promise<DeliveryReport[]> {
  if (e.event === 'TEMPLATESENDJOBFINISH') {
    const msgId = field(e.fields, 'MsgID');
    // Real pushes say `failed:user block` and `failed: system failed`: compare without whitespace.
    const status = (field(e.fields, 'Status') ?? '').replace(/\s+/g, '');
    return msgId ? [{ channel: 'wechat-oa', providerMessageId: msgId, at: e.createdAt, ...outcome(status) }] : [];
  }
  const reports: DeliveryReport[] = [];
  for (const item of listItems(e.fields)) {
    const templateId = field(item, 'TemplateId');
    const code = field(item, 'ErrorCode') ?? '';
    // bizsend answers without a msgid: the latest notification of this template to this citizen is the one.
    const d = templateId ? await latestSubscribeDelivery(db, e.openid, templateId) : undefined;
    if (d)
      reports.push({
        channel: 'wechat-oa',
        deliveryId: d,
        at: e.createdAt,
        ...(code === '0' ? { outcome: 'delivered' } : { outcome: 'failed', errorCode: code || 'unknown' }),
      });
  }
  return reports;
}

function outcome(status: string): { outcome: 'delivered' } | { outcome: 'failed'; errorCode: string } {
  return status === 'success' ? { outcome: 'delivered' } : { outcome: 'failed', errorCode: status || 'unknown' };
}

/** `<List>` items under either wrapper (WeChat's own sample of the change event uses the popup wrapper). */
function listItems(f: PushFields): PushFields[] {
  const items: PushFields[] = [];
  for (const wrapper of ['SubscribeMsgPopupEvent', 'SubscribeMsgChangeEvent', 'SubscribeMsgSentEvent']) {
    const w = f[wrapper];
    const list = w && typeof w === 'object' ? (w as Record<string, unknown>).List : undefined;
    if (Array.isArray(list)) for (const i of list) if (i && typeof i === 'object') items.push(i as PushFields);
  }
  return items;
}

async function latestSubscribeDelivery(db: Db, openid: string, templateId: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('deliveries')
    .select('id')
    .where('channel', '=', 'wechat-oa')
    .where('route', '=', 'subscribe')
    .where('recipient', '=', openid)
    .where('status', 'in', ['sending', 'sent'])
    .where(sql<boolean>`rendered->>'templateId' = ${templateId}`)
    .orderBy('sent_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.id;
}
