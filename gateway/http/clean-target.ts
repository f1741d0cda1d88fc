// Query parameters are input too (the console's search fields, the sandbox outbox filter): they pass the same text
// rule as bodies, so a %00 in a search box is a search for nothing rather than a PostgreSQL error. The path is input as
// well: the router decodes its parameters, and a %00 there would reach PostgreSQL as a NUL, which no text column takes.
// There it becomes U+FFFD, as a broken surrogate does in text, rather than nothing: removed, it could empty a segment
// and name another resource (/letters/%00 is not /letters/). Each route then answers in its own words (an id that
// names nothing is that route's 404).
import type { Middleware } from 'koa';
import { cleanJson } from '../../shared/text.js';

export function cleanRequestTarget(): Middleware {
  return async (ctx, next) => {
    if (/%00/i.test(ctx.path)) ctx.path = ctx.path.replace(/%00/gi, '%EF%BF%BD');
    if (ctx.querystring !== '') {
      const query = ctx.query;
      const cleaned = cleanJson(query) as typeof query;
      // Only rewrite what changed (cleanJson hands back the same object otherwise): signed parameters stay as sent.
      if (cleaned !== query) ctx.query = cleaned;
    }
    await next();
  };
}
