// The mini-program channel's error codes, joined to the gateway's error catalogue (gateway/errors.ts) through
// channels/error-codes.ts: WeChat's answers to a citizen's login or phone code (see wechat-errors.ts). This file imports
// nothing, so the catalogue can read it without loading the channel.
export const wechatMpErrorCodes = {
  wechat_code_invalid: { status: 400, title: 'The WeChat login or phone code is invalid or already used' },
  wechat_user_blocked: { status: 403, title: 'WeChat refused this user' },
  wechat_rate_limited: { status: 429, title: 'WeChat asks us to slow down; try again in a minute' },
  wechat_unavailable: { status: 502, title: 'WeChat could not be reached; try again' },
} as const;
