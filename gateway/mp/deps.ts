// What the mini-program's app backend (the `/mp/…` routes) and the wechat-mp channel share: the gateway services they
// use and the WeChat calls the app needs (absent in sandbox mode, where no AppID is configured). The channel implements
// these calls (channels/wechat-mp/wechat-api.ts), so this module never imports the channel.
import type { GatewayServices } from '../services.js';
import type { AppError } from '../errors.js';
import type { MailboxDirectory } from './mailboxes.js';

export interface SessionInfo {
  openid: string;
  unionid?: string;
}

export interface ContentVerdict {
  suggest: 'pass' | 'review' | 'risky';
  label?: number;
  traceId?: string;
}

/** The WeChat calls behind the app's login, phone number and content check. */
export interface MpAppWechatApi {
  /** https://developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/user-login/code2Session.html — session_key is dropped here. */
  code2Session(code: string): Promise<SessionInfo>;
  /** https://developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/sec-center/sec-check/msgSecCheck.html (v2; scene 2). */
  msgSecCheck(openid: string, content: string, title?: string): Promise<ContentVerdict>;
  /** https://developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/user-info/phone-number/getPhoneNumber.html */
  phoneNumber(
    code: string,
  ): Promise<{ phoneNumber: string; purePhoneNumber: string; countryCode: string; appid?: string }>;
  /** https://developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/sec-center/sec-check/mediaCheckAsync.html (v2, image, scene 3); the verdict is pushed. */
  mediaCheckAsync(openid: string, mediaUrl: string): Promise<{ traceId: string }>;
}

export type MpDeps = Pick<
  GatewayServices,
  'config' | 'db' | 'log' | 'intake' | 'attachments' | 'templates' | 'wakeup' | 'pii'
> & {
  api: MpAppWechatApi | null;
  /** Turns a failed WeChat call of the citizen's (login, phone number) into the problem the app shows. */
  citizenFacingError: (err: unknown) => AppError;
  mailboxes: MailboxDirectory;
};
