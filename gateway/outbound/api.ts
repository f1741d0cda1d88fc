// The outbound API the case store calls (DESIGN §4): post replies, read letters and deliveries. Bearer keys, problem
// details, and Idempotency-Key on every POST.
import Router from '@koa/router';
import { z } from 'zod';
import type { GatewayServices } from '../services.js';
import { requireApiKey, type ApiPrincipal } from '../http/api-auth.js';
import { idempotent } from '../http/idempotency.js';
import { readJson } from '../http/body.js';
import { parseBody } from '../http/parse-body.js';
import { AppError } from '../errors.js';
import { deliveryViews, letterView } from '../letters/view.js';
import { isUuid } from '../lib/uuid.js';
import { queueDeliveries } from '../outbox/deliveries.js';
import { summarize } from '../lib/text.js';
import { recordStatus, reportableStatuses } from '../letters/status.js';
import { markReplied } from '../letters/lifecycle.js';
import { startSurvey } from '../surveys/surveys.js';
import { withdrawSurvey } from '../surveys/withdraw.js';
import type { ChannelRegistry } from '../channels/registry.js';
import { applyCaseFacts, caseFactsFields, checkCaseFacts, hasCaseFacts } from '../classification/case-facts.js';
import { classificationFor } from '../classification/service.js';
import type {
  replyAnswerSchema,
  statusAnswerSchema,
  surveyStartAnswerSchema,
  surveyWithdrawAnswerSchema,
} from './answers.js';

// The answers are built to the types of the schemas the OpenAPI document shows (answers.ts).
type ReplyAnswer = z.input<typeof replyAnswerSchema>;
type StatusAnswer = z.input<typeof statusAnswerSchema>;
type SurveyStartAnswer = z.input<typeof surveyStartAnswerSchema>;
type SurveyWithdrawAnswer = z.input<typeof surveyWithdrawAnswerSchema>;

export const replySchema = z
  .object({
    text: z.string().trim().min(1, 'text must not be empty').max(20_000),
    final: z.boolean().optional(),
    survey: z.boolean().optional(),
  })
  .strict();

// Every field is optional so the case store can report a deadline or a correction alone; an empty report is refused.
export const statusSchema = z
  .object({
    status: z.enum(reportableStatuses).optional(),
    note: z.string().trim().max(500).optional(),
    ...caseFactsFields,
  })
  .strict()
  .refine((b) => b.status !== undefined || hasCaseFacts(b), {
    error: 'status or at least one of department, deadline, resolved, topic, region is required',
    path: ['status'],
  });

export const surveyWithdrawSchema = z
  .object({
    reason: z
      .string()
      .trim()
      .min(1)
      .max(500)
      .optional()
      .describe("why, for the letter's history (e.g. the case was reopened)"),
  })
  .strict();

// Re-exported for existing callers; new code imports it from http/parse-body.ts.
export { parseBody };

