// Home: write a letter, see one's own letters, browse the public letters board, check progress with serial and extraction code, call the hotline,
// switch 关怀模式 (larger text), read the privacy guide. Shared as the app's entry page.
import { api } from '../../lib/api';
import { careBehavior, careOn, setCare } from '../../lib/care';
import { failMessage, type WxFail } from '../../lib/wx-fail';
import type { MpProfile } from '../../shared/index';
import { say } from '../../lib/messages.zh-CN';

const DEFAULT_HOTLINE = '12345';

Component({
  behaviors: [careBehavior],
  data: { hotline: DEFAULT_HOTLINE, message: '', unread: 0, boardText: say('mp.home.board') },
  methods: {
    onLoad() {
      // The hotline number comes from the gateway (MP_HOTLINE); 12345 until it answers, or if it cannot.
      api<MpProfile>('GET', '/mp/profile').then(
        (p) => p.hotline && this.setData({ hotline: p.hotline }),
        () => undefined,
      );
    },
    onShow() {
      // The unread count on the 消息 button; a failure just leaves the button without a count.
      return api<{ unread: number }>('GET', '/mp/messages').then(
        (r) => this.setData({ unread: r.unread }),
        () => undefined,
      );
    },
    onMessages() {
      void wx.navigateTo({ url: '/pages/messages/index' });
    },
    onWrite() {
      void wx.navigateTo({ url: '/pages/write/index' });
    },
    onLetters() {
      void wx.navigateTo({ url: '/pages/letters/index' });
    },
    onBoard() {
      void wx.navigateTo({ url: '/pages/board/index' });
    },
    onQuery() {
      void wx.navigateTo({ url: '/pages/query/index' });
    },
    onPrivacy() {
      void wx.navigateTo({ url: '/pages/privacy/index' });
    },
    onCall() {
      wx.makePhoneCall({
        phoneNumber: this.data.hotline,
        // Closing the dialer's confirmation is a cancel: nothing to say then.
        fail: (e: WxFail) =>
          this.setData({
            message: failMessage('makePhoneCall', e) ? `${failMessage('makePhoneCall', e)}：${this.data.hotline}` : '',
          }),
      });
    },
    onCare() {
      const on = !careOn();
      setCare(on);
      this.setData({ care: on ? 'care' : '' });
    },
    onShareAppMessage() {
      return { title: '网络理政：有事请写信，进度随时查', path: '/pages/index/index' };
    },
    onShareTimeline() {
      return { title: '网络理政：有事请写信，进度随时查' };
    },
  },
});
