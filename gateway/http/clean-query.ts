// Query parameters are input too (the console's search fields, the sandbox outbox filter): they pass the same text
// rule as bodies, so a %00 in a search box is a search for nothing rather than a PostgreSQL error.
import type { Middleware } from 'koa';
import { cleanJson } from '../../shared/text.js';

export function cleanQuery(): Middleware {
  return async (ctx, next) => {
    if (ctx.querystring !== '') {
      const query = ctx.query;
      const cleaned = cleanJson(query) as typeof query;
      // Only rewrite what changed (cleanJson hands back the same object otherwise): signed parameters stay as sent.
      if (cleaned !== query) ctx.query = cleaned;
    }
    await next();
  };
}
