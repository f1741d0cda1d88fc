// A letter's photos and voice for staff inside the console: the same stored files the case store reads by signed URL,
// served to a session instead (the letter's signed URLs may have expired) and from the console's own origin.
import Router from '@koa/router';
import type { GatewayServices } from '../services.js';
import { AppError } from '../errors.js';
import { format } from '../i18n/catalogue.js';
import { messages } from './messages.zh-CN.js';
import { sendStoredFile } from '../attachments/routes.js';

export function attachmentRoutes(s: GatewayServices): Router {
  const router = new Router();
  router.get('/attachments/:id', async (ctx) => {
    const id = ctx.params.id!;
    const file = /^[A-Za-z0-9_-]{1,100}$/.test(id) ? await s.attachments.get(id) : null;
    if (!file) throw new AppError('not_found', { detail: format(messages, 'admin.attachmentNotFound') });
    sendStoredFile(ctx, file);
  });
  return router;
}
