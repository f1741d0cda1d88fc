// POST /mp/letters/:id/satisfaction — the citizen rates how their letter was handled, answering the survey the
// gateway started (after the final reply, on closing, or when the case store asked). Only one's own letters.
import type Router from '@koa/router';
import type { Middleware } from 'koa';
import { AppError } from '../errors.js';
import { readJson } from '../http/body.js';
import { checkRequest, mpSatisfactionRequestSchema } from '../../shared/mp-api.js';
import { answerSurvey } from '../surveys/surveys.js';
import type { MpDeps } from './deps.js';
import { sessionOf } from './session.js';
import { format } from '../i18n/catalogue.js';
import { messages } from './messages.zh-CN.js';
import { wechatMpChannel } from '../channels/wechat-mp/channel-id.js';

export function satisfactionRoutes(router: Router, d: MpDeps, auth: Middleware): void {
  router.post('/mp/letters/:id/satisfaction', auth, async (ctx) => {
    const { openid } = sessionOf(ctx);
    const checked = checkRequest(mpSatisfactionRequestSchema, await readJson(ctx, 8192));
    if (!checked.ok) throw new AppError('request_invalid', { problems: checked.problems });
    const id = ctx.params.id!;
    const survey = /^[0-9a-f-]{36}$/i.test(id)
      ? await d.db
          .selectFrom('surveys as s')
          .innerJoin('letters as l', 'l.id', 's.letter_id')
          .select('s.id')
          .where('l.id', '=', id)
          .where('l.channel', '=', wechatMpChannel)
          .where('l.citizen_id', '=', openid)
          .executeTakeFirst()
      : undefined;
    if (!survey) {
      const own =
        /^[0-9a-f-]{36}$/i.test(id) &&
        (await d.db
          .selectFrom('letters')
          .select('id')
          .where('id', '=', id)
          .where('citizen_id', '=', openid)
          .executeTakeFirst());
      throw own
        ? new AppError('conflict', { detail: format(messages, 'mp.surveyNotOpen') })
        : new AppError('letter_not_found');
    }
    const { score, reason, reopen } = checked.value;
    const answer = {
      score,
      ...(reason ? { reason } : {}),
      ...(reopen !== undefined ? { reopen } : {}),
      channel: wechatMpChannel,
    };
    const outcome = await d.db.transaction().execute((tx) => answerSurvey(tx, d.config, survey.id, answer));
    if (outcome === 'too_late') throw new AppError('conflict', { detail: format(messages, 'mp.surveyAnswered') });
    if (outcome === 'expired') throw new AppError('conflict', { detail: format(messages, 'mp.surveyExpired') });
    d.wakeup.wake('deliveries');
    ctx.body = { outcome };
  });
}
