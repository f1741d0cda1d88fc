// One letter of the public board with its reply, as published; shareable (the shared page opens this letter).
import { api, ApiFailure } from '../../lib/api';
import { careBehavior } from '../../lib/care';
import { chinaTime } from '../../lib/format';
import { say, texts } from '../../lib/messages.zh-CN';
import type { MpPublicLetter } from '../../shared/index';
import { boardRow, type BoardRow } from '../../lib/board';

Component({
  behaviors: [careBehavior],
  data: {
    ref: '',
    letter: null as (BoardRow & { receivedText: string; publishedText: string; serialText: string }) | null,
    loading: false,
    error: '',
    texts: texts('mp.board.'),
  },
  methods: {
    onLoad(query: Record<string, string | undefined>) {
      this.setData({ ref: query.ref ?? '' });
      return this.load();
    },
    onRetry() {
      return this.load();
    },
    async load() {
      this.setData({ loading: true, error: '' });
      try {
        const l = await api<MpPublicLetter>('GET', `/mp/public/letters/${encodeURIComponent(this.data.ref)}`);
        this.setData({
          loading: false,
          letter: {
            ...boardRow(l),
            receivedText: say('mp.board.received', { time: chinaTime(l.receivedAt) }),
            publishedText: say('mp.board.published', { time: chinaTime(l.approvedAt) }),
            serialText: l.serial ? say('mp.board.serial', { serial: l.serial }) : '',
          },
        });
      } catch (err) {
        this.setData({ loading: false, error: err instanceof ApiFailure ? err.message : say('mp.board.failed') });
      }
    },
    onShareAppMessage() {
      return {
        title: this.data.letter?.heading ?? say('mp.board.share'),
        path: `/pages/board-detail/index?ref=${this.data.ref}`,
      };
    },
  },
});
