// Sending on the official account: a customer-service text while the citizen's window is open, else the staff's
// template message or subscription notification. WeChat's errcodes decide what happens next: next route, retry
// later, or a permanent failure shown to staff. An HTTP 200 answer with a non-zero errcode is a failure.
// https://developers.weixin.qq.com/doc/offiaccount/Getting_Started/Global_Return_Code.html
import { sql } from 'kysely';
import { z } from 'zod';
import type { OutboundMessage, SendResult } from '../adapter.js';
import type { Db } from '../../store/db.js';
import { idString, WechatApiError, type WechatApiClient } from '../wechat-common/api-client.js';
import { closeWindow, refundCustom, reserveCustom } from './followers.js';

const customContent = z.object({ text: z.string().min(1) });
const keyed = z.record(z.string(), z.string());
const templateContent = z.object({
  templateId: z.string().min(1),
  data: keyed,
  url: z.string().optional(),
  miniprogram: z.object({ appid: z.string().optional(), pagepath: z.string() }).optional(),
});
const subscribeContent = templateContent.extend({ page: z.string().optional() });

/**
 * Route cannot reach the citizen now: window closed (45015), quota used (45047), not following (43004), no consent
 * (43101), or the account's daily API quota is spent (45009): it only comes back tomorrow, so the next route (SMS)
 * carries the message now instead of it, and the citizen's later messages, waiting a day.
 */
const nextRoute = new Set([45015, 45047, 43004, 43101, 45009]);
const transient = new Set([-1, 45011, 40001, 40014, 42001]);
const quotaSpent = '45009';

export function classify(err: unknown): SendResult {
  if (!(err instanceof WechatApiError) || err.errcode === undefined) {
    return { outcome: 'retry', error: err instanceof Error ? err.message : String(err) };
  }
  const errorCode = String(err.errcode);
  if (nextRoute.has(err.errcode)) return { outcome: 'fallback', errorCode, error: err.message };
  if (transient.has(err.errcode)) return { outcome: 'retry', errorCode, error: err.message };
  // 40037/47003 (template bug), 40003/43019/48002 (citizen unreachable for good) and anything unknown.
  return { outcome: 'failed', errorCode, error: err.message };
}

const wrap = (data: Record<string, string>) =>
  Object.fromEntries(Object.entries(data).map(([k, value]) => [k, { value }]));

/**
 * A split reply goes out in parts by customer-service message. A template message or notification carries only the
 * summary of the whole reply: when part 1 already went that way, the later parts are covered by it.
 */
async function coveredByFirstPart(db: Db, m: OutboundMessage): Promise<boolean> {
  if (!m.letterId || !m.variables.partNumber || m.variables.partNumber === '1') return false;
  const first = await db
    .selectFrom('deliveries')
    .select('id')
    .where('letter_id', '=', m.letterId)
    .where('kind', '=', m.kind)
    .where('route', '=', m.route)
    .where('status', 'in', ['sent', 'delivered'])
    .where(
      sql<boolean>`variables->>'partNumber' = '1' and variables->>'replySummary' = ${m.variables.replySummary ?? ''}`,
    )
    .executeTakeFirst();
  return first !== undefined;
}

/** A mini-program jump without an appid opens the gateway's own mini-program; without one configured, no jump. */
function jump(mp: { appid?: string | undefined; pagepath: string } | undefined, mpAppId: string | undefined) {
  const appid = mp?.appid || mpAppId;
  return mp && appid ? { miniprogram: { appid, pagepath: mp.pagepath } } : {};
}

export async function sendOa(
  db: Db,
  client: WechatApiClient,
  m: OutboundMessage,
  mpAppId?: string,
  /** Takes one message from the citizen's window quota (the channel passes one that batches concurrent calls). */
  reserve: (openid: string) => Promise<boolean> = (openid) => reserveCustom(db, openid),
): Promise<SendResult> {
  const touser = m.recipient;
  switch (m.route) {
    case 'custom': {
      const c = customContent.safeParse(m.rendered);
      if (!c.success)
        return { outcome: 'failed', errorCode: 'template', error: 'custom template content needs a non-empty "text"' };
      if (!(await reserve(touser)))
        return { outcome: 'fallback', errorCode: 'window', error: 'customer-service window closed or its quota used' };
      try {
        await client.postJson('/cgi-bin/message/custom/send', {
          touser,
          msgtype: 'text',
          text: { content: c.data.text },
        });
        return { outcome: 'sent' };
      } catch (err) {
        const r = classify(err);
        // 45009 says nothing about this citizen's window: the reserved message is given back.
        if (r.outcome === 'fallback' && r.errorCode !== quotaSpent) await closeWindow(db, touser);
        else await refundCustom(db, touser);
        return r;
      }
    }
    case 'template': {
      if (await coveredByFirstPart(db, m)) return { outcome: 'sent', providerMessageId: 'covered-by-part-1' };
      const c = templateContent.safeParse(m.rendered);
      if (!c.success)
        return {
          outcome: 'failed',
          errorCode: 'template',
          error: 'template message content needs "templateId" and "data"',
        };
      try {
        const r = await client.postJson('/cgi-bin/message/template/send', {
          touser,
          template_id: c.data.templateId,
          ...(c.data.url ? { url: c.data.url } : {}),
          ...jump(c.data.miniprogram, mpAppId),
          // WeChat sends one message per openid + client_msg_id: a retry after a lost answer is not a second message.
          client_msg_id: m.deliveryId,
          data: wrap(c.data.data),
        });
        const msgid = idString(r.msgid);
        return msgid ? { outcome: 'sent', providerMessageId: msgid } : { outcome: 'sent' };
      } catch (err) {
        return classify(err);
      }
    }
    case 'subscribe': {
      if (await coveredByFirstPart(db, m)) return { outcome: 'sent', providerMessageId: 'covered-by-part-1' };
      const c = subscribeContent.safeParse(m.rendered);
      if (!c.success)
        return {
          outcome: 'failed',
          errorCode: 'template',
          error: 'subscription content needs "templateId" and "data"',
        };
      try {
        await client.postJson('/cgi-bin/message/subscribe/bizsend', {
          touser,
          template_id: c.data.templateId,
          ...(c.data.page ? { page: c.data.page } : {}),
          ...jump(c.data.miniprogram, mpAppId),
          data: wrap(c.data.data),
        });
        // A one-time consent is used up by this notification.
        await db
          .deleteFrom('wechat_oa_consents')
          .where('openid', '=', touser)
          .where('template_id', '=', c.data.templateId)
          .execute();
        return { outcome: 'sent' };
      } catch (err) {
        const r = classify(err);
        if (r.outcome === 'fallback' && r.errorCode !== quotaSpent)
          await db
            .deleteFrom('wechat_oa_consents')
            .where('openid', '=', touser)
            .where('template_id', '=', c.data.templateId)
            .execute();
        return r;
      }
    }
    default:
      return { outcome: 'failed', errorCode: 'route', error: `the official account has no route "${m.route}"` };
  }
}
