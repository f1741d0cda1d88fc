// The mini-program channel's settings: its AppID and secret (both, or neither for the sandbox), which version its
// notifications open, and WeChat's message push for it.
import { z } from 'zod';
import { setting, text, type SettingFragment } from '../../lib/setting.js';

export const wechatMpSettings = {
  WECHAT_MP_APPID: setting(text.optional(), 'Mini-program AppID.'),
  WECHAT_MP_SECRET: setting(text.optional(), 'Mini-program AppSecret.', { secret: true }),
  WECHAT_MP_STATE: setting(
    z.enum(['formal', 'trial', 'developer']),
    'Which version of the mini-program a subscribe message opens (`miniprogram_state`): formal (released), trial or developer.',
    { default: 'formal' },
  ),
  WECHAT_MP_PUSH_TOKEN: setting(
    z
      .string()
      .regex(/^[A-Za-z0-9]{3,32}$/)
      .optional(),
    "Mini-program message-push Token (3–32 letters and digits; 开发管理 → 消息推送, URL `/wechat/mp`). Set: notification switch-offs and photo-check verdicts are received, and photos are sent to WeChat's mediaCheckAsync.",
    { secret: true },
  ),
  WECHAT_MP_AES_KEY: setting(
    z
      .string()
      .regex(/^[A-Za-z0-9+/]{43}$/)
      .optional(),
    'Mini-program message-push EncodingAESKey (43 characters); set: only encrypted (safe mode) pushes are accepted.',
    { secret: true },
  ),
} satisfies SettingFragment;

/** Set together or not at all: neither set runs the channel against the sandbox. */
export const wechatMpCredentials = ['WECHAT_MP_APPID', 'WECHAT_MP_SECRET'] as const;
