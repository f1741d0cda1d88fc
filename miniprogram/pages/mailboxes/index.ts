// Mailbox picker: city leaders' mailboxes, then districts/counties that open onto their townships/streets, with
// search. The choice goes into the saved draft and the page returns to the letter.
import { api, ApiFailure } from '../../lib/api';
import { updateDraft } from '../../lib/draft';
import type { MailboxNode } from '../../shared/index';

interface SearchResult {
  id: string;
  name: string;
  path: string[];
}

Component({
  data: {
    cityBoxes: [] as MailboxNode[],
    districts: [] as MailboxNode[],
    expanded: '',
    query: '',
    results: [] as (SearchResult & { pathText: string })[],
    error: '',
  },
  methods: {
    async onLoad() {
      try {
        const { mailboxes } = await api<{ mailboxes: MailboxNode[] }>('GET', '/mp/mailboxes');
        this.setData({ cityBoxes: mailboxes.filter((m) => m.level === 'city'), districts: mailboxes.filter((m) => m.level !== 'city') });
      } catch (err) {
        this.setData({ error: err instanceof ApiFailure ? err.message : '信箱目录加载失败' });
      }
    },
    onToggle(e: WechatMiniprogram.BaseEvent) {
      const id = String(e.currentTarget.dataset.id);
      this.setData({ expanded: this.data.expanded === id ? '' : id });
    },
    async onSearch(e: WechatMiniprogram.Input) {
      const query = e.detail.value.trim();
      this.setData({ query });
      if (!query) return;
      try {
        const { results } = await api<{ results: SearchResult[] }>('GET', `/mp/mailboxes?q=${encodeURIComponent(query)}`);
        // An older answer must not replace the results of what the citizen typed since.
        if (this.data.query === query) this.setData({ results: results.map((r) => ({ ...r, pathText: r.path.join(' › ') })) });
      } catch (err) {
        this.setData({ error: err instanceof ApiFailure ? err.message : '搜索失败' });
      }
    },
    onPick(e: WechatMiniprogram.BaseEvent) {
      updateDraft({ mailbox: { id: String(e.currentTarget.dataset.id), name: String(e.currentTarget.dataset.name) } });
      void wx.navigateBack();
    },
  },
});
