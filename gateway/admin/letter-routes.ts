// Letters for staff: search, a letter's whole story (canonical form, source messages, forward attempts, deliveries
// with every attempt), retrying a stuck or rejected letter, and the audited reveal of a citizen's phone number.
// Everything shown goes through the one masking function; reading a letter and revealing a phone are audited.
import { shownCitizenId } from '../privacy/pii-ids.js';
import Router from '@koa/router';
import { sql } from 'kysely';
import type { GatewayServices } from '../services.js';
import { AppError } from '../errors.js';
import { letterView } from '../letters/view.js';
import { isUuid } from '../lib/uuid.js';
import { reopenForForwarding } from '../letters/lifecycle.js';
import { requireRole, staffOf } from './sessions.js';
import { audit } from './audit.js';
import { maskDeep, maskName } from './mask.js';
import { openSourcePayload } from '../privacy/source-payload.js';
import { requiredReason } from './reason.js';
import { pageSize, textParam } from './params.js';
import { encodeCursor, letterQuery } from './letter-query.js';
import { openLetter } from '../privacy/pii-service.js';
import { classificationFor } from '../classification/service.js';
import { hideCode } from './hide-code.js';
import { topicNames } from './topic-names.js';
import { isOverdue } from './overdue.js';
import { format } from '../i18n/catalogue.js';
import { messages } from './messages.zh-CN.js';

const countCap = 10_000;

/** Topic names (retired ones too) and the city's regions, to name the codes letters carry. */
async function classificationNames(s: GatewayServices) {
  const [topics, regions] = await Promise.all([topicNames(s.db), classificationFor(s.db, s.config).regions()]);
  return { topics, regions: { get: (code: string) => regions.get(code) } };
}

