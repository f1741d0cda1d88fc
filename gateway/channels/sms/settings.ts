// The SMS channel's settings: the provider and its credentials (all three, or none for the sandbox), the push URLs'
// token and allowed sources, and the sending limits.
import { z } from 'zod';
import { setting, addressList, int, text, url, type SettingFragment } from '../../lib/setting.js';

export const smsSettings = {
  ALIYUN_SMS_ACCESS_KEY_ID: setting(text.optional(), 'Aliyun AccessKey ID for SMS.'),
  ALIYUN_SMS_ACCESS_KEY_SECRET: setting(text.optional(), 'Aliyun AccessKey secret for SMS.', { secret: true }),
  ALIYUN_SMS_SIGN_NAME: setting(text.optional(), 'Approved SMS signature (签名).'),
  ALIYUN_SMS_ENDPOINT: setting(url, 'Aliyun SMS API endpoint, as a URL.', { default: 'https://dysmsapi.aliyuncs.com' }),
  SMS_PUSH_TOKEN: setting(
    z.string().min(16).optional(),
    'Secret expected in the `token` query parameter of the SMS provider push URLs.',
    { secret: true },
  ),
  SMS_PROVIDER: setting(
    text,
    'SMS provider: a name from gateway/channels/sms/providers/index.ts (checked when the SMS channel starts).',
    { default: 'aliyun' },
  ),
  SMS_PUSH_ALLOWED_IPS: setting(
    addressList,
    'Source addresses (IPv4 or IPv6 addresses or CIDR blocks) allowed to post SMS pushes (comma-separated); empty: any. The source is the client address as TRUSTED_PROXIES defines it.',
    { default: '' },
  ),
  SMS_SEND_RATE_PER_SECOND: setting(int(0, 5000), 'SMS sends per second across all instances (0: no limit).', {
    default: '50',
  }),
  SMS_DAILY_CAP_PER_NUMBER: setting(
    int(0, 10_000),
    'SMS sent to one number per day (Asia/Shanghai) across all instances; beyond it sending waits for the next day (0: no cap).',
    { default: '40' },
  ),
  SMS_RECHECK_AFTER_SECONDS: setting(
    int(1, 3600),
    'After an SMS send timed out, wait this long before asking the provider whether it went out (its records lag a little).',
    { default: '15' },
  ),
  SMS_TIMEOUT_MS: setting(
    int(200, 60_000),
    'Read timeout of one SMS provider call; a send that times out is looked up before it is retried.',
    { default: '5000' },
  ),
} satisfies SettingFragment;

/** Set together or not at all: none of them set runs the channel against the sandbox. */
export const smsCredentials = [
  'ALIYUN_SMS_ACCESS_KEY_ID',
  'ALIYUN_SMS_ACCESS_KEY_SECRET',
  'ALIYUN_SMS_SIGN_NAME',
] as const;

/** What production needs beyond the credentials. */
export function smsProductionProblems(c: Readonly<Record<string, unknown>>): string[] {
  return c.SMS_PUSH_TOKEN ? [] : ['NODE_ENV=production needs SMS_PUSH_TOKEN for the SMS push URLs'];
}
