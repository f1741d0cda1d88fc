// The message centre: replies, progress changes and survey invitations of the citizen's letters, unread ones marked,
// so nothing is missed when notifications were declined. What is shown is marked read once the page has shown it.
import { api, ApiFailure } from '../../lib/api';
import { careBehavior } from '../../lib/care';
import { chinaTime } from '../../lib/format';

interface Message {
  id: string;
  kind: 'status' | 'reply' | 'survey';
  letterId: string;
  title: string;
  text: string;
  at: string;
  unread: boolean;
}

const kindText = { status: '进度', reply: '答复', survey: '评价' } as const;

Component({
  behaviors: [careBehavior],
  data: { messages: [] as (Message & { time: string; kindText: string })[], loaded: false, loading: false, error: '' },
  methods: {
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
        const r = await api<{ messages: Message[]; unread: number }>('GET', '/mp/messages');
        this.setData({
          loaded: true,
          loading: false,
          error: '',
          messages: r.messages.map((m) => ({ ...m, time: chinaTime(m.at), kindText: kindText[m.kind] })),
        });
        const newest = r.messages[0];
        // The marks stay on screen for this visit; the next visit shows them read.
        if (r.unread > 0 && newest) await api('POST', '/mp/messages/read', { until: newest.at }).catch(() => undefined);
      } catch (err) {
        this.setData({
          loaded: true,
          loading: false,
          error: err instanceof ApiFailure ? err.message : '加载失败，请稍后再试',
        });
      }
    },
    onOpen(e: WechatMiniprogram.BaseEvent) {
      const { letter, kind } = e.currentTarget.dataset as { letter: string; kind: string };
      void wx.navigateTo({
        url: kind === 'survey' ? `/pages/satisfaction/index?id=${letter}` : `/pages/letter-detail/index?id=${letter}`,
      });
    },
  },
});
