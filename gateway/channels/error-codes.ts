// Every channel's own error codes, gathered for the gateway's error catalogue (gateway/errors.ts), as settings.ts
// gathers their settings. A channel declares its codes in its folder's error-codes.ts, which imports nothing.
import { wechatMpErrorCodes } from './wechat-mp/error-codes.js';

export const channelErrorCodes = {
  ...wechatMpErrorCodes,
} as const;
