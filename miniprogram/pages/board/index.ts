// The public letters board (公开选登): letters whose writers agreed to publication and which staff approved, with
// their replies, newest first, a page at a time (more on reaching the bottom or tapping 加载更多). Shareable.
import { api, ApiFailure } from '../../lib/api';
import { careBehavior } from '../../lib/care';
import { say, texts } from '../../lib/messages.zh-CN';
import type { MpBoardPage } from '../../shared/index';
import { boardRow, type BoardRow } from '../../lib/board';

Component({
  behaviors: [careBehavior],
  data: {
    letters: [] as BoardRow[],
    page: 0,
    hasMore: false,
    total: '',
    loaded: false,
    loading: false,
    error: '',
    texts: texts('mp.board.'),
  },
  methods: {
    onLoad() {
      return this.load(1);
    },
    onPullDownRefresh() {
      void this.load(1).then(() => wx.stopPullDownRefresh());
    },
    onReachBottom() {
      return this.onMore();
    },
    onMore() {
      if (this.data.loading || !this.data.hasMore) return;
      return this.load(this.data.page + 1);
    },
    onRetry() {
      return this.load(this.data.page + 1);
    },
    async load(page: number) {
      this.setData({ loading: true, error: '' });
      try {
        const r = await api<MpBoardPage>('GET', `/mp/public/letters?page=${page}`);
        const rows = r.letters.map(boardRow);
        // A letter published meanwhile shifts the pages: one already shown is not shown twice.
        const seen = new Set(page === 1 ? [] : this.data.letters.map((l) => l.ref));
        this.setData({
          loaded: true,
          loading: false,
          page: r.page,
          hasMore: r.hasMore,
          total: say('mp.board.total', { n: r.total }),
          letters: page === 1 ? rows : [...this.data.letters, ...rows.filter((l) => !seen.has(l.ref))],
        });
      } catch (err) {
        this.setData({
          loaded: true,
          loading: false,
          error: err instanceof ApiFailure ? err.message : say('mp.board.failed'),
        });
      }
    },
    onOpen(e: WechatMiniprogram.BaseEvent) {
      void wx.navigateTo({ url: `/pages/board-detail/index?ref=${String(e.currentTarget.dataset.ref)}` });
    },
    onShareAppMessage() {
      return { title: say('mp.board.share'), path: '/pages/board/index' };
    },
    onShareTimeline() {
      return { title: say('mp.board.share') };
    },
  },
});
