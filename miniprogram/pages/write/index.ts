// Write a letter: kind, mailbox, title, body (with a live counter), photos, location, name and phone, public or
// not. Every change is saved on the phone at once; submitting asks for notification consent and sends the letter.
import { api, ApiFailure, uploadPhoto } from '../../lib/api';
import { clearDraft, emptyDraft, loadDraft, saveDraft, type Draft } from '../../lib/draft';
import { askConsent, checkDraft, problemsByField, recordConsent, submitDraft } from '../../lib/submit';
import { MP_LIMITS, kindLabels, mpKinds, type MpProfile } from '../../shared/index';

Component({
  data: {
    draft: emptyDraft(),
    kinds: mpKinds.map((value) => ({ value, label: kindLabels[value] })),
    limits: MP_LIMITS,
    bodyLength: 0,
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- it types this.data.errors (tsc needs it)
    errors: {} as Record<string, string>,
    message: '',
    phoneMasked: '',
    templates: [] as MpProfile['subscribeTemplates'],
    submitting: false,
  },
  methods: {
    onLoad() {
      this.restore();
      api<MpProfile>('GET', '/mp/profile').then(
        (p) => this.setData({ phoneMasked: p.phoneMasked ?? '', templates: p.subscribeTemplates }),
        () => undefined,
      );
    },
    onShow() {
      // Back from the mailbox picker, which wrote its choice into the saved draft.
      this.restore();
    },
    restore() {
      const draft = loadDraft();
      this.setData({ draft, bodyLength: draft.body.length });
    },
    change(patch: Partial<Draft>) {
      const draft = { ...this.data.draft, ...patch };
      saveDraft(draft);
      const errors = { ...this.data.errors };
      for (const k of Object.keys(patch)) {
        const field = k === 'mailbox' ? 'mailboxId' : k === 'photos' ? 'uploadIds' : k;
        // eslint-disable-next-line @typescript-eslint/no-dynamic-delete -- errors maps field names to messages
        delete errors[field];
      }
      this.setData({ draft, errors, bodyLength: draft.body.length });
    },
    onKind(e: WechatMiniprogram.BaseEvent) {
      this.change({ kind: e.currentTarget.dataset.kind as Draft['kind'] });
    },
    onMailbox() {
      void wx.navigateTo({ url: '/pages/mailboxes/index' });
    },
    onTitle(e: WechatMiniprogram.Input) {
      this.change({ title: e.detail.value });
    },
    onBody(e: WechatMiniprogram.Input) {
      this.change({ body: e.detail.value });
    },
    onName(e: WechatMiniprogram.Input) {
      this.change({ name: e.detail.value });
    },
    onVisibility(e: WechatMiniprogram.BaseEvent) {
      this.change({ visibility: e.currentTarget.dataset.value as Draft['visibility'] });
    },
    onUsePhone() {
      this.change({ usePhone: !this.data.draft.usePhone });
    },
    onAddPhoto() {
      wx.chooseMedia({
        count: MP_LIMITS.photosMax - this.data.draft.photos.length,
        mediaType: ['image'],
        sizeType: ['compressed'],
        success: async (r) => {
          for (const file of r.tempFiles) {
            const path = await compress(file.tempFilePath);
            this.change({ photos: [...this.data.draft.photos, { path }] });
            // Upload now so the draft keeps the upload id; a failure is retried on submit.
            uploadPhoto(path).then(
              (uploadId) => this.change({ photos: this.data.draft.photos.map((p) => (p.path === path ? { ...p, uploadId } : p)) }),
              () => undefined,
            );
          }
        },
      });
    },
    onRemovePhoto(e: WechatMiniprogram.BaseEvent) {
      const i = Number(e.currentTarget.dataset.index);
      this.change({ photos: this.data.draft.photos.filter((_, j) => j !== i) });
    },
    onLocation() {
      wx.chooseLocation({
        success: (r) => this.change({ location: { latitude: r.latitude, longitude: r.longitude, name: r.name, address: r.address } }),
      });
    },
    async onPhone(e: WechatMiniprogram.CustomEvent<{ code?: string }>) {
      if (!e.detail.code) return; // the citizen declined
      try {
        const r = await api<{ phoneMasked: string }>('POST', '/mp/phone', { code: e.detail.code });
        this.setData({ phoneMasked: r.phoneMasked });
        this.change({ usePhone: true });
      } catch (err) {
        this.setData({ message: err instanceof ApiFailure ? err.message : '手机号验证失败' });
      }
    },
    onSubmit() {
      if (this.data.submitting) return;
      const draft = this.data.draft;
      const errors = checkDraft(draft);
      if (Object.keys(errors).length > 0) {
        this.setData({ errors, message: '请按红字提示修改后再提交' });
        return;
      }
      // Still inside the tap: WeChat only shows the consent dialog here.
      const consent = askConsent(this.data.templates);
      this.setData({ submitting: true, message: '' });
      void this.send(draft, consent);
    },
    async send(draft: Draft, consent: Promise<Record<string, string> | null>) {
      try {
        await recordConsent(draft, await consent);
        const r = await submitDraft(draft);
        clearDraft();
        void wx.redirectTo({ url: `/pages/submitted/index?id=${r.letterId}&code=${r.extractionCode}` });
      } catch (err) {
        const f = err instanceof ApiFailure ? err : new ApiFailure(0, 'error', '提交没有成功，请再试一次');
        // The draft and its key stay: tapping submit again cannot create a second letter.
        this.setData({ submitting: false, errors: problemsByField(f.problems), message: f.status === 0 ? `${f.message}。信件已保存，可以再次提交。` : f.message });
      }
    },
  },
});

function compress(src: string): Promise<string> {
  return new Promise((resolve) => {
    wx.compressImage({ src, quality: 70, success: (r) => resolve(r.tempFilePath), fail: () => resolve(src) });
  });
}
