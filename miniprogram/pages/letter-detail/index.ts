// One of the citizen's letters: where it stands, its timeline with the reply texts, and what was written.
import { api, ApiFailure } from '../../lib/api';
import { statusText } from '../../lib/format';
import { kindLabels, type MpLetterDetail } from '../../shared/index';

Component({
  data: { letter: null as MpLetterDetail | null, statusText: '', kindText: '', error: '' },
  methods: {
    async onLoad(query: Record<string, string | undefined>) {
      try {
        const letter = await api<MpLetterDetail>('GET', `/mp/letters/${query.id ?? ''}`);
        this.setData({ letter, statusText: statusText(letter.status), kindText: kindLabels[letter.kind] });
      } catch (err) {
        this.setData({ error: err instanceof ApiFailure && err.status === 404 ? '没有找到这封信' : '加载失败，请稍后再试' });
      }
    },
    onPhoto(e: WechatMiniprogram.BaseEvent) {
      wx.previewImage({ urls: this.data.letter?.photos ?? [], current: String(e.currentTarget.dataset.url) });
    },
  },
});
