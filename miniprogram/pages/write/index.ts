// Write a letter: kind, mailbox, topic and region (pickers, optional), title, body (with a live counter and voice input), photos, location, name and phone, public or
// not. Every change is saved on the phone at once (photos in the app's own folder); submitting asks for notification
// consent and sends the letter. Privacy: a popup when WeChat asks for the privacy guide, a link to the guide, and a
// Chinese message for every way location, photos and phone can fail; declining leaves the letter sendable.
import { api, ApiFailure, uploadPhoto } from '../../lib/api';
import { clearDraft, emptyDraft, loadDraft, saveDraft, type Draft, type DraftPhoto } from '../../lib/draft';
import { askConsent, checkDraft, problemsByField, recordConsent, submitDraft } from '../../lib/submit';
import { checkPhotos, DEFAULT_UPLOAD_MAX_BYTES, fileSize, forgetPhotos, isKept, keepPhoto } from '../../lib/photos';
import { answerPrivacy, AGREE_BUTTON_ID, listenForPrivacy, openContract } from '../../lib/privacy';
import { failMessage, type WxFail } from '../../lib/wx-fail';
import { say, texts } from '../../lib/messages.zh-CN';
import { MP_LIMITS, kindLabels, mpKinds, type MpClassification, type MpProfile } from '../../shared/index';
import { defaultRegion, forgetChoices, loadChoices, regionAt, regionColumns, regionOfAddress } from '../../lib/choices';
import { careBehavior } from '../../lib/care';
import {
  appendHeard,
  askRecordPermission,
  permissionMessage,
  recognition,
  recognitionErrorMessage,
  VOICE_DURATION_MS,
  VOICE_RESULT_WAIT_MS,
  type RecognitionManager,
} from '../../lib/voice';

/** The loaded topics and regions (kept outside `data`: the pickers need only their names). */
let choices: MpClassification | null = null;
/** Gives the voice button back when the plug-in never answers a stop. */
let voiceWait = 0;

