// Sends the mini-program's messages as subscribe messages, one consent credit per send. Routes: `subscribe`, then
// `sms` when the citizen verified a phone (the message is queued again on the SMS channel). Without credit or on
// 43101 the citizen can only see the message on the letter's page in the app, and the delivery says so.
// Errors: https://developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/mp-message-management/subscribe-message/sendMessage.html
import { sql } from 'kysely';
import type { ChannelAdapter, OutboundMessage, SendResult } from '../adapter.js';
import { queueDeliveries, type DeliveryKind } from '../../outbound/deliveries.js';
import type { TemplateValues } from '../../templates/variables.js';
import type { MpDeps } from './deps.js';
import type { MpWechatApi } from './wechat-api.js';
import { WechatError } from './wechat-api.js';
import { buildSubscribeData, SubscribeDataError } from './subscribe-fields.js';

const appOnly = 'the letter\'s page in the mini-program is the only channel left';

export function createMpOutbound(d: MpDeps, api: MpWechatApi): ChannelAdapter {
  const phoneOf = async (openid: string) =>
    (await d.db.selectFrom('mp_phones').select('phone').where('openid', '=', openid).executeTakeFirst())?.phone;
  const smsEnabled = d.config.CHANNELS.includes('sms');

  const takeCredit = async (openid: string, templateId: string) => {
    const r = await sql<{ credits: number }>`
      update mp_consents set credits = credits - 1, updated_at = now()
      where openid = ${openid} and template_id = ${templateId} and credits > 0 returning credits`.execute(d.db);
    return r.rows.length > 0;
  };
  const giveBack = (openid: string, templateId: string) =>
    sql`update mp_consents set credits = credits + 1, updated_at = now() where openid = ${openid} and template_id = ${templateId}`.execute(d.db);
  const dropCredits = (openid: string, templateId: string) =>
    sql`update mp_consents set credits = 0, updated_at = now() where openid = ${openid} and template_id = ${templateId}`.execute(d.db);

  const noRouteLeft = async (openid: string) => (smsEnabled && (await phoneOf(openid)) ? '' : `; no verified phone: ${appOnly}`);

  async function sendSubscribe(m: OutboundMessage): Promise<SendResult> {
    const { templateId, page, data } = m.rendered as { templateId?: unknown; page?: unknown; data?: unknown };
    if (typeof templateId !== 'string' || templateId === '' || !data || typeof data !== 'object') {
      return { outcome: 'failed', errorCode: 'template', error: 'the subscribe template needs templateId and data' };
    }
    let built;
    try {
      built = buildSubscribeData(data as Record<string, unknown>);
    } catch (err) {
      if (!(err instanceof SubscribeDataError)) throw err;
      return { outcome: 'failed', errorCode: 'template_data', error: `template data does not fit WeChat's limits: ${err.message}` };
    }
    if (!(await takeCredit(m.recipient, templateId))) {
      return { outcome: 'fallback', errorCode: 'no_consent', error: `no subscribe consent left for ${templateId}${await noRouteLeft(m.recipient)}` };
    }
    try {
      const r = await api.sendSubscribe({ touser: m.recipient, templateId, ...(typeof page === 'string' && page ? { page } : {}), data: built });
      return { outcome: 'sent', ...(r.msgid ? { providerMessageId: r.msgid } : {}) };
    } catch (err) {
      const code = err instanceof WechatError ? err.errcode : undefined;
      const message = err instanceof Error ? err.message : String(err);
      if (code === 43101) {
        // The consent is gone (used, or the citizen switched it off): nothing is left to give back.
        await dropCredits(m.recipient, templateId);
        return { outcome: 'fallback', errorCode: '43101', error: `citizen has no consent for ${templateId}${await noRouteLeft(m.recipient)}` };
      }
      await giveBack(m.recipient, templateId);
      if (code === 47003 || code === 40037 || code === 41030 || code === 40003) {
        return { outcome: 'failed', errorCode: String(code), error: `WeChat refused the message: ${message}` };
      }
      return { outcome: 'retry', ...(code !== undefined ? { errorCode: String(code) } : {}), error: message };
    }
  }

  async function sendBySms(m: OutboundMessage): Promise<SendResult> {
    const phone = await phoneOf(m.recipient);
    if (!phone) return { outcome: 'fallback', errorCode: 'no_phone', error: `no verified phone: ${appOnly}` };
    const [id] = await queueDeliveries(d.db, [
      { letterId: m.letterId, channel: 'sms', recipient: phone, kind: m.kind as DeliveryKind, templateKey: m.templateKey, variables: m.variables as TemplateValues },
    ]);
    d.wakeup.wake('deliveries');
    return { outcome: 'sent', providerMessageId: `sms-delivery:${id}` };
  }

  return {
    channel: 'wechat-mp',
    mode: 'live',
    async planRoutes(ctx) {
      return smsEnabled && (await phoneOf(ctx.recipient)) ? ['subscribe', 'sms'] : ['subscribe'];
    },
    async send(m) {
      if (m.route === 'subscribe') return sendSubscribe(m);
      if (m.route === 'sms') return sendBySms(m);
      return { outcome: 'failed', errorCode: 'route', error: `unknown route ${m.route}` };
    },
  };
}
