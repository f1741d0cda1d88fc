// Deliveries for staff: recent messages to citizens by status and channel, one with every attempt, and resending a
// failed one — a new delivery through the same queue, at most once per failed delivery.
import Router from '@koa/router';
import type { GatewayServices } from '../services.js';
import { AppError } from '../errors.js';
import { deliveryViews } from '../letters/view.js';
import { isUuid } from '../lib/uuid.js';
import { queueDeliveries, type DeliveryKind } from '../outbox/deliveries.js';
import type { DeliveryStatus } from '../store/tables.js';
import { requireRole, staffOf } from './sessions.js';
import { audit } from './audit.js';
import { maskDeep } from './mask.js';
import { textParam } from './params.js';

const deliveryStatuses: DeliveryStatus[] = ['queued', 'sending', 'sent', 'delivered', 'failed', 'fallback'];
const isDeliveryStatus = (v: string): v is DeliveryStatus => (deliveryStatuses as string[]).includes(v);

export function deliveryRoutes(s: GatewayServices): Router {
  const router = new Router();
  const operator = requireRole('operator');

  router.get('/deliveries', async (ctx) => {
    let q = s.db
      .selectFrom('deliveries as d')
      .leftJoin('letters as l', 'l.id', 'd.letter_id')
      .leftJoin('delivery_resends as r', 'r.original_id', 'd.id')
      .select(['d.id', 'd.letter_id', 'd.channel', 'd.recipient', 'd.kind', 'd.template_key', 'd.template_version', 'd.status', 'd.route', 'd.attempts', 'd.last_error', 'd.created_at', 'd.sent_at', 'l.serial', 'r.resend_id'])
      .orderBy('d.seq', 'desc')
      .limit(100);
    const status = textParam(ctx, 'status');
    if (status) {
      if (!isDeliveryStatus(status)) throw new AppError('request_invalid', { problems: [{ field: 'status', message: `one of ${deliveryStatuses.join(', ')}` }] });
      q = q.where('d.status', '=', status);
    }
    const channel = textParam(ctx, 'channel');
    if (channel) q = q.where('d.channel', '=', channel);
    const letterId = textParam(ctx, 'letterId');
    if (letterId && isUuid(letterId)) q = q.where('d.letter_id', '=', letterId);
    const rows = await q.execute();
    ctx.body = { deliveries: rows.map((r) => maskDeep(r)) };
  });

  router.get('/deliveries/:id', async (ctx) => {
    const id = ctx.params.id!;
    const [view] = isUuid(id) ? await deliveryViews(s.db, { deliveryId: id }) : [];
    if (!view) throw new AppError('delivery_not_found');
    ctx.body = maskDeep(view);
  });

  router.post('/deliveries/:id/resend', operator, async (ctx) => {
    const id = ctx.params.id!;
    const resendId = await s.db.transaction().execute(async (tx) => {
      const d = isUuid(id) ? await tx.selectFrom('deliveries').selectAll().where('id', '=', id).forUpdate().executeTakeFirst() : undefined;
      if (!d) throw new AppError('delivery_not_found');
      if (d.status !== 'failed') throw new AppError('conflict', { detail: '只有发送失败的消息可以重发' });
      const earlier = await tx.selectFrom('delivery_resends').select('resend_id').where('original_id', '=', id).executeTakeFirst();
      if (earlier) throw new AppError('conflict', { detail: '这条消息已经重发过', resendId: earlier.resend_id });
      const [newId] = await queueDeliveries(tx, [
        { letterId: d.letter_id, channel: d.channel, recipient: d.recipient, kind: d.kind as DeliveryKind, templateKey: d.template_key, variables: d.variables, requiresSerial: d.requires_serial },
      ]);
      await tx.insertInto('delivery_resends').values({ original_id: id, resend_id: newId!, staff_id: staffOf(ctx).id }).execute();
      await audit(tx, staffOf(ctx), { action: 'delivery.resend', targetType: 'delivery', targetId: id, before: { status: d.status, lastError: d.last_error }, after: { resendId: newId } });
      return newId!;
    });
    s.wakeup.wake('deliveries');
    ctx.status = 201;
    ctx.body = { deliveryId: resendId };
  });

  return router;
}
