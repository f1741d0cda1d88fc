// The privacy-guide popup: WeChat calls onNeedPrivacyAuthorization when a privacy-covered API (location, photos,
// phone, clipboard) is used before the citizen agreed; the page shows its popup, and the citizen's choice goes back
// to WeChat through `resolve` (agree after the agreePrivacyAuthorization button, or disagree, which makes that API
// call fail with "privacy permission is not authorized"). Declining only turns those features off: the letter can
// still be written and sent. https://developers.weixin.qq.com/miniprogram/dev/api/open-api/privacy/wx.onNeedPrivacyAuthorization.html
type Resolve = (r: { event: 'agree' | 'disagree' | 'exposureAuthorization'; buttonId?: string }) => void;

export const AGREE_BUTTON_ID = 'agree-privacy';
const DEFAULT_NAME = '《用户隐私保护指引》';

let pending: Resolve | null = null;
let show: ((contractName: string) => void) | null = null;
let contractName = DEFAULT_NAME;

/** The page on screen registers its popup here (WeChat keeps one listener; the last page registered wins). */
export function listenForPrivacy(onNeed: (contractName: string) => void): void {
  show = onNeed;
  // Base libraries before 2.32.3 have no privacy authorization: nothing to ask.
  if (typeof wx.onNeedPrivacyAuthorization !== 'function') return;
  // The typings call the listener's argument a result; WeChat passes the resolve function.
  wx.onNeedPrivacyAuthorization((resolve: unknown) => {
    pending = resolve as Resolve;
    // Tell WeChat the popup was shown (its review checks that a popup is actually exposed).
    pending({ event: 'exposureAuthorization' });
    show?.(contractName);
  });
  if (typeof wx.getPrivacySetting === 'function') {
    wx.getPrivacySetting({ success: (r) => (contractName = r.privacyContractName || DEFAULT_NAME) });
  }
}

export function answerPrivacy(event: 'agree' | 'disagree'): void {
  const r = pending;
  pending = null;
  r?.(event === 'agree' ? { event, buttonId: AGREE_BUTTON_ID } : { event });
}

/** Opens the privacy guide declared in the console; `onFail` when this WeChat cannot. */
export function openContract(onFail: () => void): void {
  if (typeof wx.openPrivacyContract !== 'function') {
    onFail();
    return;
  }
  wx.openPrivacyContract({ fail: onFail });
}
