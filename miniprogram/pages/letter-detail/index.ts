// One of the citizen's letters: where it stands, its timeline with the reply texts, and what was written. Loaded again
// each time the page shows, so coming back from the survey no longer offers a rating already given.
import { api, ApiFailure, uploadPhoto } from '../../lib/api';
import { newClientKey } from '../../lib/draft';
import { problemsByField } from '../../lib/submit';
import { failMessage, type WxFail } from '../../lib/wx-fail';
import { say, type MessageKey } from '../../lib/messages.zh-CN';
import { checkRequest, mpFollowupRequestSchema, MP_LIMITS } from '../../shared/index';
import { chinaTime, statusText } from '../../lib/format';
import { kindLabels, satisfactionLabels, type MpLetterDetail } from '../../shared/index';
import { careBehavior } from '../../lib/care';

Component({
  behaviors: [careBehavior],
  data: {
    id: '',
    letter: null as MpLetterDetail | null,
    statusText: '',
    kindText: '',
    ratedText: '',
    facts: [] as { key: string; label: string; value: string }[],
    error: '',
    loading: false,
    /** 追问 / 补充材料 while the letter is open: text, photos (uploaded as they are added), one client key per follow-up. */
    canAdd: false,
    adding: false,
    addText: '',
    addPhotos: [] as { path: string; uploadId?: string; failed?: boolean }[],
    addKey: '',
    addErrors: {},
    addMessage: '',
    sendingAdd: false,
  },
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
        this.setData({ canAdd: letter.status !== 'closed' && letter.status !== 'rejected' });
        this.setData({
          loading: false,
          error: '',
          letter,
          statusText: statusText(letter.status),
          kindText: kindLabels[letter.kind],
          ratedText: score ? satisfactionLabels[score] : '',
          facts: factsOf(letter),
        });
      } catch (err) {
        this.setData({
          loading: false,
          error:
            err instanceof ApiFailure && err.status === 404
              ? '没有找到这封信'
              : err instanceof ApiFailure
                ? err.message
                : '加载失败，请稍后再试',
        });
      }
    },
    onStartAdd() {
      this.setData({ adding: true, addKey: this.data.addKey || newClientKey(), addMessage: '' });
    },
    onAddText(e: WechatMiniprogram.Input) {
      this.setData({ addText: e.detail.value, addErrors: {} });
    },
    onAddPhoto() {
      wx.chooseMedia({
        count: MP_LIMITS.photosMax - this.data.addPhotos.length,
        mediaType: ['image'],
        sizeType: ['compressed'],
        success: (r) => {
          for (const f of r.tempFiles) {
            this.setData({ addPhotos: [...this.data.addPhotos, { path: f.tempFilePath }] });
            uploadPhoto(f.tempFilePath).then(
              (uploadId) =>
                this.setData({
                  addPhotos: this.data.addPhotos.map((p) =>
                    p.path === f.tempFilePath ? { path: p.path, uploadId } : p,
                  ),
                }),
              (err: unknown) =>
                this.setData({
                  addPhotos: this.data.addPhotos.map((p) => (p.path === f.tempFilePath ? { ...p, failed: true } : p)),
                  addErrors: {
                    uploadIds:
                      err instanceof ApiFailure && err.status !== 0 ? err.message : say('mp.photo.upload-failed'),
                  },
                }),
            );
          }
        },
        fail: (e: WxFail) => {
          const text = failMessage('chooseMedia', e);
          if (text) this.setData({ addErrors: { uploadIds: text } });
        },
      });
    },
    onRemoveAddPhoto(e: WechatMiniprogram.BaseEvent) {
      const i = Number(e.currentTarget.dataset.index);
      this.setData({ addPhotos: this.data.addPhotos.filter((_, j) => j !== i), addErrors: {} });
    },
    async onSendAdd() {
      if (this.data.sendingAdd) return;
      if (this.data.addPhotos.some((p) => !p.uploadId)) {
        this.setData({ addErrors: { uploadIds: '照片还没有上传好：请等一等，或删除上传失败的照片' } });
        return;
      }
      const checked = checkRequest(mpFollowupRequestSchema, {
        clientKey: this.data.addKey,
        text: this.data.addText,
        uploadIds: this.data.addPhotos.map((p) => p.uploadId),
      });
      if (!checked.ok) {
        this.setData({ addErrors: problemsByField(checked.problems) });
        return;
      }
      this.setData({ sendingAdd: true, addMessage: '' });
      try {
        await api('POST', `/mp/letters/${this.data.id}/followups`, checked.value);
        // A new key for the next follow-up; this one is done.
        this.setData({
          sendingAdd: false,
          adding: false,
          addText: '',
          addPhotos: [],
          addKey: '',
          addMessage: '已转交承办部门，办理进度请留意本页和消息。',
        });
        // The timeline shows the follow-up as soon as it is stored.
        await this.load();
      } catch (err) {
        const f = err instanceof ApiFailure ? err : new ApiFailure(0, 'error', say('mp.generic'));
        // The key stays: sending again after a lost answer cannot forward it twice.
        this.setData({
          sendingAdd: false,
          addErrors: problemsByField(f.problems),
          addMessage: f.status === 0 ? `${f.message}。内容还在，可以再次发送。` : f.message,
        });
        if (f.status === 409) this.setData({ canAdd: false, adding: false });
      }
    },
    onRate() {
      void wx.navigateTo({ url: `/pages/satisfaction/index?id=${this.data.letter?.id ?? ''}` });
    },
    onPhoto(e: WechatMiniprogram.BaseEvent) {
      void wx.previewImage({ urls: this.data.letter?.photos ?? [], current: String(e.currentTarget.dataset.url) });
    },
  },
});

/** Topic, region, handling department and deadline, each shown only once known (older gateways send none). */
function factsOf(l: MpLetterDetail): { key: string; label: string; value: string }[] {
  const rows: [string, string | undefined][] = [
    ['topic', l.topic],
    ['region', l.region],
    ['department', l.department],
    ['deadline', l.deadline ? chinaTime(l.deadline) : undefined],
  ];
  return rows.flatMap(([key, value]) => (value ? [{ key, label: say(`mp.detail.${key}` as MessageKey), value }] : []));
}