Component({
  behaviors: [careBehavior],
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
    uploadMaxBytes: DEFAULT_UPLOAD_MAX_BYTES,
    submitting: false,
    privacyShown: false,
    privacyName: '《用户隐私保护指引》',
    agreeButtonId: AGREE_BUTTON_ID,
    texts: texts('mp.write.'),
    topicNames: [] as string[],
    regionColumns: [[], []] as string[][],
    regionIndex: [0, 0],
    choicesError: '',
    // Voice input: idle, asking (permission), recording, recognising; its message and the settings button when refused.
    voiceState: 'idle' as 'idle' | 'asking' | 'recording' | 'recognising',
    voiceMessage: '',
    voiceSettings: false,
  },
  methods: {
    onLoad() {
      listenForPrivacy((privacyName) => this.setData({ privacyShown: true, privacyName }));
      this.restore();
      api<MpProfile>('GET', '/mp/profile').then(
        (p) =>
          this.setData({
            phoneMasked: p.phoneMasked ?? '',
            templates: p.subscribeTemplates,
            uploadMaxBytes: p.uploadMaxBytes ?? DEFAULT_UPLOAD_MAX_BYTES,
          }),
        () => undefined,
      );
      void this.loadChoices();
    },
    async loadChoices() {
      try {
        const c = await loadChoices();
        choices = c;
        this.setData({
          topicNames: c.topics.map((t) => t.name),
          regionColumns: regionColumns(c, 0, say('mp.write.region_whole')),
          regionIndex: [0, 0],
          choicesError: '',
        });
      } catch {
        this.setData({ choicesError: say('mp.choices.failed') });
      }
    },
    onTopic(e: WechatMiniprogram.PickerChange) {
      const t = choices?.topics[Number(e.detail.value)];
      if (t) this.change({ topic: { code: t.code, name: t.name } });
    },
    onRegionColumn(e: WechatMiniprogram.PickerColumnChange) {
      if (!choices || e.detail.column !== 0) return;
      this.setData({
        regionColumns: regionColumns(choices, e.detail.value, say('mp.write.region_whole')),
        regionIndex: [e.detail.value, 0],
      });
    },
    onRegion(e: WechatMiniprogram.PickerChange) {
      const at = (Array.isArray(e.detail.value) ? e.detail.value : [e.detail.value]).map(Number);
      const region = choices ? regionAt(choices, at) : null;
      if (region) this.change({ region, regionFrom: null });
    },
    onClearTopic() {
      this.change({ topic: null });
    },
    onClearRegion() {
      this.change({ region: null, regionFrom: null });
    },
    onShow() {
      // Back from the mailbox picker, which wrote its choice into the saved draft.
      this.restore();
    },
    restore() {
      const saved = loadDraft();
      const { kept, vanished } = checkPhotos(saved.photos);
      // An upload cut off by a restart is simply pending again.
      const draft = {
        ...saved,
        photos: kept.map((p) =>
          p.state === 'uploading' ? { path: p.path, ...(p.uploadId ? { uploadId: p.uploadId } : {}) } : p,
        ),
      };
      if (vanished > 0) saveDraft(draft);
      const errors =
        vanished > 0 ? { ...this.data.errors, uploadIds: say('mp.photo.vanished', { n: vanished }) } : this.data.errors;
      this.setData({ draft, errors, bodyLength: draft.body.length });
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
    fieldError(field: string, text: string) {
      this.setData({ errors: { ...this.data.errors, [field]: text } });
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
        success: (r) => void this.addPhotos(r.tempFiles.map((f) => f.tempFilePath)),
        fail: (e: WxFail) => {
          const text = failMessage('chooseMedia', e);
          if (text) this.fieldError('uploadIds', text);
        },
      });
    },
    async addPhotos(tempPaths: string[]) {
      const max = this.data.uploadMaxBytes;
      for (const temp of tempPaths) {
        const compressed = await compress(temp);
        const size = fileSize(compressed);
        if (size !== null && size > max) {
          this.fieldError('uploadIds', say('mp.photo.too-big', { max: `${Math.floor(max / 1024 / 1024)}MB` }));
          continue;
        }
        let path: string;
        try {
          path = await keepPhoto(compressed, this.data.draft.clientKey);
        } catch {
          this.fieldError('uploadIds', say('mp.photo.not-saved'));
          continue;
        }
        this.change({ photos: [...this.data.draft.photos, { path }] });
        // Upload now so the draft keeps the upload id; a failure shows on the photo and is retried by a tap or on submit.
        void this.uploadOne(path);
      }
    },
    async uploadOne(path: string) {
      const set = (p: Partial<DraftPhoto>, drop: (keyof DraftPhoto)[] = []) => {
        const photos = this.data.draft.photos.map((x) => {
          if (x.path !== path) return x;
          const next: DraftPhoto = { ...x, ...p };
          // eslint-disable-next-line @typescript-eslint/no-dynamic-delete -- drop lists DraftPhoto's optional fields
          for (const k of drop) delete next[k];
          return next;
        });
        const draft = { ...this.data.draft, photos };
        saveDraft(draft);
        this.setData({ draft });
      };
      set({ state: 'uploading' });
      try {
        const uploadId = await uploadPhoto(path);
        set({ uploadId }, ['state']);
      } catch (err) {
        set({ state: 'failed' });
        this.fieldError(
          'uploadIds',
          err instanceof ApiFailure && err.status !== 0 ? err.message : say('mp.photo.upload-failed'),
        );
      }
    },
    onRetryPhoto(e: WechatMiniprogram.BaseEvent) {
      const photo = this.data.draft.photos[Number(e.currentTarget.dataset.index)];
      if (photo && !photo.uploadId && photo.state !== 'uploading') {
        const errors = { ...this.data.errors };
        delete errors.uploadIds;
        this.setData({ errors });
        void this.uploadOne(photo.path);
      }
    },
    onRemovePhoto(e: WechatMiniprogram.BaseEvent) {
      const i = Number(e.currentTarget.dataset.index);
      const removed = this.data.draft.photos[i];
      if (removed) forgetPhotos([removed]);
      this.change({ photos: this.data.draft.photos.filter((_, j) => j !== i) });
    },
    onLocation() {
      wx.chooseLocation({
        success: (r) => {
          // The district/street the address names fills the region picker unless the citizen chose one.
          const named = choices ? regionOfAddress(choices, `${r.address}${r.name}`) : null;
          this.change({
            location: { latitude: r.latitude, longitude: r.longitude, name: r.name, address: r.address },
            ...defaultRegion(this.data.draft, named, 'location'),
          });
        },
        fail: (e: WxFail) => {
          const text = failMessage('chooseLocation', e);
          if (text) this.fieldError('location', text);
        },
      });
    },
    onClearLocation() {
      this.change({ location: null });
    },
    async onPhone(e: WechatMiniprogram.CustomEvent<{ code?: string; errMsg?: string; errno?: number }>) {
      if (!e.detail.code) {
        // Declined, privacy not agreed, or not declared (errno 112): say which, the letter stays sendable.
        this.fieldError('usePhone', failMessage('getPhoneNumber', e.detail));
        return;
      }
      try {
        const r = await api<{ phoneMasked: string }>('POST', '/mp/phone', { code: e.detail.code });
        this.setData({ phoneMasked: r.phoneMasked });
        this.change({ usePhone: true });
      } catch (err) {
        this.fieldError('usePhone', err instanceof ApiFailure ? err.message : say('mp.fail.getPhoneNumber'));
      }
    },
    async onVoice() {
      const state = this.data.voiceState;
      if (state === 'recording') {
        this.setData({ voiceState: 'recognising' });
        clearTimeout(voiceWait);
        voiceWait = setTimeout(() => {
          if (this.data.voiceState === 'recognising') this.heard('');
        }, VOICE_RESULT_WAIT_MS);
        recognition()?.stop();
        return;
      }
      if (state !== 'idle') return;
      if (this.data.draft.body.length >= MP_LIMITS.bodyMax) {
        this.setData({ voiceMessage: say('mp.write.voice_full', { max: MP_LIMITS.bodyMax }), voiceSettings: false });
        return;
      }
      const manager = recognition();
      if (!manager) {
        this.setData({ voiceMessage: say('mp.write.voice_failed'), voiceSettings: false });
        return;
      }
      this.setData({ voiceState: 'asking', voiceMessage: '', voiceSettings: false });
      const permission = await askRecordPermission();
      if (permission !== 'granted') {
        this.setData({
          voiceState: 'idle',
          voiceMessage: permissionMessage(permission),
          voiceSettings: permission === 'denied',
        });
        return;
      }
      this.listen(manager);
      this.setData({ voiceState: 'recording' });
      manager.start({ duration: VOICE_DURATION_MS, lang: 'zh_CN' });
    },
    listen(manager: RecognitionManager) {
      // The manager is one for the whole app: the page on screen takes its listeners over.
      manager.onStart = () => this.setData({ voiceState: 'recording' });
      manager.onStop = (r) => this.heard(r.result ?? '');
      manager.onError = (r) => {
        clearTimeout(voiceWait);
        this.setData({ voiceState: 'idle', voiceMessage: recognitionErrorMessage(r.retcode) });
      };
    },
    heard(result: string) {
      clearTimeout(voiceWait);
      if (!result.trim()) {
        this.setData({ voiceState: 'idle', voiceMessage: say('mp.write.voice_empty') });
        return;
      }
      // Appended to the body as it is now (the citizen may have typed while speaking), never replacing it.
      const max = MP_LIMITS.bodyMax;
      const r = appendHeard(this.data.draft.body, result, max);
      if (r.added > 0) this.change({ body: r.body });
      const voiceMessage =
        r.added === 0
          ? say('mp.write.voice_full', { max })
          : r.cut
            ? say('mp.write.voice_cut', { max, n: r.added })
            : say('mp.write.voice_added', { n: r.added });
      this.setData({ voiceState: 'idle', voiceMessage });
    },
    onVoiceSettings() {
      wx.openSetting({
        success: (r) => {
          if (r.authSetting['scope.record']) this.setData({ voiceMessage: '', voiceSettings: false });
        },
      });
    },
    onUnload() {
      // Leaving the page while recording: stop, so the microphone is not left on.
      clearTimeout(voiceWait);
      if (this.data.voiceState === 'recording') recognition()?.stop();
    },
    onPrivacyContract() {
      openContract(() => void wx.navigateTo({ url: '/pages/privacy/index' }));
    },
    onAgreePrivacy() {
      // Called by the agreePrivacyAuthorization button's event: WeChat has recorded the consent; the waiting API goes on.
      answerPrivacy('agree');
      this.setData({ privacyShown: false });
    },
    onDeclinePrivacy() {
      answerPrivacy('disagree');
      this.setData({ privacyShown: false, message: say('mp.privacy.declined') });
    },
    onSubmit() {
      if (this.data.submitting) return;
      const draft = this.data.draft;
      const errors = checkDraft(draft);
      if (Object.keys(errors).length > 0) {
        this.setData({ errors, message: say('mp.fix-red') });
        return;
      }
      // Still inside the tap: WeChat only shows the consent dialog here.
      const consent = askConsent(this.data.templates);
      this.setData({ submitting: true, message: '' });
      void this.send(draft, consent);
    },
    async send(draft: Draft, consent: Promise<Record<string, string> | null>) {
      try {
        const result = await consent;
        await recordConsent(draft, result);
        const r = await submitDraft(draft, (photos) => this.setData({ draft: { ...this.data.draft, photos } }));
        clearDraft();
        forgetPhotos(draft.photos);
        const declined = result !== null && this.data.templates.every((t) => result[t.templateId] !== 'accept');
        void wx.redirectTo({
          url: `/pages/submitted/index?id=${r.letterId}&code=${r.extractionCode}${declined ? '&declined=1' : ''}`,
        });
      } catch (err) {
        const f = err instanceof ApiFailure ? err : new ApiFailure(0, 'error', say('mp.generic'));
        const errors = problemsByField(f.problems);
        // Staff changed the taxonomy since the pickers loaded: the next visit loads the current one.
        if (errors.topic || errors.region) forgetChoices();
        // The draft and its key stay: tapping submit again cannot create a second letter.
        const message =
          f.status === 0
            ? `${f.message}。信件已保存，可以再次提交。`
            : Object.keys(errors).length > 0
              ? say('mp.fix-red')
              : f.message;
        this.setData({ submitting: false, errors, message });
      }
    },
  },
});

function compress(src: string): Promise<string> {
  // A photo already in the user-data folder was compressed when it was added.
  if (isKept(src)) return Promise.resolve(src);
  return new Promise((resolve) => {
    wx.compressImage({ src, quality: 70, success: (r) => resolve(r.tempFilePath), fail: () => resolve(src) });
  });
}
