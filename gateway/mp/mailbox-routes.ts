// GET /mp/mailboxes — the directory as a tree (each entry with its office level: leaders, city departments,
// districts/counties, townships/streets), or `?q=` to search names: matches carry their path (e.g. 武侯区信箱 ›
// 玉林街道信箱) and come grouped by office level. Public: the directory is no secret and the picker opens before login.
import type Router from '@koa/router';
import { z } from 'zod';
import { AppError } from '../errors.js';
import { officeLevels } from '../classification/office-levels.js';
import type { MpMailboxSearch } from '../../shared/mp-api.js';
import type { MpDeps } from './deps.js';
import { say } from './messages.zh-CN.js';

export const MAILBOX_QUERY_MAX = 30;

/** GET /mp/mailboxes: no query for the tree, `q` to search names. */
export const mailboxQuerySchema = z
  .object({
    q: z
      .string({ error: say('mp.mailboxes.q.invalid') })
      .max(MAILBOX_QUERY_MAX * 2, say('mp.mailboxes.q.tooLong', { max: MAILBOX_QUERY_MAX }))
      .refine((q) => [...q].length <= MAILBOX_QUERY_MAX, say('mp.mailboxes.q.tooLong', { max: MAILBOX_QUERY_MAX }))
      // NUL and the like are already gone (clean-target.ts); tabs and line breaks are no part of a name either.
      .refine((q) => !/[\t\n\r]/.test(q), say('mp.mailboxes.q.invalid'))
      .optional()
      .describe(
        `words of a mailbox's name, up to ${MAILBOX_QUERY_MAX} characters; absent: the whole directory as a tree`,
      ),
  })
  .strict();

export function mailboxRoutes(router: Router, d: MpDeps): void {
  router.get('/mp/mailboxes', async (ctx) => {
    const parsed = mailboxQuerySchema.safeParse(ctx.query);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new AppError('request_invalid', {
        problems: [
          {
            field: issue.path.map(String).join('.') || 'q',
            message: issue.code === 'unrecognized_keys' ? say('mp.query.unknown') : issue.message,
          },
        ],
      });
    }
    const { q } = parsed.data;
    if (q === undefined) {
      ctx.set('Cache-Control', 'public, max-age=300');
      ctx.body = { mailboxes: await d.mailboxes.tree() };
      return;
    }
    const results = await d.mailboxes.search(q);
    ctx.body = {
      results,
      groups: officeLevels
        .map((officeLevel) => ({
          officeLevel,
          ids: results.filter((r) => r.officeLevel === officeLevel).map((r) => r.id),
        }))
        .filter((g) => g.ids.length > 0),
    } satisfies MpMailboxSearch;
  });
}
