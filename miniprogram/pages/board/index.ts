// The public letters board (公开选登): letters whose writers agreed to publication and which staff approved, with
// their replies, newest first, a page at a time (more on reaching the bottom or tapping 加载更多), searchable by
// their words (on the keyboard's 搜索, so an input method's pinyin never starts a search). Shareable.
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
    /** The words in the search field, and those the list shows results for. */
    query: '',
    searched: '',
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
    onQuery(e: WechatMiniprogram.Input) {
      this.setData({ query: e.detail.value });
    },
    onSearch() {
      this.setData({ searched: this.data.query.trim() });
      return this.load(1);
    },
    onClear() {
      this.setData({ query: '', searched: '' });
      return this.load(1);
    },
    onRetry() {
      return this.load(this.data.page + 1);
    },
    async load(page: number) {
      this.setData({ loading: true, error: '' });
      try {
        const q = this.data.searched ? `&q=${encodeURIComponent(this.data.searched)}` : '';
        const r = await api<MpBoardPage>('GET', `/mp/public/letters?page=${page}${q}`);
        const rows = r.letters.map(boardRow);
        // A letter published meanwhile shifts the pages: one already shown is not shown twice.
        const seen = new Set(page === 1 ? [] : this.data.letters.map((l) => l.ref));
        this.setData({
          loaded: true,
          loading: false,
          page: r.page,
          hasMore: r.hasMore,
          total: this.data.searched
            ? say('mp.board.found', { n: r.total, q: this.data.searched })
            : say('mp.board.total', { n: r.total }),
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
