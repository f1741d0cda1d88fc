// GET /attachments/:id — serves a stored attachment to whoever holds a valid signed URL (the case store, staff).
import Router from '@koa/router';
import type { Context } from 'koa';
import type { AttachmentStore } from './store.js';
import { AppError } from '../errors.js';

export function attachmentRoutes(store: AttachmentStore): Router {
  const router = new Router();
  router.get('/attachments/:id', async (ctx) => {
    const id = ctx.params.id!;
    const { expires, signature } = ctx.query;
    if (typeof expires !== 'string' || typeof signature !== 'string' || !store.verify(id, expires, signature)) {
      throw new AppError('forbidden', { detail: 'the link is invalid or has expired' });
    }
    const file = await store.get(id);
    if (!file) throw new AppError('not_found');
    sendStoredFile(ctx, file);
  });
  return router;
}

/**
 * A stored file as the answer. It is served from the gateway's own origin, the console's: whatever its type says
 * (a provider's header, the gateway's own text), it is never sniffed as something else and never runs a script there.
 */
export function sendStoredFile(ctx: Context, file: { data: Buffer; contentType: string; sha256: string }): void {
  ctx.set('Cache-Control', 'private, max-age=3600');
  ctx.set('ETag', `"${file.sha256}"`);
  ctx.set('X-Content-Type-Options', 'nosniff');
  ctx.set('Content-Security-Policy', "default-src 'none'; sandbox");
  ctx.type = file.contentType;
  ctx.body = file.data;
}
