// One of the citizen's letters: where it stands, its timeline with the reply texts, and what was written.
import { api, ApiFailure } from '../../lib/api';
import { statusText } from '../../lib/format';
import { kindLabels, satisfactionLabels, type MpLetterDetail } from '../../shared/index';

Component({
  data: { letter: null as MpLetterDetail | null, statusText: '', kindText: '', ratedText: '', error: '' },
  methods: {
    async onLoad(query: Record<string, string | undefined>) {
      try {
        const letter = await api<MpLetterDetail>('GET', `/mp/letters/${query.id ?? ''}`);
        const score = letter.survey?.score;
        this.setData({ letter, statusText: statusText(letter.status), kindText: kindLabels[letter.kind], ratedText: score ? satisfactionLabels[score] : '' });
      } catch (err) {
        this.setData({ error: err instanceof ApiFailure && err.status === 404 ? '没有找到这封信' : '加载失败，请稍后再试' });
      }
    },
    onRate() {
      void wx.navigateTo({ url: `/pages/satisfaction/index?id=${this.data.letter?.id ?? ''}` });
    },
    onPhoto(e: WechatMiniprogram.BaseEvent) {
      void wx.previewImage({ urls: this.data.letter?.photos ?? [], current: String(e.currentTarget.dataset.url) });
    },
  },
});
