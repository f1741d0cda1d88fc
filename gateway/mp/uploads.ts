// POST /mp/uploads — one photo per request, as `wx.uploadFile` sends it (multipart/form-data, field `file`). The type
// comes from the bytes, the size is capped, the bytes go to the attachment store (sha256, deduplicated), and the
// upload belongs to the session's citizen until a letter uses it.
import type Router from '@koa/router';
import type { Middleware } from 'koa';
import { z } from 'zod';
import { AppError } from '../errors.js';
import { readRaw } from '../http/body.js';
import { uuidv7 } from '../letters/ids.js';
import type { MpDeps } from './deps.js';
import { sessionOf } from './session.js';
import { detectImageType } from './image-type.js';
import { hit } from './rate-limit.js';
import { format } from '../i18n/catalogue.js';
import { messages } from './messages.zh-CN.js';

const multipartOverhead = 16 * 1024;

/** POST /mp/uploads: the form `wx.uploadFile` sends, the photo in field `file`. */
export const mpUploadFormSchema = z.object({
  file: z
    .file()
    .describe(
      'the photo: JPEG, PNG, GIF or WebP (told by its bytes), at most `uploadMaxBytes` of GET /mp/profile (MP_UPLOAD_MAX_BYTES)',
    ),
});

export function uploadRoutes(
  router: Router,
  d: MpDeps,
  auth: Middleware,
  afterUpload?: (uploadId: string) => void,
): void {
  router.post('/mp/uploads', auth, async (ctx) => {
    const { openid } = sessionOf(ctx);
    const limit = d.config.MP_UPLOAD_MAX_BYTES;
    // Uploads cost storage before any letter exists: cap them per citizen.
    if ((await hit(d.db, `uploads:${openid}`, 3600)) > d.config.MP_UPLOADS_PER_HOUR)
      throw new AppError('rate_limited', { detail: format(messages, 'mp.uploadRateLimited') });
    if (!ctx.is('multipart/form-data'))
      throw new AppError('unsupported_media_type', {
        detail: 'send multipart/form-data with the photo in field "file"',
      });
    const raw = await readRaw(ctx, limit + multipartOverhead);
    let form: FormData;
    try {
      // The platform's own multipart parser (undici), on a body already capped in size.
      // eslint-disable-next-line @typescript-eslint/no-deprecated -- deprecated for unbounded bodies; this one is capped
      form = await new Response(raw, { headers: { 'content-type': ctx.get('content-type') } }).formData();
    } catch {
      throw new AppError('bad_request', { detail: 'the multipart body cannot be read' });
    }
    const parsed = mpUploadFormSchema.safeParse({ file: form.get('file') });
    if (!parsed.success)
      throw new AppError('request_invalid', {
        problems: [{ field: 'file', message: 'a photo is required in field "file"' }],
      });
    const { file } = parsed.data;
    if (file.size > limit) throw new AppError('body_too_large', { detail: `photos are limited to ${limit} bytes` });
    const data = Buffer.from(await file.arrayBuffer());
    const contentType = detectImageType(data);
    if (!contentType) throw new AppError('upload_not_image');
    const ref = await d.attachments.put({ data, contentType });
    const id = uuidv7();
    await d.db
      .insertInto('mp_uploads')
      .values({
        id,
        openid,
        attachment_id: ref.attachmentId,
        content_type: ref.contentType,
        bytes: ref.bytes,
        sha256: ref.sha256,
      })
      .execute();
    // WeChat's photo check runs beside the answer; a photo is public only after its verdict (gateway/mp/media-check.ts).
    afterUpload?.(id);
    ctx.status = 201;
    ctx.body = { uploadId: id, contentType: ref.contentType, bytes: ref.bytes, sha256: ref.sha256 };
  });
}
