// The satisfaction survey of one letter: 满意 / 基本满意 / 不满意, an optional comment, and, when unhappy, a request
// to handle the case again. Opened from the survey notification or from the letter's page.
import { api, ApiFailure } from '../../lib/api';
import { problemsByField } from '../../lib/submit';
import { checkRequest, mpSatisfactionRequestSchema, satisfactionLabels, type MpLetterDetail } from '../../shared/index';
import { careBehavior } from '../../lib/care';

Component({
  behaviors: [careBehavior],
  data: {
    letter: null as MpLetterDetail | null,
    choices: ([1, 2, 3] as const).map((score) => ({ score, label: satisfactionLabels[score] })),
    score: 0,
    reason: '',
    reopen: false,
    errors: {},
    error: '',
    sending: false,
    done: false,
    /** The survey is open: only then the form shows. */
    open: false,
  },
  methods: {
    async onLoad(query: Record<string, string | undefined>) {
      try {
        const letter = await api<MpLetterDetail>('GET', `/mp/letters/${query.id ?? ''}`);
        const state = letter.survey?.state;
        this.setData({
          letter,
          done: state === 'answered',
          open: state === 'open',
          error:
            state === 'expired'
              ? '这封信的评价时间已过，不能再评价了。如对办理结果有意见，可以拨打12345热线。'
              : !state
                ? '这封信还没有到评价的时候，办结后会通知您评价。'
                : '',
        });
      } catch (err) {
        this.setData({
          error: err instanceof ApiFailure && err.status === 404 ? '没有找到这封信' : '加载失败，请稍后再试',
        });
      }
    },
    onScore(e: WechatMiniprogram.BaseEvent) {
      const score = Number(e.currentTarget.dataset.score);
      this.setData({ score, reopen: score === 3 && this.data.reopen, errors: {} });
    },
    onReason(e: WechatMiniprogram.Input) {
      this.setData({ reason: e.detail.value });
    },
    onReopen() {
      this.setData({ reopen: !this.data.reopen });
    },
    async onSend() {
      const body = {
        score: this.data.score,
        ...(this.data.reason.trim() ? { reason: this.data.reason } : {}),
        ...(this.data.score === 3 ? { reopen: this.data.reopen } : {}),
      };
      const checked = checkRequest(mpSatisfactionRequestSchema, body);
      if (!checked.ok) {
        this.setData({ errors: problemsByField(checked.problems) });
        return;
      }
      this.setData({ sending: true, error: '' });
      try {
        await api('POST', `/mp/letters/${this.data.letter?.id ?? ''}/satisfaction`, checked.value);
        this.setData({ done: true, sending: false });
      } catch (err) {
        // The survey may have closed while the form was open: the form goes away with the reason.
        const closed = err instanceof ApiFailure && (err.status === 409 || err.status === 410);
        this.setData({
          sending: false,
          open: closed ? false : this.data.open,
          error: err instanceof ApiFailure ? err.message : '提交失败，请稍后再试',
        });
      }
    },
  },
});
