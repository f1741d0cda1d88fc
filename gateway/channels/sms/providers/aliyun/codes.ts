// What each SendSms `Code` means for us. Business errors arrive in an HTTP 200 body; only `OK` is a success.
// https://help.aliyun.com/document_detail/101346.html (国内消息API错误码)
import type { SmsSendOutcome } from '../../provider.js';

const minute = 60_000;

/** Codes worth trying again later; every other code is permanent (shown to staff, no retry loop). */
const transient: Record<string, (message: string) => number> = {
  // 流控: the message names the window (分钟级/小时级/天级).
  'isv.BUSINESS_LIMIT_CONTROL': (m) =>
    /天级|day/i.test(m) ? 24 * 60 * minute : /小时级|hour/i.test(m) ? 60 * minute : minute,
  'isp.SYSTEM_ERROR': () => minute,
  'isp.GATEWAY_ERROR': () => minute,
  ServiceUnavailable: () => minute,
  Throttling: () => minute,
};

export function outcomeOf(
  code: string | undefined,
  message: string | undefined,
  bizId: string | undefined,
): SmsSendOutcome {
  const text = message ?? '';
  if (code === 'OK') return { outcome: 'accepted', ...(bizId ? { providerMessageId: bizId } : {}) };
  if (!code) return { outcome: 'unknown', error: 'response without Code' };
  const wait = transient[code];
  if (wait) return { outcome: 'retry', errorCode: code, error: text || code, retryAfterMs: wait(text) };
  // isv.MOBILE_NUMBER_ILLEGAL, isv.SMS_TEMPLATE_ILLEGAL, isv.SMS_SIGNATURE_ILLEGAL, isv.AMOUNT_NOT_ENOUGH,
  // isv.OUT_OF_SERVICE, isv.DAY_LIMIT_CONTROL, isp.RAM_PERMISSION_DENY …: retrying cannot help until a person acts.
  return { outcome: 'failed', errorCode: code, error: text || code };
}
