// Subscribe-message consents and the verified phone. POST /mp/subscriptions records the result of
// `wx.requestSubscribeMessage` (each `accept` is one send for that template: one-time subscriptions, see
// https://developers.weixin.qq.com/miniprogram/dev/framework/open-ability/subscribe-message-overview.html);
// POST /mp/phone turns a getPhoneNumber code into a verified phone kept for SMS fallback; GET /mp/profile tells the
// app what it needs to ask for.
import type Router from '@koa/router';
import type { Middleware } from 'koa';
import { z } from 'zod';
import { sql } from 'kysely';
import { AppError } from '../errors.js';
import { readJson } from '../http/body.js';
import { parseBody } from '../http/parse-body.js';
import { idempotent } from '../http/idempotency.js';
import { MP_LIMITS, type MpProfile } from '../../shared/mp-api.js';
import type { MpDeps } from './deps.js';
import { sessionOf } from './session.js';
import { maskPhone } from '../observability/mask.js';
import { clearId, storedId } from '../privacy/pii-ids.js';
import { wechatMpChannel } from '../channels/wechat-mp/channel-id.js';

/** The messages the app asks consent for, in this order. */
export const consentKeys = ['receipt', 'reply', 'survey'] as const;

export async function subscribeTemplates(d: MpDeps): Promise<MpProfile['subscribeTemplates']> {
  const out: MpProfile['subscribeTemplates'] = [];
  for (const key of consentKeys) {
    const t = await d.templates.current(wechatMpChannel, key, 'subscribe');
    const templateId = t?.enabled ? t.content.templateId : undefined;
    if (typeof templateId === 'string' && templateId !== '' && !out.some((o) => o.templateId === templateId))
      out.push({ key, templateId });
  }
  return out.slice(0, MP_LIMITS.subscribeTemplatesMax);
}

const resultSchema = z
  .record(z.string().max(128), z.union([z.string().max(64), z.number()]))
  .refine((r) => Object.keys(r).length <= 20, 'too many entries');

/** POST /mp/subscriptions: what `wx.requestSubscribeMessage` answered, as it answered it. */
export const mpSubscriptionsRequestSchema = z
  .object({
    result: resultSchema.describe(
      'the success result of wx.requestSubscribeMessage: template id → accept, reject, ban, filter or acceptWithAudio (errMsg is ignored)',
    ),
  })
  .strict();

/** POST /mp/phone: the code of the getPhoneNumber button (in sandbox mode `dev:<11-digit number>`). */
export const mpPhoneRequestSchema = z
  .object({
    code: z
      .string()
      .min(1)
      .max(128)
      .describe('the code of the getPhoneNumber button; in sandbox mode `dev:<11-digit number>`'),
  })
  .strict();

export function consentRoutes(router: Router, d: MpDeps, auth: Middleware): void {
  router.post('/mp/subscriptions', auth, async (ctx) => {
    const { openid } = sessionOf(ctx);
    const body = parseBody(mpSubscriptionsRequestSchema, await readJson(ctx, 8192));
    const known = new Set((await subscribeTemplates(d)).map((t) => t.templateId));
    const entries = Object.entries(body.result).filter(([k]) => k !== 'errMsg' && k !== 'errCode');
    // A retried post of the same result (Idempotency-Key) must not count the consents twice.
    await idempotent(ctx, d.db, `mp:${openid}`, body, async (tx) => {
      const counted: Record<string, string> = {};
      for (const [templateId, result] of entries) {
        if (!known.has(templateId)) {
          counted[templateId] = 'ignored';
          continue;
        }
        const value = String(result);
        await tx.insertInto('mp_consent_results').values({ openid, template_id: templateId, result: value }).execute();
        if (value === 'accept' || value === 'acceptWithAudio') {
          await sql`insert into mp_consents (openid, template_id, credits) values (${openid}, ${templateId}, 1)
                    on conflict (openid, template_id) do update set credits = mp_consents.credits + 1, updated_at = now()`.execute(
            tx,
          );
        }
        counted[templateId] = value;
      }
      const credits = await tx
        .selectFrom('mp_consents')
        .select(['template_id', 'credits'])
        .where('openid', '=', openid)
        .execute();
      return {
        status: 200,
        body: { results: counted, credits: Object.fromEntries(credits.map((c) => [c.template_id, c.credits])) },
      };
    });
  });

  router.post('/mp/phone', auth, async (ctx) => {
    const { openid } = sessionOf(ctx);
    const { code } = parseBody(mpPhoneRequestSchema, await readJson(ctx, 4096));
    let e164: string;
    if (!d.api) {
      // Sandbox only: `dev:<mainland mobile number>` stands in for a getPhoneNumber code.
      const m = /^dev:(1[3-9]\d{9})$/.exec(code);
      if (!m)
        throw new AppError('wechat_code_invalid', {
          detail: 'sandbox mode: verify a phone with a code "dev:<11-digit number>"',
        });
      e164 = `+86${m[1]}`;
    } else {
      const info = await d.api.phoneNumber(code).catch((err: unknown) => {
        d.log.warn({ err }, 'getPhoneNumber failed');
        throw d.citizenFacingError(err);
      });
      if (info.appid && info.appid !== d.config.WECHAT_MP_APPID)
        throw new AppError('wechat_code_invalid', { detail: 'the phone number was issued to another mini-program' });
      e164 = `+${info.countryCode.replace(/\D/g, '') || '86'}${info.purePhoneNumber}`;
      if (!/^\+[1-9]\d{6,14}$/.test(e164))
        throw new AppError('wechat_unavailable', { detail: 'WeChat answered with a number we cannot use' });
    }
    // Stored as the phone's token (privacy/pii-ids.ts); intake turns it back into the phone for the letter.
    const token = await storedId(d.db, d.pii, e164);
    await d.db
      .insertInto('mp_phones')
      .values({ openid, phone: token })
      .onConflict((oc) => oc.column('openid').doUpdateSet({ phone: token, verified_at: new Date() }))
      .execute();
    ctx.body = { phoneVerified: true, phoneMasked: maskPhone(e164) };
  });

  router.get('/mp/profile', auth, async (ctx) => {
    const { openid } = sessionOf(ctx);
    const phone = await d.db.selectFrom('mp_phones').select('phone').where('openid', '=', openid).executeTakeFirst();
    ctx.body = {
      phoneVerified: phone !== undefined,
      ...(phone ? { phoneMasked: maskPhone(await clearId(d.db, d.pii, phone.phone)) } : {}),
      subscribeTemplates: await subscribeTemplates(d),
      uploadMaxBytes: d.config.MP_UPLOAD_MAX_BYTES,
      hotline: d.config.MP_HOTLINE,
    } satisfies MpProfile;
  });
}