export function outboundApi(s: GatewayServices, channels: ChannelRegistry): Router {
  const router = new Router({ prefix: '/api/v1' });
  const read = requireApiKey(s.db, 'letters:read');
  const write = requireApiKey(s.db, 'letters:write');

  router.post('/letters/:id/replies', write, async (ctx) => {
    const body = parseBody(replySchema, await readJson(ctx));
    const principal = ctx.state.principal as ApiPrincipal;
    const id = ctx.params.id!;
    let queued = false as boolean; // set inside the transaction callback
    await idempotent(ctx, s.db, principal.keyId, body, async (tx) => {
      const letter = isUuid(id)
        ? await tx
            .selectFrom('letters')
            .select(['id', 'channel', 'citizen_id', 'status', 'forward_state'])
            .where('id', '=', id)
            .forUpdate()
            .executeTakeFirst()
        : undefined;
      if (!letter) throw new AppError('letter_not_found');
      if (letter.forward_state === 'rejected')
        throw new AppError('conflict', { detail: 'the case store rejected this letter; it cannot be replied to' });
      const parts = channels.get(letter.channel as never)?.replyParts?.(body.text) ?? [body.text];
      const [deliveryId, ...more] = await queueDeliveries(
        tx,
        parts.map((part, i) => ({
          letterId: letter.id,
          channel: letter.channel,
          recipient: letter.citizen_id,
          kind: 'reply' as const,
          templateKey: 'reply',
          variables: {
            replyText: part,
            replySummary: summarize(body.text, 60),
            ...(parts.length > 1 ? { partNumber: String(i + 1), partCount: String(parts.length) } : {}),
          },
        })),
      );
      if (body.final && body.survey !== false) await startSurvey(tx, s.config, letter.id, 'final_reply');
      await markReplied(tx, letter);
      queued = true;
      return {
        status: 202,
        body: {
          deliveryId: deliveryId!, // one delivery per part, and there is at least one part
          channel: letter.channel,
          status: 'queued',
          final: body.final ?? false,
          ...(more.length > 0 ? { partDeliveryIds: more } : {}),
        } satisfies ReplyAnswer,
      };
    });
    if (queued) s.wakeup.wake('deliveries');
  });

  router.post('/letters/:id/status', write, async (ctx) => {
    const body = parseBody(statusSchema, await readJson(ctx));
    const principal = ctx.state.principal as ApiPrincipal;
    const id = ctx.params.id!;
    let notice = false as boolean; // set inside the transaction callback
    const { status, note, ...facts } = body;
    // Nothing inside the transaction below may wait on the pool for a second connection (recordStatus, checkCaseFacts).
    if (hasCaseFacts(facts)) await checkCaseFacts(classificationFor(s.db, s.config), facts);
    await idempotent(ctx, s.db, principal.keyId, body, async (tx) => {
      if (!isUuid(id)) throw new AppError('letter_not_found');
      // Facts first: a report that closes a case and says it was resolved counts as resolved from its first moment.
      const updated = hasCaseFacts(facts) ? await applyCaseFacts(tx, id, facts, `case-store:${principal.keyId}`) : [];
      if (status === undefined) {
        const row = await tx.selectFrom('letters').select('status').where('id', '=', id).executeTakeFirstOrThrow();
        return { status: 200, body: { changed: false, status: row.status, updated } satisfies StatusAnswer };
      }
      const change = await recordStatus(tx, id, status, note);
      if (change.changed && change.status === 'closed') await startSurvey(tx, s.config, id, 'closed');
      notice = change.noticeDeliveryId !== undefined;
      return { status: 200, body: { ...change, updated } satisfies StatusAnswer };
    });
    if (notice) s.wakeup.wake('deliveries');
  });

  router.post('/letters/:id/surveys', write, async (ctx) => {
    const principal = ctx.state.principal as ApiPrincipal;
    const id = ctx.params.id!;
    let created = false as boolean; // set inside the transaction callback
    await idempotent(ctx, s.db, principal.keyId, {}, async (tx) => {
      const letter = isUuid(id)
        ? await tx.selectFrom('letters').select(['id', 'forward_state']).where('id', '=', id).executeTakeFirst()
        : undefined;
      if (!letter) throw new AppError('letter_not_found');
      if (letter.forward_state === 'rejected')
        throw new AppError('conflict', { detail: 'the case store rejected this letter' });
      const r = await startSurvey(tx, { ...s.config, SURVEY_DELAY_SECONDS: 0 }, id, 'api');
      created = r.created;
      return r.created
        ? { status: 202, body: { surveyId: r.surveyId, created: true, state: r.state } satisfies SurveyStartAnswer }
        : {
            status: 200,
            body: {
              surveyId: r.surveyId,
              created: false,
              state: r.state,
              detail: 'this letter already has a survey; at most one survey per letter',
            } satisfies SurveyStartAnswer,
          };
    });
    if (created) s.wakeup.wake('deliveries');
  });

  // Withdrawing twice answers the same; no open survey (none, answered, expired) is a 409 `survey_not_open`.
  router.post('/letters/:id/survey/withdraw', write, async (ctx) => {
    // The reason is optional, and so is the body that carries it.
    const hasBody = Number(ctx.get('content-length') || 0) > 0 || ctx.get('transfer-encoding') !== '';
    const body = parseBody(surveyWithdrawSchema, hasBody ? await readJson(ctx) : {});
    const principal = ctx.state.principal as ApiPrincipal;
    const id = ctx.params.id!;
    let withdrew = false as boolean; // set inside the transaction callback
    await idempotent(ctx, s.db, principal.keyId, body, async (tx) => {
      const letter = isUuid(id)
        ? await tx.selectFrom('letters').select('id').where('id', '=', id).executeTakeFirst()
        : undefined;
      if (!letter) throw new AppError('letter_not_found');
      const r = await withdrawSurvey(tx, letter.id, body.reason);
      if (r.outcome === 'not_open')
        throw new AppError('survey_not_open', {
          detail: r.state ? `the letter's survey is ${r.state}` : 'no survey was started for this letter',
        });
      withdrew = true;
      return {
        status: 200,
        body: {
          surveyId: r.surveyId,
          state: 'withdrawn',
          withdrawnAt: r.withdrawnAt.toISOString(),
          reason: r.reason,
        } satisfies SurveyWithdrawAnswer,
      };
    });
    // The cancelled questions are reported to the case store as failed deliveries.
    if (withdrew) s.wakeup.wake('events');
  });

  router.get('/letters/:id', read, async (ctx) => {
    const view = await letterView(s.db, ctx.params.id!, s.pii);
    if (!view) throw new AppError('letter_not_found');
    ctx.body = view;
  });

  router.get('/letters', read, async (ctx) => {
    const serial = ctx.query.serial;
    if (typeof serial !== 'string' || !/^[A-Za-z0-9-]{1,64}$/.test(serial)) {
      throw new AppError('request_invalid', {
        problems: [{ field: 'serial', message: 'give one serial (letters and digits)' }],
      });
    }
    const row = await s.db.selectFrom('letters').select('id').where('serial', '=', serial).executeTakeFirst();
    const view = row ? await letterView(s.db, row.id, s.pii) : null;
    ctx.body = { letters: view ? [view] : [] };
  });

  router.get('/deliveries/:id', read, async (ctx) => {
    const id = ctx.params.id!;
    const [view] = isUuid(id) ? await deliveryViews(s.db, { deliveryId: id }) : [];
    if (!view) throw new AppError('delivery_not_found');
    ctx.body = view;
  });

  return router;
}
