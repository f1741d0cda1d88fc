// Voice input for the letter body through WeChat's 同声传译 plug-in (WechatSI): the record permission is asked only
// on the citizen's first tap, the recognised text is appended to what was typed (cut at the body's limit), and each
// way the microphone or the plug-in fails becomes a Chinese message.
// https://mp.weixin.qq.com/wxopen/plugindevdoc?appid=wx069ba97219f66d99
import { failKind, type WxFail } from './wx-fail';
import { say } from './messages.zh-CN';

/** The plug-in's recognition manager; its listeners are plain properties, as the plug-in's documentation sets them. */
export interface RecognitionManager {
  start(o: { duration: number; lang: string }): void;
  stop(): void;
  onStart?: () => void;
  onStop?: (r: { result?: string }) => void;
  onError?: (r: { retcode?: number; msg?: string }) => void;
}

/** One minute is the plug-in's maximum per recording. */
export const VOICE_DURATION_MS = 60_000;
/** After stop, the plug-in sometimes never calls back (silence with zh_CN): the button comes back after this. */
export const VOICE_RESULT_WAIT_MS = 15_000;

/** The plug-in's manager (the plug-in keeps one per app); null when the plug-in is missing from this build. */
export function recognition(): RecognitionManager | null {
  try {
    const plugin = requirePlugin('WechatSI') as { getRecordRecognitionManager(): RecognitionManager };
    return plugin.getRecordRecognitionManager();
  } catch {
    return null;
  }
}

export type RecordPermission = 'granted' | 'denied' | 'privacy-declined' | 'undeclared' | 'failed';

/** Asks for scope.record the first time; once refused, WeChat asks no more and only the settings page can allow it. */
export function askRecordPermission(): Promise<RecordPermission> {
  return new Promise((resolve) => {
    const authorize = () =>
      wx.authorize({
        scope: 'scope.record',
        success: () => resolve('granted'),
        fail: (e: WxFail) => {
          const kind = failKind(e);
          resolve(kind === 'auth-denied' || kind === 'cancel' ? 'denied' : kind === 'other' ? 'failed' : kind);
        },
      });
    wx.getSetting({
      success: (s) => {
        const allowed = s.authSetting['scope.record'];
        if (allowed === true) resolve('granted');
        else if (allowed === false) resolve('denied');
        else authorize();
      },
      fail: authorize,
    });
  });
}

/** What to tell the citizen when recording could not start for want of a permission. */
export function permissionMessage(p: Exclude<RecordPermission, 'granted'>): string {
  switch (p) {
    case 'denied':
      return say('mp.write.voice_denied');
    case 'privacy-declined':
      return say('mp.write.voice_privacy_declined');
    case 'undeclared':
      return say('mp.write.voice_undeclared');
    default:
      return say('mp.write.voice_failed');
  }
}

/** The plug-in's error codes the citizen can act on; every other code means the service failed. */
export function recognitionErrorMessage(retcode: number | undefined): string {
  if (retcode === -30003) return say('mp.write.voice_too_short');
  if (retcode === -30011) return say('mp.write.voice_busy');
  if (retcode === -30001) return say('mp.write.voice_mic_failed');
  return say('mp.write.voice_failed');
}

/** Appends what was heard to the body, never past `max` characters; `cut` tells that some of it did not fit. */
export function appendHeard(body: string, heard: string, max: number): { body: string; added: number; cut: boolean } {
  const room = Math.max(0, max - body.length);
  const text = heard.trim();
  const kept = text.slice(0, room);
  return { body: body + kept, added: kept.length, cut: text.length > room };
}
