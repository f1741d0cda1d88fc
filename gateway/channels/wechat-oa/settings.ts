// The official account's settings: its AppID, secret and push Token (all three, or none for the sandbox), and how
// its pushes are checked.
import { z } from 'zod';
import { setting, int, text, type SettingFragment } from '../../lib/setting.js';

export const wechatOaSettings = {
  WECHAT_OA_APPID: setting(text.optional(), 'Official account AppID.'),
  WECHAT_OA_SECRET: setting(text.optional(), 'Official account AppSecret.', { secret: true }),
  WECHAT_OA_TOKEN: setting(
    z
      .string()
      .regex(/^[A-Za-z0-9]{3,32}$/)
      .optional(),
    'Official account push Token (3–32 letters and digits).',
    { secret: true },
  ),
  WECHAT_OA_AES_KEY: setting(
    z
      .string()
      .regex(/^[A-Za-z0-9+/]{43}$/)
      .optional(),
    'EncodingAESKey (43 characters); set: encrypted pushes are required.',
    { secret: true },
  ),
  WECHAT_OA_PREVIOUS_AES_KEY: setting(
    z
      .string()
      .regex(/^[A-Za-z0-9+/]{43}$/)
      .optional(),
    'The EncodingAESKey in use before the current one: pushes it still encrypts are accepted during a key rotation.',
    { secret: true },
  ),
  WECHAT_OA_ALLOW_PLAIN: setting(
    z.enum(['true', 'false']).transform((v) => v === 'true'),
    'Compatibility: with an EncodingAESKey set, also accept plaintext pushes (verified by `signature` only). Leave false once the account is in safe mode.',
    { default: 'false' },
  ),
  WECHAT_OA_REPLAY_WINDOW_SECONDS: setting(
    int(30, 3600),
    'Official-account pushes whose timestamp is further than this from our clock are refused, and their nonces remembered this long.',
    { default: '300' },
  ),
  WECHAT_OA_MAX_BODY_BYTES: setting(
    int(1024, 1024 * 1024),
    'Largest official-account push body read (refused before parsing).',
    { default: '65536' },
  ),
} satisfies SettingFragment;

/** Set together or not at all: none of them set runs the channel against the sandbox. */
export const wechatOaCredentials = ['WECHAT_OA_APPID', 'WECHAT_OA_SECRET', 'WECHAT_OA_TOKEN'] as const;
