// Deliveries for staff: recent messages to citizens by status and channel, one with every attempt, and resending a
// failed one — a new delivery through the same queue, at most once per failed delivery.
import Router from '@koa/router';
import type { GatewayServices } from '../services.js';
import { AppError } from '../errors.js';
import { deliveryViews } from '../letters/view.js';
import { isUuid } from '../lib/uuid.js';
import { queueDeliveries, type DeliveryKind } from '../outbox/deliveries.js';
import { requireRole, staffOf } from './sessions.js';
import { audit } from './audit.js';
import { maskDeep } from './mask.js';
import { hideCode } from './hide-code.js';
import { pageSize, textParam } from './params.js';
import { deliveryQuery } from './delivery-query.js';
import { sql } from 'kysely';
import { format } from '../i18n/catalogue.js';
import { messages } from './messages.zh-CN.js';

const countCap = 10_000;

export function deliveryRoutes(s: GatewayServices): Router {
  const router = new Router();
  const operator = requireRole('operator');

  router.get('/deliveries', async (ctx) => {
    const dq = deliveryQuery(ctx);
    const limit = pageSize(ctx);
    const rows = await s.db
      .selectFrom('deliveries as d')
      .leftJoin('letters as l', 'l.id', 'd.letter_id')
      .leftJoin('delivery_resends as r', 'r.original_id', 'd.id')
      .select([
        'd.id',
        'd.seq',
        'd.letter_id',
        'd.channel',
        'd.recipient',
        'd.kind',
        'd.template_key',
        'd.template_version',
        'd.status',
        'd.route',
        'd.attempts',
        'd.last_error',
        'd.created_at',
        'd.sent_at',
        'l.serial',
        'r.resend_id',
      ])
      .select(
        sql<
          string | null
        >`(select a.error_code from delivery_attempts a where a.delivery_id = d.id and a.error_code is not null order by a.id desc limit 1)`.as(
          'error_code',
        ),
      )
      .where(dq.where)
      .where(dq.after(textParam(ctx, 'cursor', 20)))
      .orderBy('d.seq', dq.dir)
      .limit(limit + 1)
      .execute();
    const page = rows.slice(0, limit);
    const counted = await sql<{
      n: string;
    }>`select count(*) as n from (select 1 from deliveries d where ${dq.where} limit ${countCap + 1}) c`.execute(s.db);
    const total = Number(counted.rows[0]!.n);
    ctx.body = {
      deliveries: page.map((r) => maskDeep(r)),
      next: rows.length > limit ? page.at(-1)!.seq : null,
      total: Math.min(total, countCap),
      totalCapped: total > countCap,
      dir: dq.dir,
    };
  });

  router.get('/deliveries/:id', async (ctx) => {
    const id = ctx.params.id!;
    const [view] = isUuid(id) ? await deliveryViews(s.db, { deliveryId: id }) : [];
    if (!view) throw new AppError('delivery_not_found');
    // A receipt carries the letter's extraction code: blanked here as on the letter's page (hide-code.ts).
    const letter = view.letterId
      ? await s.db.selectFrom('letters').select('extraction_code').where('id', '=', view.letterId).executeTakeFirst()
      : undefined;
    ctx.body = hideCode(maskDeep(view), letter?.extraction_code);
  });

  router.post('/deliveries/:id/resend', operator, async (ctx) => {
    const id = ctx.params.id!;
    const resendId = await s.db.transaction().execute(async (tx) => {
      const d = isUuid(id)
        ? await tx.selectFrom('deliveries').selectAll().where('id', '=', id).forUpdate().executeTakeFirst()
        : undefined;
      if (!d) throw new AppError('delivery_not_found');
      if (d.status !== 'failed') throw new AppError('conflict', { detail: format(messages, 'admin.resendOnlyFailed') });
      const earlier = await tx
        .selectFrom('delivery_resends')
        .select('resend_id')
        .where('original_id', '=', id)
        .executeTakeFirst();
      if (earlier)
        throw new AppError('conflict', {
          detail: format(messages, 'admin.alreadyResent'),
          resendId: earlier.resend_id,
        });
      const [newId] = await queueDeliveries(tx, [
        {
          letterId: d.letter_id,
          channel: d.channel,
          recipient: d.recipient,
          kind: d.kind as DeliveryKind,
          templateKey: d.template_key,
          variables: d.variables,
          requiresSerial: d.requires_serial,
        },
      ]);
      await tx
        .insertInto('delivery_resends')
        .values({ original_id: id, resend_id: newId!, staff_id: staffOf(ctx).id })
        .execute();
      await audit(tx, staffOf(ctx), {
        action: 'delivery.resend',
        targetType: 'delivery',
        targetId: id,
        before: { status: d.status, lastError: d.last_error },
        after: { resendId: newId },
      });
      return newId!;
    });
    s.wakeup.wake('deliveries');
    ctx.status = 201;
    ctx.body = { deliveryId: resendId };
  });

  return router;
}
