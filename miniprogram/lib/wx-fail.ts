// Turns the `fail` of a WeChat API (location, photos, phone, clipboard, call) into what to tell the citizen, the way
// WeChat fails: errno 112 when the interface is not declared in the privacy guide, 104 when the citizen declined the
// privacy guide, "auth deny"/103 when a permission is off in the settings, "cancel" when the citizen backed out.
// https://developers.weixin.qq.com/miniprogram/dev/framework/user-privacy/PrivacyAuthorize.html
import { say, type MessageKey } from './messages.zh-CN';

export type PrivacyApi = 'chooseLocation' | 'chooseMedia' | 'getPhoneNumber' | 'setClipboardData' | 'makePhoneCall';

export interface WxFail {
  errMsg?: string;
  errno?: number;
}

export type FailKind = 'cancel' | 'undeclared' | 'privacy-declined' | 'auth-denied' | 'other';

export function failKind(e: WxFail | undefined): FailKind {
  const msg = e?.errMsg ?? '';
  if (e?.errno === 112 || /not declared in the privacy/i.test(msg)) return 'undeclared';
  if (e?.errno === 104 || /privacy permission is not authorized/i.test(msg)) return 'privacy-declined';
  if (e?.errno === 103 || /auth den(y|ied)|authorize no response|permission denied/i.test(msg)) return 'auth-denied';
  if (/:fail cancel|user deny|user cancel/i.test(msg)) return 'cancel';
  return 'other';
}

/** The message for a failed call; empty when the citizen simply cancelled (nothing to say). */
export function failMessage(api: PrivacyApi, e: WxFail | undefined): string {
  switch (failKind(e)) {
    case 'cancel':
      return api === 'getPhoneNumber' ? say('mp.phone.declined') : '';
    case 'undeclared':
      return say('mp.privacy.undeclared');
    case 'privacy-declined':
      return say('mp.privacy.declined');
    case 'auth-denied':
      return say('mp.auth.denied', { what: say(`mp.auth.what.${api}` as MessageKey) });
    default:
      return say(`mp.fail.${api}` as MessageKey);
  }
}
