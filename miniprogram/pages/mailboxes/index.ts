// Mailbox picker: city leaders' mailboxes, the city departments' mailboxes, then districts/counties that open onto
// their townships/streets, with search (matches grouped by level). The choice goes into the saved draft (with its
// district or street as the letter's default region) and the page returns to the letter. Search waits for a pause in typing
// and stays quiet while the input method composes (pinyin is not a mailbox name).
import { api, ApiFailure } from '../../lib/api';
import { loadDraft, saveDraft } from '../../lib/draft';
import { defaultRegion, keptChoices, regionByCode } from '../../lib/choices';
import type { MailboxNode, MpMailboxSearch } from '../../shared/index';
import { careBehavior } from '../../lib/care';
import { say, texts, type MessageKey } from '../../lib/messages.zh-CN';

export const SEARCH_DEBOUNCE_MS = 300;
let timer: ReturnType<typeof setTimeout> | null = null;

type SearchResult = MpMailboxSearch['results'][number];
type Shown = SearchResult & { pathText: string };

const isLeader = (m: MailboxNode) =>
  m.level === 'city' &&
  (m.officeLevel === undefined || m.officeLevel === 'party-secretary' || m.officeLevel === 'mayor');

Component({
  behaviors: [careBehavior],
  data: {
    cityBoxes: [] as MailboxNode[],
    departments: [] as MailboxNode[],
    districts: [] as MailboxNode[],
    groups: [] as { officeLevel: string; label: string; items: Shown[] }[],
    texts: texts('mp.mailboxes.'),
    expanded: '',
    query: '',
    results: [] as Shown[],
    error: '',
    loading: true,
    searching: false,
    composing: false,
  },
  methods: {
    onLoad() {
      return this.loadDirectory();
    },
    async loadDirectory() {
      this.setData({ loading: true, error: '' });
      try {
        const { mailboxes } = await api<{ mailboxes: MailboxNode[] }>('GET', '/mp/mailboxes');
        this.setData({
          loading: false,
          cityBoxes: mailboxes.filter(isLeader),
          departments: mailboxes.filter((m) => m.level === 'city' && !isLeader(m)),
          districts: mailboxes.filter((m) => m.level !== 'city'),
        });
      } catch (err) {
        this.setData({ loading: false, error: err instanceof ApiFailure ? err.message : '信箱目录加载失败' });
      }
    },
    onRetry() {
      void this.loadDirectory();
    },
    onCompositionStart() {
      this.setData({ composing: true });
    },
    onCompositionEnd(e: WechatMiniprogram.CustomEvent<{ value?: string }>) {
      this.setData({ composing: false });
      if (typeof e.detail.value === 'string')
        this.onSearch({ detail: { value: e.detail.value } } as WechatMiniprogram.Input);
    },
    onToggle(e: WechatMiniprogram.BaseEvent) {
      const id = String(e.currentTarget.dataset.id);
      this.setData({ expanded: this.data.expanded === id ? '' : id });
    },
    onSearch(e: WechatMiniprogram.Input) {
      const query = e.detail.value.trim();
      this.setData({ query });
      if (timer) clearTimeout(timer);
      timer = null;
      if (!query || this.data.composing) return;
      timer = setTimeout(() => {
        timer = null;
        void this.search(query);
      }, SEARCH_DEBOUNCE_MS);
    },
    async search(query: string) {
      if (this.data.query !== query) return;
      this.setData({ searching: true, error: '' });
      try {
        // `groups` is absent from gateways older than the department mailboxes.
        const { results, groups } = await api<Pick<MpMailboxSearch, 'results'> & Partial<MpMailboxSearch>>(
          'GET',
          `/mp/mailboxes?q=${encodeURIComponent(query)}`,
        );
        const grouped: { officeLevel: string; ids: string[] }[] = groups ?? [
          { officeLevel: '', ids: results.map((r) => r.id) },
        ];
        // An older answer must not replace the results of what the citizen typed since.
        if (this.data.query !== query) return;
        const shown = new Map(results.map((r) => [r.id, { ...r, pathText: r.path.join(' › ') }]));
        this.setData({
          searching: false,
          results: [...shown.values()],
          groups: grouped.map((g) => ({
            officeLevel: g.officeLevel,
            label: g.officeLevel ? say(`mp.level.${g.officeLevel}` as MessageKey) : '',
            items: g.ids.flatMap((id) => shown.get(id) ?? []),
          })),
        });
      } catch (err) {
        this.setData({ searching: false, error: err instanceof ApiFailure ? err.message : '搜索失败' });
      }
    },
    onPick(e: WechatMiniprogram.BaseEvent) {
      const { id, name, regionCode } = e.currentTarget.dataset as Record<string, string | undefined>;
      const d = loadDraft();
      // The mailbox's district or street fills the region picker unless the citizen chose one (kept list needed).
      const choices = keptChoices();
      const region = choices && regionCode ? regionByCode(choices, regionCode) : null;
      saveDraft({ ...d, mailbox: { id: id ?? '', name: name ?? '' }, ...defaultRegion(d, region, 'mailbox') });
      void wx.navigateBack();
    },
  },
});
