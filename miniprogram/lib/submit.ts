// Submitting a draft: checks it with the project's own schema first (messages per field), asks for subscribe-message
// consent inside the tap (WeChat shows the dialog only then), uploads photos not yet uploaded, and posts the letter
// with the draft's client key, so a retry after a network failure finds the letter already stored.
import { api, ApiFailure, uploadPhoto } from './api';
import { saveDraft, type Draft, type DraftPhoto } from './draft';
import { say } from './messages.zh-CN';
import {
  checkRequest,
  mpLetterRequestSchema,
  type FieldProblem,
  type MpLetterRequest,
  type MpProfile,
  type MpSubmitAnswer,
} from '../shared/index';

export function requestOf(d: Draft): MpLetterRequest {
  return {
    clientKey: d.clientKey,
    kind: d.kind as MpLetterRequest['kind'],
    mailboxId: d.mailbox?.id ?? '',
    ...(d.title.trim() ? { title: d.title } : {}),
    body: d.body,
    // Photos still to upload count already, so the limit is checked before anything is sent.
    uploadIds: d.photos.map((p) => p.uploadId ?? '00000000-0000-0000-0000-000000000000'),
    ...(d.location ? { location: d.location } : {}),
    ...(d.name.trim() ? { name: d.name } : {}),
    usePhone: d.usePhone,
    visibility: d.visibility as MpLetterRequest['visibility'],
    ...(d.topic ? { topic: d.topic.code } : {}),
    ...(d.region ? { region: d.region.code } : {}),
  };
}

/** Field problems keyed by field name (the first message of each). */
export function problemsByField(problems: FieldProblem[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of problems) {
    const field = p.field.split('.')[0] ?? p.field;
    if (!(field in out)) out[field] = p.message;
  }
  return out;
}

export function checkDraft(d: Draft): Record<string, string> {
  const r = checkRequest(mpLetterRequestSchema, requestOf(d));
  return r.ok ? {} : problemsByField(r.problems);
}

/** Must be called synchronously from the submit tap. Resolves with the result, or null when WeChat showed nothing. */
export function askConsent(templates: MpProfile['subscribeTemplates']): Promise<Record<string, string> | null> {
  if (templates.length === 0) return Promise.resolve(null);
  return new Promise((resolve) => {
    wx.requestSubscribeMessage({
      tmplIds: templates.map((t) => t.templateId),
      success: (r) => resolve(r as unknown as Record<string, string>),
      fail: () => resolve(null),
    });
  });
}

export async function recordConsent(d: Draft, result: Record<string, string> | null): Promise<void> {
  if (!result) return;
  // Losing a consent record only costs a notification; it never blocks the letter.
  await api('POST', '/mp/subscriptions', { result }, { 'idempotency-key': `consent-${d.clientKey}` }).catch(
    () => undefined,
  );
}

/**
 * Uploads the photos not uploaded yet, each with its own state (`onPhotos` shows them), then posts the letter. A photo
 * that fails stops the submission with a message on the photos; its retry uploads only what is missing.
 */
export async function submitDraft(
  d: Draft,
  onPhotos: (photos: DraftPhoto[]) => void = () => undefined,
): Promise<MpSubmitAnswer> {
  for (const photo of d.photos) {
    if (photo.uploadId) continue;
    photo.state = 'uploading';
    onPhotos(d.photos);
    try {
      photo.uploadId = await uploadPhoto(photo.path);
      delete photo.state;
    } catch (err) {
      photo.state = 'failed';
      saveDraft(d);
      onPhotos(d.photos);
      const f = err instanceof ApiFailure ? err : new ApiFailure(0, 'network', say('mp.photo.upload-failed'));
      throw new ApiFailure(f.status, f.code, f.message, [
        { field: 'uploadIds', message: f.status === 0 ? say('mp.photo.upload-failed') : f.message },
      ]);
    }
    saveDraft(d);
    onPhotos(d.photos);
  }
  return api<MpSubmitAnswer>('POST', '/mp/letters', requestOf(d));
}

export { ApiFailure };
