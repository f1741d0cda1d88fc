// One of the citizen's letters: where it stands, its timeline with the reply texts, and what was written. Loaded again
// each time the page shows, so coming back from the survey no longer offers a rating already given.
import { api, ApiFailure } from '../../lib/api';
import { statusText } from '../../lib/format';
import { kindLabels, satisfactionLabels, type MpLetterDetail } from '../../shared/index';
import { careBehavior } from '../../lib/care';

Component({
  behaviors: [careBehavior],
  data: { id: '', letter: null as MpLetterDetail | null, statusText: '', kindText: '', ratedText: '', error: '', loading: false },
  methods: {
    onLoad(query: Record<string, string | undefined>) {
      this.setData({ id: query.id ?? '' });
    },
    onShow() {
      return this.load();
    },
    onRetry() {
      void this.load();
    },
    onPullDownRefresh() {
      void this.load().then(() => wx.stopPullDownRefresh());
    },
    async load() {
      this.setData({ loading: true });
      try {
        const letter = await api<MpLetterDetail>('GET', `/mp/letters/${this.data.id}`);
        const score = letter.survey?.score;
        this.setData({ loading: false, error: '', letter, statusText: statusText(letter.status), kindText: kindLabels[letter.kind], ratedText: score ? satisfactionLabels[score] : '' });
      } catch (err) {
        this.setData({ loading: false, error: err instanceof ApiFailure && err.status === 404 ? '没有找到这封信' : err instanceof ApiFailure ? err.message : '加载失败，请稍后再试' });
      }
    },
    onRate() {
      wx.navigateTo({ url: `/pages/satisfaction/index?id=${this.data.letter?.id ?? ''}` });
    },
    onPhoto(e: WechatMiniprogram.BaseEvent) {
      wx.previewImage({ urls: this.data.letter?.photos ?? [], current: String(e.currentTarget.dataset.url) });
    },
  },
});
