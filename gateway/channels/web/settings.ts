// The web mailbox's settings: signed-in sessions and the SMS verification codes.
import { z } from 'zod';
import { setting, int, type SettingFragment } from '../../lib/setting.js';

export const webSettings = {
  WEB_SESSION_HOURS: setting(
    int(1, 24 * 90),
    'Web mailbox (/web/): how long a phone verified by SMS code stays signed in on that browser.',
    { default: '168' },
  ),
  WEB_CODE_TTL_SECONDS: setting(int(60, 3600), 'Web mailbox: an SMS verification code is valid this long.', {
    default: '600',
  }),
  WEB_CODE_RESEND_SECONDS: setting(
    int(10, 3600),
    'Web mailbox: least time between two verification codes to one phone.',
    { default: '60' },
  ),
  WEB_CODES_PER_PHONE_PER_DAY: setting(
    int(1, 1000),
    'Web mailbox: verification codes one phone may receive per day (Asia/Shanghai); not counted in SMS_DAILY_CAP_PER_NUMBER.',
    { default: '10' },
  ),
  WEB_CODES_PER_ADDRESS_PER_HOUR: setting(
    int(1, 100_000),
    'Web mailbox: verification codes one client address may request per hour, whatever the phones.',
    { default: '20' },
  ),
  WEB_CODE_MAX_ATTEMPTS: setting(
    int(1, 20),
    'Web mailbox: wrong entries of one code before it is void and a new one must be requested.',
    { default: '5' },
  ),
  WEB_SMS_CODE_TEMPLATE: setting(
    z
      .string()
      .trim()
      .regex(/^SMS_[A-Za-z0-9_]{1,40}$/),
    'Web mailbox: approved SMS template (code) of the verification code message, with one variable `${code}`.',
    { default: 'SMS_486215100' },
  ),
  WEB_PHOTO_MAX_BYTES: setting(
    int(1024 * 1024, 50 * 1024 * 1024),
    'Web mailbox: largest photo a citizen may attach (browsers send camera originals uncompressed); ATTACHMENT_MAX_BYTES caps it.',
    { default: String(10 * 1024 * 1024) },
  ),
} satisfies SettingFragment;

/** The web mailbox reaches citizens by SMS: it is live exactly when SMS is. */
export { smsCredentials as webCredentials } from '../sms/settings.js';
