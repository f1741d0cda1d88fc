// The citizen's own letters, newest first, with where each one stands.
import { api, ApiFailure } from '../../lib/api';
import { chinaTime, statusText } from '../../lib/format';
import { kindLabels, type MpLetterSummary } from '../../shared/index';
import { careBehavior } from '../../lib/care';

type Row = MpLetterSummary & { statusText: string; kindText: string; time: string };

Component({
  behaviors: [careBehavior],
  data: { letters: [] as Row[], loaded: false, loading: false, error: '' },
  methods: {
    onShow() {
      void this.load();
    },
    onPullDownRefresh() {
      void this.load().then(() => wx.stopPullDownRefresh());
    },
    onRetry() {
      void this.load();
    },
    onWrite() {
      void wx.navigateTo({ url: '/pages/write/index' });
    },
    async load() {
      this.setData({ loading: true });
      try {
        const { letters } = await api<{ letters: MpLetterSummary[] }>('GET', '/mp/letters');
        this.setData({
          loaded: true,
          loading: false,
          error: '',
          letters: letters.map((l) => ({
            ...l,
            statusText: statusText(l.status),
            kindText: kindLabels[l.kind],
            time: chinaTime(l.receivedAt),
          })),
        });
      } catch (err) {
        this.setData({
          loaded: true,
          loading: false,
          error: err instanceof ApiFailure ? err.message : '加载失败，请稍后再试',
        });
      }
    },
    onOpen(e: WechatMiniprogram.BaseEvent) {
      void wx.navigateTo({ url: `/pages/letter-detail/index?id=${String(e.currentTarget.dataset.id)}` });
    },
  },
});
