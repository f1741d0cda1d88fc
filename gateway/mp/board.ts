// The public letters board (公开选登) in the app: GET /mp/public/letters?page=n&q=words (a page of the letters staff
// approved for publication, newest first, those containing the words when given) and GET /mp/public/letters/:ref (one of them). Read through the disclosure's own
// query, so the app never shows more than /public/ does. Behind the app's session (the board is no secret, but an
// unmetered second copy of /public/ would be).
import type Router from '@koa/router';
import type { Middleware } from 'koa';
import { z } from 'zod';
import { AppError } from '../errors.js';
import type { Db } from '../store/db.js';
import { publishedLetterCount, publishedLetterRows } from '../disclosure/routes.js';
import type { MpBoardPage, MpPublicLetter } from '../../shared/mp-api.js';
import { say } from './messages.zh-CN.js';

export const BOARD_PAGE_SIZE = 20;
/** Deep pages cost a long scan and no citizen reads 2,000 letters back; the public page shows 50. */
export const BOARD_MAX_PAGE = 100;
export const BOARD_SEARCH_MAX = 30;

/** GET /mp/public/letters: the page (1–100) and the words to look for. */
export const boardQuerySchema = z
  .object({
    page: z
      .string({ error: say('mp.page.invalid') })
      .regex(/^[1-9]\d{0,2}$/, say('mp.page.invalid'))
      .transform(Number)
      .refine((n) => n <= BOARD_MAX_PAGE, say('mp.page.invalid'))
      .optional()
      .describe(`page number, 1 to ${BOARD_MAX_PAGE}; default 1`),
    q: z
      .string({ error: say('mp.board.q.invalid') })
      .transform((q) => q.trim())
      .refine((q) => [...q].length <= BOARD_SEARCH_MAX, say('mp.board.q.tooLong', { max: BOARD_SEARCH_MAX }))
      .refine((q) => !/[\t\n\r]/.test(q), say('mp.board.q.invalid'))
      .optional()
      .describe(`words the letter or its reply contains, up to ${BOARD_SEARCH_MAX} characters`),
  })
  .strict();
const refPattern = /^[0-9a-f]{20}$/;

export function boardRoutes(router: Router, db: Db, auth: Middleware): void {
  router.get('/mp/public/letters', auth, async (ctx) => {
    const parsed = boardQuerySchema.safeParse(ctx.query);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new AppError('request_invalid', {
        problems: [
          {
            field: issue.path.map(String).join('.') || '(query)',
            message: issue.code === 'unrecognized_keys' ? say('mp.query.unknown') : issue.message,
          },
        ],
      });
    }
    const page = parsed.data.page ?? 1;
    const search = parsed.data.q || undefined;
    const [letters, total] = await Promise.all([
      publishedLetterRows(db, { limit: BOARD_PAGE_SIZE, offset: (page - 1) * BOARD_PAGE_SIZE, search }),
      publishedLetterCount(db, search),
    ]);
    ctx.set('Cache-Control', 'private, max-age=60');
    ctx.body = {
      letters,
      page,
      pageSize: BOARD_PAGE_SIZE,
      total,
      hasMore: page * BOARD_PAGE_SIZE < total && page < BOARD_MAX_PAGE,
    } satisfies MpBoardPage;
  });

  router.get('/mp/public/letters/:ref', auth, async (ctx) => {
    const ref = ctx.params.ref ?? '';
    // A malformed reference and a withdrawn letter look the same: not (or no longer) on the board.
    const [letter] = refPattern.test(ref) ? await publishedLetterRows(db, { limit: 1, offset: 0, ref }) : [];
    if (!letter) throw new AppError('not_found', { detail: say('mp.board.ref.invalid') });
    ctx.set('Cache-Control', 'private, max-age=60');
    ctx.body = letter satisfies MpPublicLetter;
  });
}
