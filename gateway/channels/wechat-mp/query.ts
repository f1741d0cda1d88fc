// POST /mp/query — progress of any letter (any channel) by serial + extraction code. Guarded against guessing: a
// limit per citizen (logging in again does not reset it), a limit of wrong codes per serial (counted for unknown
// serials too), a constant-time comparison, and one answer for "no such serial" and "wrong code".
import { timingSafeEqual } from 'node:crypto';
import type Router from '@koa/router';
import type { Middleware } from 'koa';
import { AppError } from '../../errors.js';
import { readJson } from '../../http/body.js';
import { checkRequest, mpQueryRequestSchema } from '../../../shared/mp-api.js';
import type { MpDeps } from './deps.js';
import { sessionOf } from './session.js';
import { hit, current } from './rate-limit.js';
import { letterColumns, queryView, type LetterRow } from './letter-views.js';

const hour = 3600;
// Compared against when the serial is unknown, so both cases take the same path.
const decoy = Buffer.from('000000');

export function queryRoutes(router: Router, d: MpDeps, auth: Middleware): void {
  router.post('/mp/query', auth, async (ctx) => {
    const session = sessionOf(ctx);
    const checked = checkRequest(mpQueryRequestSchema, await readJson(ctx, 4096));
    if (!checked.ok) throw new AppError('request_invalid', { problems: checked.problems });
    const serial = checked.value.serial.toUpperCase();
    if ((await hit(d.db, `query:citizen:${session.openid}`, hour)) > d.config.MP_QUERY_LIMIT_PER_CITIZEN) {
      throw new AppError('rate_limited', { detail: '查询过于频繁，请一小时后再试' });
    }
    const failuresBucket = `query:serial:${serial}`;
    if ((await current(d.db, failuresBucket, hour)) >= d.config.MP_QUERY_FAILURES_PER_SERIAL) {
      throw new AppError('rate_limited', { detail: '该流水号提取码错误次数过多，请一小时后再试' });
    }
    const row = await d.db.selectFrom('letters').select([...letterColumns, 'extraction_code']).where('serial', '=', serial).executeTakeFirst();
    const expected = row ? Buffer.from(row.extraction_code) : decoy;
    const given = Buffer.from(checked.value.code);
    const matches = given.length === expected.length && timingSafeEqual(given, expected) && row !== undefined;
    if (!matches || !row) {
      await hit(d.db, failuresBucket, hour);
      throw new AppError('query_not_found');
    }
    ctx.body = await queryView(d.db, row as LetterRow);
  });
}