export function letterRoutes(s: GatewayServices): Router {
  const router = new Router();
  const operator = requireRole('operator');

  router.get('/letters', async (ctx) => {
    const lq = letterQuery(s, ctx);
    const limit = pageSize(ctx);
    const cursor = textParam(ctx, 'cursor', 500);
    const rows = await s.db
      .selectFrom('letters')
      .select([
        'id',
        'channel',
        'citizen_id',
        'status',
        'forward_state',
        'serial',
        'stuck_at',
        'received_at',
        'forward_attempts',
        'last_forward_error',
        'rejected_reason',
        'topic',
        'region_code',
        'department',
        'deadline_at',
        'replied_at',
      ])
      .select(sql<string>`body->'mailbox'->>'name'`.as('mailbox'))
      .select(sql<string>`body->>'kind'`.as('kind'))
      .select(sql<string>`coalesce(body->>'origin', channel)`.as('origin'))
      .select(sql<string | null>`coalesce(body->>'title', left(body->>'body', 30))`.as('title'))
      .select(sql<string | null>`body->'citizen'->>'channelUserId'`.as('uid'))
      .select(lq.sortValue.as('sort_value'))
      .where(lq.where)
      .where(lq.after(cursor))
      .orderBy(lq.order)
      .limit(limit + 1)
      .execute();
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    // Counting stops at a cap: past it the page says "more than", which is all a person scanning a list needs.
    const counted = await sql<{
      n: string;
    }>`select count(*) as n from (select 1 from letters where ${lq.where} limit ${countCap + 1}) c`.execute(s.db);
    const total = Number(counted.rows[0]!.n);
    const names = await classificationNames(s);
    const now = Date.now();
    ctx.body = {
      letters: page.map(({ sort_value: _v, uid, ...r }) =>
        maskDeep({
          ...r,
          citizen_id: shownCitizenId(s.pii, r.citizen_id, uid),
          stuck: r.stuck_at !== null,
          topicName: r.topic ? (names.topics.get(r.topic)?.name ?? r.topic) : null,
          regionName: r.region_code ? (names.regions.get(r.region_code)?.name ?? r.region_code) : null,
          overdue: isOverdue(r.deadline_at, r.replied_at, now),
        }),
      ),
      next: rows.length > limit && last ? encodeCursor(last.sort_value, last.id) : null,
      total: Math.min(total, countCap),
      totalCapped: total > countCap,
      sort: lq.sort,
      dir: lq.dir,
    };
  });

  router.get('/letters/:id', async (ctx) => {
    const view = await letterView(s.db, ctx.params.id!, s.pii);
    if (!view) throw new AppError('letter_not_found');
    const [sources, forwards] = await Promise.all([
      s.db
        .selectFrom('source_messages')
        .select(['provider_message_id', 'type', 'received_at', 'payload'])
        .where('letter_id', '=', view.id)
        .orderBy('id')
        .execute(),
      s.db
        .selectFrom('forward_attempts')
        .select(['at', 'outcome', 'http_status', 'error', 'duration_ms'])
        .where('letter_id', '=', view.id)
        .orderBy('id')
        .execute(),
    ]);
    // Reading a letter shows a citizen's personal data (masked, but with its content): audited like every access.
    const reason = textParam(ctx, 'reason', 500);
    await audit(s.db, staffOf(ctx), {
      action: 'letter.read',
      targetType: 'letter',
      targetId: view.id,
      ...(reason ? { reason } : {}),
    });
    const [extra, publication, names] = await Promise.all([
      s.db
        .selectFrom('letters')
        .select([
          'extraction_code',
          'topic',
          'topic_inferred',
          'region_code',
          'region_inferred',
          'department',
          'deadline_at',
          'replied_at',
          'resolved',
        ])
        .where('id', '=', view.id)
        .executeTakeFirstOrThrow(),
      sql<{ approved_at: Date; approved_by: string; withdrawn_at: Date | null }>`
        select approved_at, approved_by, withdrawn_at from public_letters where letter_id = ${view.id}`
        .execute(s.db)
        .then((r) => r.rows[0]),
      classificationNames(s),
    ]);
    const region = extra.region_code ? names.regions.get(extra.region_code) : undefined;
    const classification = {
      topic: extra.topic
        ? {
            code: extra.topic,
            name: names.topics.get(extra.topic)?.name ?? extra.topic,
            inferred: !!extra.topic_inferred,
          }
        : null,
      region: extra.region_code
        ? {
            code: extra.region_code,
            name: region?.name ?? extra.region_code,
            countyName: region && region.level === 'street' ? region.countyName : null,
            inferred: !!extra.region_inferred,
          }
        : null,
      department: extra.department,
      deadlineAt: extra.deadline_at,
      repliedAt: extra.replied_at,
      resolved: extra.resolved,
      overdue: isOverdue(extra.deadline_at, extra.replied_at),
    };
    // `forwardAttempts` stays the count, as in the outbound API's letter view; the attempts themselves are the log.
    // The extraction code is blanked everywhere it was copied (receipt, raw letter): it is shown only on request.
    ctx.body = hideCode(
      maskDeep({
        ...view,
        // Messages as received, the citizen's typed name and phone opened from their seal and masked like the letter's.
        sourceMessages: sources.map((m) => ({
          ...m,
          payload: openSourcePayload(s.pii, m.payload, { name: maskName }),
        })),
        forwardLog: forwards,
        classification,
        publication: publication
          ? {
              approvedAt: publication.approved_at,
              approvedBy: publication.approved_by,
              withdrawnAt: publication.withdrawn_at,
            }
          : null,
      }),
      extra.extraction_code,
    );
  });

  router.post('/letters/:id/retry', operator, async (ctx) => {
    const id = ctx.params.id!;
    const after = await s.db.transaction().execute(async (tx) => {
      const row = isUuid(id)
        ? await tx
            .selectFrom('letters')
            .select(['id', 'status', 'forward_state', 'stuck_at', 'rejected_reason', 'last_forward_error'])
            .where('id', '=', id)
            .forUpdate()
            .executeTakeFirst()
        : undefined;
      if (!row) throw new AppError('letter_not_found');
      const retryable = row.forward_state === 'rejected' || (row.forward_state === 'pending' && row.stuck_at !== null);
      if (!retryable) throw new AppError('conflict', { detail: format(messages, 'admin.retryOnlyStuck') });
      await reopenForForwarding(tx, row);
      await audit(tx, staffOf(ctx), {
        action: 'letter.retry',
        targetType: 'letter',
        targetId: id,
        before: row,
        after: { forward_state: 'pending', status: row.status === 'rejected' ? 'received' : row.status },
      });
      return { forwardState: 'pending' };
    });
    s.wakeup.wake('letters');
    ctx.body = after;
  });

  router.post('/letters/:id/reveal-phone', requireRole('admin'), async (ctx) => {
    const id = ctx.params.id!;
    const row = isUuid(id)
      ? await s.db.selectFrom('letters').select(['citizen_id', 'body']).where('id', '=', id).executeTakeFirst()
      : undefined;
    if (!row) throw new AppError('letter_not_found');
    const reason = await requiredReason(ctx);
    const citizen = openLetter(s.pii, row.body).citizen;
    await audit(s.db, staffOf(ctx), { action: 'letter.reveal_phone', targetType: 'letter', targetId: id, reason });
    ctx.body = { channelUserId: citizen.channelUserId, phone: citizen.phone ?? null };
  });

  // The extraction code lets whoever holds it read the letter's progress: shown to staff on request, with a reason.
  router.post('/letters/:id/reveal-code', operator, async (ctx) => {
    const id = ctx.params.id!;
    const row = isUuid(id)
      ? await s.db.selectFrom('letters').select(['extraction_code']).where('id', '=', id).executeTakeFirst()
      : undefined;
    if (!row) throw new AppError('letter_not_found');
    const reason = await requiredReason(ctx);
    await audit(s.db, staffOf(ctx), { action: 'letter.reveal_code', targetType: 'letter', targetId: id, reason });
    ctx.body = { extractionCode: row.extraction_code };
  });

  return router;
}
