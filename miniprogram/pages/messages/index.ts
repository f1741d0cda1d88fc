// The message centre: replies, progress changes and survey invitations of the citizen's letters, unread ones marked,
// so nothing is missed when notifications were declined. Opening a message marks it read (stored by the gateway, so
// every phone of the citizen's agrees); 全部标为已读 marks them all.
import { api, ApiFailure } from '../../lib/api';
import { careBehavior } from '../../lib/care';
import { chinaTime } from '../../lib/format';
import { say, texts } from '../../lib/messages.zh-CN';

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
  data: {
    messages: [] as (Message & { time: string; kindText: string })[],
    unread: 0,
    unreadText: '',
    loaded: false,
    loading: false,
    error: '',
    texts: texts('mp.messages.'),
  },
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
        this.show(await api<{ messages: Message[]; unread: number }>('GET', '/mp/messages'));
      } catch (err) {
        this.setData({
          loaded: true,
          loading: false,
          error: err instanceof ApiFailure ? err.message : '加载失败，请稍后再试',
        });
      }
    },
    show(r: { messages: Message[]; unread: number }) {
      this.setData({
        loaded: true,
        loading: false,
        error: '',
        unread: r.unread,
        unreadText: r.unread > 0 ? say('mp.messages.unread', { n: r.unread }) : say('mp.messages.all_read'),
        messages: r.messages.map((m) => ({ ...m, time: chinaTime(m.at), kindText: kindText[m.kind] })),
      });
    },
    async onReadAll() {
      const newest = this.data.messages[0];
      if (!newest || this.data.unread === 0) return;
      try {
        this.show(
          await api<{ messages: Message[]; unread: number }>('POST', '/mp/messages/read', { until: newest.at }),
        );
      } catch {
        // Nothing lost: the marks stay as they were and the button stays.
      }
    },
    onOpen(e: WechatMiniprogram.BaseEvent) {
      const { letter, kind, id } = e.currentTarget.dataset as { letter: string; kind: string; id: string };
      // Marked read on the gateway; the page shows it read at once, and a failure leaves it unread for next time.
      if (this.data.messages.some((m) => m.id === id && m.unread)) {
        const unread = this.data.unread - 1;
        this.setData({
          messages: this.data.messages.map((m) => (m.id === id ? { ...m, unread: false } : m)),
          unread,
          unreadText: unread > 0 ? say('mp.messages.unread', { n: unread }) : say('mp.messages.all_read'),
        });
        void api('POST', `/mp/messages/${encodeURIComponent(id)}/read`).catch(() => undefined);
      }
      void wx.navigateTo({
        url: kind === 'survey' ? `/pages/satisfaction/index?id=${letter}` : `/pages/letter-detail/index?id=${letter}`,
      });
    },
  },
});
