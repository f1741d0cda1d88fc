// Read-only view of what sandboxed channels "sent", for trying the flow by hand (served only in sandbox mode). The
// messages carry phones and extraction codes, so a staff console session is required (any role, as in the console).
import Router from '@koa/router';
import type { Middleware } from 'koa';
import type { Db } from '../../store/db.js';

export function sandboxOutbox(db: Db, staffSession: Middleware): Router {
  const router = new Router();
  router.get('/sandbox/outbox', staffSession, async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    const limit = Math.min(Number(ctx.query.limit ?? 50) || 50, 500);
    let q = db.selectFrom('sandbox_messages').selectAll().orderBy('id', 'desc').limit(limit);
    if (typeof ctx.query.recipient === 'string') q = q.where('recipient', '=', ctx.query.recipient);
    ctx.body = { messages: await q.execute() };
  });
  return router;
}
