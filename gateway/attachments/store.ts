// Attachments (photos, voice, video) kept in PostgreSQL, deduplicated by sha256 so every instance sees every file,
// and handed out under signed, expiring URLs: WeChat media ids expire after 3 days, our copies do not.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { Db } from '../store/db.js';
import { uuidv7 } from '../letters/ids.js';
import type { AttachmentRef } from '../conversation/types.js';
import { AppError } from '../errors.js';

export interface AttachmentStore {
  /**
   * Stores the bytes (or finds the identical file already stored) and returns its reference. `maxBytes` overrides the
   * configured limit for files the gateway makes itself (a long letter's full text), which are never refused.
   */
  put(file: { data: Buffer; contentType: string }, options?: { maxBytes?: number }): Promise<AttachmentRef>;
  get(id: string): Promise<{ data: Buffer; contentType: string; sha256: string } | null>;
  /** Absolute URL valid for the configured time. */
  signedUrl(id: string): string;
  verify(id: string, expires: string, signature: string): boolean;
}

export function createAttachmentStore(
  db: Db,
  o: { secret: string; ttlSeconds: number; maxBytes: number; publicBaseUrl: () => string },
): AttachmentStore {
  const sign = (id: string, expires: string) =>
    createHmac('sha256', o.secret).update(`${id}\n${expires}`).digest('hex');
  return {
    async put({ data, contentType }, options = {}) {
      const maxBytes = options.maxBytes ?? o.maxBytes;
      if (data.length > maxBytes)
        throw new AppError('body_too_large', { detail: `attachments are limited to ${maxBytes} bytes` });
      const sha256 = createHash('sha256').update(data).digest('hex');
      const row = await db
        .insertInto('attachments')
        .values({ id: uuidv7(), sha256, content_type: contentType, bytes: data.length, data })
        // Same bytes stored before: keep the first copy and answer with it.
        .onConflict((oc) => oc.column('sha256').doUpdateSet({ sha256 }))
        .returning(['id', 'content_type', 'bytes'])
        .executeTakeFirstOrThrow();
      return { attachmentId: row.id, contentType: row.content_type, bytes: row.bytes, sha256 };
    },
    async get(id) {
      if (!/^[0-9a-f-]{36}$/i.test(id)) return null;
      const row = await db
        .selectFrom('attachments')
        .select(['data', 'content_type', 'sha256'])
        .where('id', '=', id)
        .executeTakeFirst();
      return row ? { data: row.data, contentType: row.content_type, sha256: row.sha256 } : null;
    },
    signedUrl(id) {
      const expires = String(Math.floor(Date.now() / 1000) + o.ttlSeconds);
      return `${o.publicBaseUrl()}/attachments/${id}?expires=${expires}&signature=${sign(id, expires)}`;
    },
    verify(id, expires, signature) {
      if (!/^\d{1,12}$/.test(expires) || Number(expires) < Date.now() / 1000) return false;
      const expected = Buffer.from(sign(id, expires), 'utf8');
      const given = Buffer.from(signature, 'utf8');
      return given.length === expected.length && timingSafeEqual(given, expected);
    },
  };
}
