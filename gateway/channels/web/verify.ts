// Phone verification for the web mailbox: a mainland mobile number gets a 6-digit code by SMS (through the SMS
// channel's path, so the sandbox outbox shows it like any SMS); the right code signs that phone in.
import { uuidv7 } from '../../letters/ids.js';
import type { WebDeps } from './deps.js';
import { t } from './messages.zh-CN.js';

const mobile = /^1[3-9]\d{9}$/;

/** Digits of a typed phone: spaces, dashes and a +86 prefix are allowed; full-width digits become ASCII. */
function localPhone(input: string): string {
  const s = input
    .replace(/[\uFF10-\uFF19]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xff10 + 0x30))
    .replace(/[\s\-()\u3000]/g, '');
  return s.replace(/^(?:\+86|0086)/, '').slice(0, 20);
}

/** The E.164 form of a typed mainland mobile number, or null when it is none (the only phones the mailbox verifies). */
export function mainlandMobile(input: string): string | null {
  const local = localPhone(input);
  return mobile.test(local) ? `+86${local}` : null;
}

export type SendOutcome = { ok: true; local: string } | { ok: false; local: string; status: number; error: string };

export async function sendCode(d: WebDeps, input: string, address: string): Promise<SendOutcome> {
  const local = localPhone(input);
  if (!mobile.test(local)) return { ok: false, local, status: 422, error: t('web.err.phone') };
  const phone = `+86${local}`;
  const { codes } = await d.ready();
  const hash = d.pii.lookupHash(phone);
  const r = await codes.issue(hash, address || 'unknown');
  if (!r.ok) {
    const error =
      r.reason === 'resend_wait'
        ? t('web.err.codeWait', { s: r.waitSeconds ?? d.config.WEB_CODE_RESEND_SECONDS })
        : r.reason === 'phone_daily'
          ? t('web.err.codePhoneDaily')
          : t('web.err.codeAddress');
    return { ok: false, local, status: 429, error };
  }
  const minutes = Math.round(d.config.WEB_CODE_TTL_SECONDS / 60);
  const sent = await d.sms.sendCode({
    deliveryId: uuidv7(),
    letterId: null,
    channel: 'web',
    recipient: phone,
    kind: 'service',
    templateKey: 'web_code',
    route: 'sms',
    rendered: {
      templateCode: d.config.WEB_SMS_CODE_TEMPLATE,
      params: { code: r.code },
      text: t('web.sms.code', { min: minutes }),
    },
    variables: {},
    attempt: 1,
  });
  if (sent.outcome === 'sent' || sent.outcome === 'delivered') return { ok: true, local };
  d.log.warn({ errorCode: sent.errorCode, error: sent.error }, 'web verification code SMS not sent');
  await codes.withdraw(hash);
  return { ok: false, local, status: 503, error: t('web.err.codeSend') };
}

export type CheckOutcome =
  { ok: true; phone: string } | { ok: false; local: string; field: 'phone' | 'code'; error: string };

export async function checkCode(d: WebDeps, input: string, code: string): Promise<CheckOutcome> {
  const local = localPhone(input);
  if (!mobile.test(local)) return { ok: false, local, field: 'phone', error: t('web.err.phone') };
  if (!/^\d{6}$/.test(code)) return { ok: false, local, field: 'code', error: t('web.err.code') };
  const phone = `+86${local}`;
  const r = await (await d.ready()).codes.check(d.pii.lookupHash(phone), code);
  if (r.ok) return { ok: true, phone };
  if (r.reason === 'wrong')
    return { ok: false, local, field: 'code', error: t('web.err.codeWrong', { n: r.attemptsLeft }) };
  return { ok: false, local, field: 'phone', error: t('web.err.codeVoid') };
}
