// Sends the mini-program's messages as subscribe messages, one consent credit per send. Without credit or on 43101
// the route cannot reach the citizen: the delivery plan moves on (SMS when the letter carries a verified phone),
// and otherwise the message is on the letter's page in the app only.
// Errors: https://developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/mp-message-management/subscribe-message/sendMessage.html
import { sql } from 'kysely';
import type { ChannelAdapter, OutboundMessage, SendResult } from '../adapter.js';
import type { MpDeps } from '../../mp/deps.js';
import type { MpWechatApi } from './wechat-api.js';
import { WechatApiError } from '../wechat-common/api-client.js';
import { buildSubscribeData, SubscribeDataError } from './subscribe-fields.js';

export function createMpOutbound(d: MpDeps, api: Pick<MpWechatApi, 'sendSubscribe'>): ChannelAdapter {
  const takeCredit = async (openid: string, templateId: string) => {
    const r = await sql<{ credits: number }>`
      update mp_consents set credits = credits - 1, updated_at = now()
      where openid = ${openid} and template_id = ${templateId} and credits > 0 returning credits`.execute(d.db);
    return r.rows.length > 0;
  };
  const giveBack = (openid: string, templateId: string) =>
    sql`update mp_consents set credits = credits + 1, updated_at = now() where openid = ${openid} and template_id = ${templateId}`.execute(
      d.db,
    );
  const dropCredits = (openid: string, templateId: string) =>
    sql`update mp_consents set credits = 0, updated_at = now() where openid = ${openid} and template_id = ${templateId}`.execute(
      d.db,
    );

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
      return {
        outcome: 'failed',
        errorCode: 'template_data',
        error: `template data does not fit WeChat's limits: ${err.message}`,
      };
    }
    if (!(await takeCredit(m.recipient, templateId))) {
      return { outcome: 'fallback', errorCode: 'no_consent', error: `no subscribe consent left for ${templateId}` };
    }
    try {
      const r = await api.sendSubscribe({
        touser: m.recipient,
        templateId,
        ...(typeof page === 'string' && page ? { page } : {}),
        state: d.config.WECHAT_MP_STATE,
        data: built,
      });
      return { outcome: 'sent', ...(r.msgid ? { providerMessageId: r.msgid } : {}) };
    } catch (err) {
      const code = err instanceof WechatApiError ? err.errcode : undefined;
      const message = err instanceof Error ? err.message : String(err);
      if (code === 43101) {
        // The consent is gone (used, or the citizen switched it off): nothing is left to give back.
        await dropCredits(m.recipient, templateId);
        return {
          outcome: 'fallback',
          errorCode: '43101',
          error: `the citizen's consent for ${templateId} is used up or was withdrawn`,
        };
      }
      await giveBack(m.recipient, templateId);
      // The account's daily API quota is spent until tomorrow: the next route (SMS) carries the message now.
      if (code === 45009)
        return { outcome: 'fallback', errorCode: '45009', error: `WeChat's daily API quota is reached: ${message}` };
      if (code === 47003 || code === 40037 || code === 41030 || code === 40003) {
        return { outcome: 'failed', errorCode: String(code), error: `WeChat refused the message: ${message}` };
      }
      return { outcome: 'retry', ...(code !== undefined ? { errorCode: String(code) } : {}), error: message };
    }
  }

  return {
    channel: 'wechat-mp',
    mode: 'live',
    async planRoutes() {
      return ['subscribe'];
    },
    async send(m) {
      if (m.route === 'subscribe') return sendSubscribe(m);
      return { outcome: 'failed', errorCode: 'route', error: `unknown route ${m.route}` };
    },
  };
}
