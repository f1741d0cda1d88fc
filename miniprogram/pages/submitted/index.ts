// After submitting: the extraction code at once, the serial as soon as the case store has registered the letter
// ("being registered" until then), and a button copying both.
import { api } from '../../lib/api';
import { failMessage, type WxFail } from '../../lib/wx-fail';
import { say } from '../../lib/messages.zh-CN';
import type { MpLetterDetail } from '../../shared/index';
import { careBehavior } from '../../lib/care';

const pollMs = 3000;
const pollTimes = 40;

Component({
  behaviors: [careBehavior],
  data: { letterId: '', code: '', serial: '', copyMessage: '', consentNote: '' },
  methods: {
    onLoad(query: Record<string, string | undefined>) {
      // Every notification was declined: say where progress shows instead (my letters, the message centre).
      this.setData({
        letterId: query.id ?? '',
        code: query.code ?? '',
        consentNote: query.declined === '1' ? say('mp.consent.declined') : '',
      });
      void this.poll(0);
    },
    onUnload() {
      this.setData({ letterId: '' });
    },
    async poll(times: number) {
      const id = this.data.letterId;
      if (!id || this.data.serial) return;
      const letter = await api<MpLetterDetail>('GET', `/mp/letters/${id}`).catch(() => null);
      if (letter?.serial) {
        this.setData({ serial: letter.serial, code: letter.extractionCode });
        return;
      }
      if (times < pollTimes) setTimeout(() => void this.poll(times + 1), pollMs);
    },
    onCopy() {
      const serial = this.data.serial || '正在登记';
      wx.setClipboardData({
        data: `受理流水号：${serial}\n提取码：${this.data.code}`,
        success: () => this.setData({ copyMessage: say('mp.copied') }),
        fail: (e: WxFail) =>
          this.setData({ copyMessage: failMessage('setClipboardData', e) || say('mp.fail.setClipboardData') }),
      });
    },
    onDetail() {
      void wx.redirectTo({ url: `/pages/letter-detail/index?id=${this.data.letterId}` });
    },
    onHome() {
      void wx.reLaunch({ url: '/pages/index/index' });
    },
  },
});
