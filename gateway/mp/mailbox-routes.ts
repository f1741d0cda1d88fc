// GET /mp/mailboxes — the directory as a tree, or `?q=` to search names (answers carry the path, e.g. 成都 › 武侯区).
// Public: the directory is no secret and the picker opens before login completes.
import type Router from '@koa/router';
import { AppError } from '../errors.js';
import type { MpDeps } from './deps.js';
import { format } from '../i18n/catalogue.js';
import { messages } from './messages.zh-CN.js';

export function mailboxRoutes(router: Router, d: MpDeps): void {
  router.get('/mp/mailboxes', async (ctx) => {
    const q = ctx.query.q;
    if (q === undefined) {
      ctx.set('Cache-Control', 'public, max-age=300');
      ctx.body = { mailboxes: await d.mailboxes.tree() };
      return;
    }
    if (typeof q !== 'string' || [...q].length > 30)
      throw new AppError('request_invalid', { problems: [{ field: 'q', message: format(messages, 'mp.souSuoCiBu') }] });
    ctx.body = { results: await d.mailboxes.search(q) };
  });
}
