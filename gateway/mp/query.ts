// POST /mp/query — progress of any letter (any channel) by serial + extraction code, through the shared guard in
// letters/progress-query.ts: the user who wrote the letter is answered whatever the code and never locked out;
// anyone else spends from the per-serial, per-user and overall budgets, and gets one answer for "no such serial"
// and "wrong code".
import type Router from '@koa/router';
import type { Middleware } from 'koa';
import { AppError } from '../errors.js';
import { readJson } from '../http/body.js';
import { checkRequest, mpQueryRequestSchema } from '../../shared/mp-api.js';
import { lookupProgress, type LimitScope } from '../letters/progress-query.js';
import type { MpDeps } from './deps.js';
import { sessionOf } from './session.js';
import { letterColumns, queryView } from './letter-views.js';
import { format } from '../i18n/catalogue.js';
import { messages } from './messages.zh-CN.js';
import { wechatMpChannel } from '../channels/wechat-mp/channel-id.js';

const limitedDetail: Record<LimitScope, string> = {
  serial: format(messages, 'mp.limitedDetail.serial'),
  sender: format(messages, 'mp.limitedDetail.sender'),
  global: format(messages, 'mp.limitedDetail.global'),
};

export function queryRoutes(router: Router, d: MpDeps, auth: Middleware): void {
  router.post('/mp/query', auth, async (ctx) => {
    const session = sessionOf(ctx);
    const checked = checkRequest(mpQueryRequestSchema, await readJson(ctx, 4096));
    if (!checked.ok) throw new AppError('request_invalid', { problems: checked.problems });
    const r = await lookupProgress(d.db, d.config, {
      serial: checked.value.serial,
      code: checked.value.code,
      requester: { channel: wechatMpChannel, id: session.openid },
    });
    if (r.outcome === 'limited') {
      ctx.set('Retry-After', String(r.retryAfterSeconds));
      throw new AppError('rate_limited', { detail: limitedDetail[r.scope] });
    }
    if (r.outcome === 'not_found') throw new AppError('query_not_found');
    const row = await d.db
      .selectFrom('letters')
      .select(letterColumns)
      .where('id', '=', r.letter.id)
      .executeTakeFirstOrThrow();
    ctx.body = await queryView(d.db, row);
  });
}
