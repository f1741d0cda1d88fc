// WeChat's asynchronous photo check (mediaCheckAsync v2) for mini-program uploads. Every photo is sent for checking
// once (claimed atomically, so the upload route and the retry job never ask twice), WeChat fetches it from a signed
// URL and pushes its verdict within 30 minutes to the message-push URL (push.ts). Nothing may show a photo publicly
// unless its verdict is `pass`: `publicPhotos` is the one question a public page asks.
// https://developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/sec-center/sec-check/mediaCheckAsync.html
import { sql } from 'kysely';
import type { Db } from '../store/db.js';
import type { Logger } from '../observability/logger.js';

/** The WeChat call behind the check, implemented by the wechat-mp channel. */
export interface MediaCheckApi {
  mediaCheckAsync(openid: string, mediaUrl: string): Promise<{ traceId: string }>;
}

export interface MediaCheckDeps {
  db: Db;
  log: Logger;
  attachments: { signedUrl(id: string): string };
  /** Null in sandbox mode or when no push URL is configured (WeChat could not deliver a verdict). */
  api: MediaCheckApi | null;
}

export type MediaVerdict = 'pass' | 'review' | 'risky';

/** Asks WeChat to check one upload, unless it was asked already; a failed call leaves it for the retry job. */
export async function startMediaCheck(d: MediaCheckDeps, uploadId: string): Promise<void> {
  if (!d.api) return;
  const claimed = await d.db
    .updateTable('mp_uploads')
    .set({ media_check: 'pending' })
    .where('id', '=', uploadId)
    .where('media_check', 'is', null)
    .returning(['openid', 'attachment_id'])
    .executeTakeFirst();
  if (!claimed) return;
  try {
    const { traceId } = await d.api.mediaCheckAsync(claimed.openid, d.attachments.signedUrl(claimed.attachment_id));
    await d.db.updateTable('mp_uploads').set({ media_trace_id: traceId }).where('id', '=', uploadId).execute();
  } catch (err) {
    d.log.warn({ err, uploadId }, 'mediaCheckAsync not accepted; the photo is asked again later');
    await d.db
      .updateTable('mp_uploads')
      .set({ media_check: null })
      .where('id', '=', uploadId)
      .where('media_trace_id', 'is', null)
      .execute();
  }
}

/** The retry job: uploads of the last day still unasked (WeChat was unreachable at upload time). */
export async function retryMediaChecks(d: MediaCheckDeps, limit = 50): Promise<number> {
  if (!d.api) return 0;
  const rows = await d.db
    .selectFrom('mp_uploads')
    .select('id')
    .where('media_check', 'is', null)
    .where('created_at', '>', sql<Date>`now() - interval '1 day'`)
    .where('created_at', '<', sql<Date>`now() - interval '1 minute'`)
    .orderBy('created_at')
    .limit(limit)
    .execute();
  for (const r of rows) await startMediaCheck(d, r.id);
  return rows.length;
}

/** WeChat's pushed verdict for a trace id; false when no upload has that trace id. */
export async function recordMediaVerdict(
  db: Db,
  traceId: string,
  verdict: MediaVerdict | 'failed',
  label: string | null,
): Promise<boolean> {
  const r = await db
    .updateTable('mp_uploads')
    .set({ media_check: verdict, media_label: label, media_checked_at: new Date() })
    .where('media_trace_id', '=', traceId)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** Of these attachments, the ones WeChat found harmless: only these may appear on a public page. */
export async function publicPhotos(db: Db, attachmentIds: string[]): Promise<Set<string>> {
  if (attachmentIds.length === 0) return new Set();
  const rows = await db
    .selectFrom('mp_uploads')
    .select('attachment_id')
    .where('attachment_id', 'in', attachmentIds)
    .where('media_check', '=', 'pass')
    .execute();
  return new Set(rows.map((r) => r.attachment_id));
}
