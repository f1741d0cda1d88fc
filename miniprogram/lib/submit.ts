// Submitting a draft: checks it with the project's own schema first (messages per field), asks for subscribe-message
// consent inside the tap (WeChat shows the dialog only then), uploads photos not yet uploaded, and posts the letter
// with the draft's client key, so a retry after a network failure finds the letter already stored.
import { api, ApiFailure, uploadPhoto } from './api';
import { saveDraft, type Draft } from './draft';
import { checkRequest, mpLetterRequestSchema, type FieldProblem, type MpLetterRequest, type MpProfile, type MpSubmitAnswer } from '../shared/index';

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
  await api('POST', '/mp/subscriptions', { result }, { 'idempotency-key': `consent-${d.clientKey}` }).catch(() => undefined);
}

export async function submitDraft(d: Draft): Promise<MpSubmitAnswer> {
  for (const photo of d.photos) {
    if (!photo.uploadId) {
      photo.uploadId = await uploadPhoto(photo.path);
      saveDraft(d);
    }
  }
  return api<MpSubmitAnswer>('POST', '/mp/letters', requestOf(d));
}

export { ApiFailure };
