// Letters and deliveries for staff: search, a letter's whole story (canonical form, source messages, forward
// attempts, deliveries with every attempt), retrying a stuck or rejected letter, resending a failed delivery, and
// the audited reveal of a citizen's phone number. Everything shown is phone-masked.
import Router from '@koa/router';
import { sql } from 'kysely';
import type { GatewayServices } from '../services.js';
import { AppError } from '../errors.js';
import { deliveryViews, isUuid, letterView } from '../letters/view.js';
import { queueDeliveries, type DeliveryKind } from '../outbound/deliveries.js';
import type { Letter } from '../../shared/letter.js';
import { requireRole, staffOf } from './sessions.js';
import { audit } from './audit.js';
import { maskDeep, maskPhone } from './mask.js';
import { dateParam, textParam } from './params.js';

export function letterRoutes(s: GatewayServices): Router {
  const router = new Router();
  const operator = requireRole('operator');

  router.get('/letters', async (ctx) => {
    let q = s.db
      .selectFrom('letters')
      .select(['id', 'channel', 'citizen_id', 'status', 'forward_state', 'serial', 'stuck_at', 'received_at', 'forward_attempts', 'last_forward_error', 'rejected_reason'])
      .select(sql<string>`body->'mailbox'->>'name'`.as('mailbox'))
      .select(sql<string>`body->>'kind'`.as('kind'))
      .select(sql<string | null>`coalesce(body->>'title', left(body->>'body', 30))`.as('title'))
      .orderBy('received_at', 'desc')
      .limit(100);
    const serial = textParam(ctx, 'serial', 64);
    if (serial) q = q.where('serial', 'ilike', `%${serial.replace(/[%_\\]/g, '\\$&')}%`);
    const channel = textParam(ctx, 'channel');
    if (channel) q = q.where('channel', '=', channel);
    const status = textParam(ctx, 'status');
    if (status === 'stuck') q = q.where('stuck_at', 'is not', null).where('forward_state', '=', 'pending');
    else if (status === 'pending') q = q.where('forward_state', '=', 'pending');
    else if (status) q = q.where('status', '=', status as never);
    const from = dateParam(ctx, 'from');
    if (from) q = q.where('received_at', '>=', from);
    const to = dateParam(ctx, 'to', true);
    if (to) q = q.where('received_at', '<', to);
    const phone = textParam(ctx, 'phone', 20)?.replace(/[^\d]/g, '');
    if (phone) {
      if (phone.length < 4) throw new AppError('request_invalid', { problems: [{ field: 'phone', message: '至少输入手机号后 4 位' }] });
      q = q.where((eb) => eb.or([eb('citizen_id', 'like', `%${phone}`), eb(sql`body->'citizen'->>'phone'`, 'like', `%${phone}`)]));
    }
    const rows = await q.execute();
    ctx.body = { letters: rows.map((r) => ({ ...r, citizen_id: maskPhone(r.citizen_id), stuck: r.stuck_at !== null })) };
  });

  router.get('/letters/:id', async (ctx) => {
    const view = await letterView(s.db, ctx.params.id!);
    if (!view) throw new AppError('letter_not_found');
    const [sources, forwards] = await Promise.all([
      s.db.selectFrom('source_messages').select(['provider_message_id', 'type', 'received_at', 'payload']).where('letter_id', '=', view.id).orderBy('id').execute(),
      s.db.selectFrom('forward_attempts').select(['at', 'outcome', 'http_status', 'error', 'duration_ms']).where('letter_id', '=', view.id).orderBy('id').execute(),
    ]);
    ctx.body = maskDeep({ ...view, sourceMessages: sources, forwardAttempts: forwards });
  });

  router.post('/letters/:id/retry', operator, async (ctx) => {
    const id = ctx.params.id!;
    const after = await s.db.transaction().execute(async (tx) => {
      const row = isUuid(id) ? await tx.selectFrom('letters').select(['id', 'status', 'forward_state', 'stuck_at', 'rejected_reason', 'last_forward_error']).where('id', '=', id).forUpdate().executeTakeFirst() : undefined;
      if (!row) throw new AppError('letter_not_found');
      const retryable = row.forward_state === 'rejected' || (row.forward_state === 'pending' && row.stuck_at !== null);
      if (!retryable) throw new AppError('conflict', { detail: '只有卡住或被拒收的来信可以重试' });
      await tx
        .updateTable('letters')
        .set({ forward_state: 'pending', next_forward_at: new Date(), stuck_at: null, rejected_reason: null, ...(row.status === 'rejected' ? { status: 'received' as const, status_changed_at: new Date() } : {}) })
        .where('id', '=', id)
        .execute();
      await audit(tx, staffOf(ctx), { action: 'letter.retry', targetType: 'letter', targetId: id, before: row, after: { forward_state: 'pending', status: row.status === 'rejected' ? 'received' : row.status } });
      return { forwardState: 'pending' };
    });
    s.wakeup.wake('letters');
    ctx.body = after;
  });

  router.post('/letters/:id/reveal-phone', requireRole('admin'), async (ctx) => {
    const id = ctx.params.id!;
    const row = isUuid(id) ? await s.db.selectFrom('letters').select(['citizen_id', 'body']).where('id', '=', id).executeTakeFirst() : undefined;
    if (!row) throw new AppError('letter_not_found');
    const citizen = (row.body as Letter).citizen;
    await audit(s.db, staffOf(ctx), { action: 'letter.reveal_phone', targetType: 'letter', targetId: id });
    ctx.body = { channelUserId: row.citizen_id, phone: citizen.phone ?? null };
  });

  router.get('/deliveries', async (ctx) => {
    let q = s.db
      .selectFrom('deliveries as d')
      .leftJoin('letters as l', 'l.id', 'd.letter_id')
      .leftJoin('delivery_resends as r', 'r.original_id', 'd.id')
      .select(['d.id', 'd.letter_id', 'd.channel', 'd.recipient', 'd.kind', 'd.template_key', 'd.template_version', 'd.status', 'd.route', 'd.attempts', 'd.last_error', 'd.created_at', 'd.sent_at', 'l.serial', 'r.resend_id'])
      .orderBy('d.seq', 'desc')
      .limit(100);
    const status = textParam(ctx, 'status');
    if (status) q = q.where('d.status', '=', status as never);
    const channel = textParam(ctx, 'channel');
    if (channel) q = q.where('d.channel', '=', channel);
    const letterId = textParam(ctx, 'letterId');
    if (letterId && isUuid(letterId)) q = q.where('d.letter_id', '=', letterId);
    const rows = await q.execute();
    ctx.body = { deliveries: rows.map((r) => ({ ...r, recipient: maskPhone(r.recipient) })) };
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
