// Sending one SMS delivery: template rules, a send that timed out earlier looked up before anything is sent again,
// the per-number daily cap and the fleet-wide rate, then the provider. OutId = our delivery id so delivery reports
// and send-detail lookups find the delivery. (After an opt-out the dispatcher no longer hands over surveys and
// notices.)
import type { OutboundMessage, SendResult } from '../adapter.js';
import type { Db } from '../../store/db.js';
import type { Logger } from '../../observability/logger.js';
import { maskPhone } from '../../observability/mask.js';
import type { SmsClient } from './provider.js';
import type { SmsLimits } from './limits.js';
import { msUntilShanghaiMidnight } from './limits.js';
import { prepareSms, SmsTemplateError, type PreparedSms } from './template-rules.js';
import { normalizePhone } from '../../lib/phone.js';
import type { PiiService } from '../../privacy/pii-service.js';
import { clearId, storedId } from '../../privacy/pii-ids.js';

export interface SmsSenderOptions {
  db: Db;
  client: SmsClient;
  limits: SmsLimits;
  log: Logger;
  defaultSignName: string | undefined;
  /** How long after a timed-out send the provider is asked whether it went out. */
  recheckAfterMs: number;
  pii: PiiService;
}

/**
 * The recipient as stored (the phone's token, privacy/pii-ids.ts), which keys the channel's own rows, and the message
 * with the phone in clear for the provider. Callers hand over a token (deliveries) or a phone (verification codes).
 */
export async function withClearPhone(
  db: Db,
  pii: PiiService,
  m: OutboundMessage,
): Promise<{ key: string; message: OutboundMessage }> {
  const key = await storedId(db, pii, m.recipient);
  return { key, message: { ...m, recipient: await clearId(db, pii, key) } };
}

/** Checks shared by the live and the sandbox adapter: the number and the template rules. */
export function precheck(
  m: OutboundMessage,
  defaultSignName: string | undefined,
): { ok: true; phone: string; sms: PreparedSms & { signName: string } } | { ok: false; result: SendResult } {
  const phone = normalizePhone(m.recipient);
  if (!phone)
    return {
      ok: false,
      result: { outcome: 'failed', errorCode: 'invalid_number', error: 'recipient is not a phone number' },
    };
  try {
    const sms = prepareSms(m.rendered);
    const signName = sms.signName ?? defaultSignName;
    if (!signName) throw new SmsTemplateError(['signName: none in the template and ALIYUN_SMS_SIGN_NAME is unset']);
    return { ok: true, phone, sms: { ...sms, signName } };
  } catch (err) {
    if (!(err instanceof SmsTemplateError)) throw err;
    return {
      ok: false,
      result: { outcome: 'failed', errorCode: 'template', error: `template ${m.templateKey}: ${err.message}` },
    };
  }
}

export function createSmsSender(o: SmsSenderOptions): (m: OutboundMessage) => Promise<SendResult> {
  return async (stored) => {
    const { key, message: m } = await withClearPhone(o.db, o.pii, stored);
    const checked = precheck(m, o.defaultSignName);
    if (!checked.ok) return checked.result;
    const { phone, sms } = checked;

    const earlier = await o.db
      .selectFrom('sms_uncertain_sends')
      .select('since')
      .where('delivery_id', '=', m.deliveryId)
      .executeTakeFirst();
    if (earlier) {
      // The last try timed out: ask the provider before sending again, so nobody gets the same SMS twice.
      const found = await o.client
        .lookup({ phone, outId: m.deliveryId, since: earlier.since })
        .catch((err: unknown) => {
          o.log.warn({ err, deliveryId: m.deliveryId }, 'SMS send-detail lookup failed');
          return null;
        });
      if (!found)
        return {
          outcome: 'retry',
          errorCode: 'lookup_failed',
          error: 'could not learn whether the timed-out send went out',
          retryAfterMs: o.recheckAfterMs,
        };
      await o.db.deleteFrom('sms_uncertain_sends').where('delivery_id', '=', m.deliveryId).execute();
      if (found.found) {
        if (found.status === 'failed')
          return {
            outcome: 'failed',
            errorCode: found.errorCode ?? 'provider_failed',
            error: 'the provider reports the timed-out send failed',
          };
        return {
          outcome: found.status,
          ...(found.providerMessageId ? { providerMessageId: found.providerMessageId } : {}),
        };
      }
    }

    if (!(await o.limits.takeDaily(key))) {
      return {
        outcome: 'retry',
        errorCode: 'daily_cap',
        error: 'this number has had its SMS for today',
        retryAfterMs: msUntilShanghaiMidnight(),
      };
    }
    if (!(await o.limits.takeSlot(2000)))
      return { outcome: 'retry', errorCode: 'rate_limited', error: 'SMS send rate reached', retryAfterMs: 1000 };

    const r = await o.client.send({
      phone,
      signName: sms.signName,
      templateCode: sms.templateCode,
      params: sms.params,
      outId: m.deliveryId,
    });
    switch (r.outcome) {
      case 'accepted':
        return { outcome: 'sent', ...(r.providerMessageId ? { providerMessageId: r.providerMessageId } : {}) };
      case 'unknown':
        await o.db
          .insertInto('sms_uncertain_sends')
          .values({ delivery_id: m.deliveryId, phone: key })
          .onConflict((oc) => oc.column('delivery_id').doNothing())
          .execute();
        o.log.warn(
          { deliveryId: m.deliveryId, phone: maskPhone(phone), error: r.error },
          'SMS send got no answer; it will be looked up before any retry',
        );
        return { outcome: 'retry', errorCode: 'timeout', error: r.error, retryAfterMs: o.recheckAfterMs };
      case 'retry':
        return {
          outcome: 'retry',
          errorCode: r.errorCode,
          error: r.error,
          ...(r.retryAfterMs !== undefined ? { retryAfterMs: r.retryAfterMs } : {}),
        };
      case 'failed':
        o.log.warn(
          { deliveryId: m.deliveryId, phone: maskPhone(phone), code: r.errorCode },
          'SMS refused by the provider',
        );
        return { outcome: 'failed', errorCode: r.errorCode, error: r.error };
    }
  };
}
