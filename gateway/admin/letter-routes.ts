// Letters for staff: search, a letter's whole story (canonical form, source messages, forward attempts, deliveries
// with every attempt), retrying a stuck or rejected letter, and the audited reveal of a citizen's phone number.
// Everything shown goes through the one masking function; reading a letter and revealing a phone are audited.
import Router from '@koa/router';
import { sql } from 'kysely';
import type { GatewayServices } from '../services.js';
import { AppError } from '../errors.js';
import { letterView } from '../letters/view.js';
import { isUuid } from '../lib/uuid.js';
import { reopenForForwarding } from '../letters/lifecycle.js';
import { requireRole, staffOf } from './sessions.js';
import { audit } from './audit.js';
import { maskDeep } from './mask.js';
import { requiredReason } from './reason.js';
import { dateParam, textParam } from './params.js';
import type { LetterStatus } from '../store/tables.js';
import { openLetter } from '../privacy/pii-service.js';
import { phoneE164 } from '../privacy/citizen-data.js';

const letterStatuses: LetterStatus[] = ['received', 'accepted', 'in_progress', 'replied', 'closed', 'rejected'];
const isLetterStatus = (v: string): v is LetterStatus => (letterStatuses as string[]).includes(v);

export function letterRoutes(s: GatewayServices): Router {
  const router = new Router();
  const operator = requireRole('operator');

  router.get('/letters', async (ctx) => {
    let q = s.db
      .selectFrom('letters')
      .select(['id', 'channel', 'citizen_id', 'status', 'forward_state', 'serial', 'stuck_at', 'received_at', 'forward_attempts', 'last_forward_error', 'rejected_reason'])
      .select(sql<string>`body->'mailbox'->>'name'`.as('mailbox'))
      .select(sql<string>`body->>'kind'`.as('kind'))
      .select(sql<string>`coalesce(body->>'origin', channel)`.as('origin'))
      .select(sql<string | null>`coalesce(body->>'title', left(body->>'body', 30))`.as('title'))
      .orderBy('received_at', 'desc')
      .limit(100);
    const serial = textParam(ctx, 'serial', 64);
    if (serial) q = q.where('serial', 'ilike', `%${serial.replace(/[%_\\]/g, '\\$&')}%`);
    const channel = textParam(ctx, 'channel');
    if (channel) q = q.where('channel', '=', channel);
    const origin = textParam(ctx, 'origin');
    if (origin) q = q.where(sql<string>`coalesce(body->>'origin', channel)`, '=', origin);
    const status = textParam(ctx, 'status');
    if (status === 'stuck') q = q.where('stuck_at', 'is not', null).where('forward_state', '=', 'pending');
    else if (status === 'pending') q = q.where('forward_state', '=', 'pending');
    else if (status) {
      if (!isLetterStatus(status)) throw new AppError('request_invalid', { problems: [{ field: 'status', message: `one of stuck, pending, ${letterStatuses.join(', ')}` }] });
      q = q.where('status', '=', status);
    }
    const from = dateParam(ctx, 'from');
    if (from) q = q.where('received_at', '>=', from);
    const to = dateParam(ctx, 'to', true);
    if (to) q = q.where('received_at', '<', to);
    const phone = textParam(ctx, 'phone', 20)?.replace(/[^\d]/g, '');
    if (phone) {
      if (phone.length < 4) throw new AppError('request_invalid', { problems: [{ field: 'phone', message: '至少输入手机号后 4 位' }] });
      // The phone inside the letter is encrypted: a full number is found by its keyed hash, a tail only among ids
      // that are phones themselves (SMS senders) and letters stored before encryption.
      const full = phoneE164(phone);
      const hashes = full ? s.pii.lookupHashes(full) : [];
      q = q.where((eb) => eb.or([
        eb('citizen_id', 'like', `%${phone}`),
        eb(sql`body->'citizen'->>'phone'`, 'like', `%${phone}`),
        ...(hashes.length > 0 ? [eb('citizen_phone_hash', 'in', hashes)] : []),
      ]));
    }
    const rows = await q.execute();
    ctx.body = { letters: rows.map((r) => maskDeep({ ...r, stuck: r.stuck_at !== null })) };
  });

  router.get('/letters/:id', async (ctx) => {
    const view = await letterView(s.db, ctx.params.id!, s.pii);
    if (!view) throw new AppError('letter_not_found');
    const [sources, forwards] = await Promise.all([
      s.db.selectFrom('source_messages').select(['provider_message_id', 'type', 'received_at', 'payload']).where('letter_id', '=', view.id).orderBy('id').execute(),
      s.db.selectFrom('forward_attempts').select(['at', 'outcome', 'http_status', 'error', 'duration_ms']).where('letter_id', '=', view.id).orderBy('id').execute(),
    ]);
    // Reading a letter shows a citizen's personal data (masked, but with its content): audited like every access.
    const reason = textParam(ctx, 'reason', 500);
    await audit(s.db, staffOf(ctx), { action: 'letter.read', targetType: 'letter', targetId: view.id, ...(reason ? { reason } : {}) });
    // `forwardAttempts` stays the count, as in the outbound API's letter view; the attempts themselves are the log.
    ctx.body = maskDeep({ ...view, sourceMessages: sources, forwardLog: forwards });
  });

  router.post('/letters/:id/retry', operator, async (ctx) => {
    const id = ctx.params.id!;
    const after = await s.db.transaction().execute(async (tx) => {
      const row = isUuid(id) ? await tx.selectFrom('letters').select(['id', 'status', 'forward_state', 'stuck_at', 'rejected_reason', 'last_forward_error']).where('id', '=', id).forUpdate().executeTakeFirst() : undefined;
      if (!row) throw new AppError('letter_not_found');
      const retryable = row.forward_state === 'rejected' || (row.forward_state === 'pending' && row.stuck_at !== null);
      if (!retryable) throw new AppError('conflict', { detail: '只有卡住或被拒收的来信可以重试' });
      await reopenForForwarding(tx, row);
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
    const reason = await requiredReason(ctx);
    const citizen = openLetter(s.pii, row.body).citizen;
    await audit(s.db, staffOf(ctx), { action: 'letter.reveal_phone', targetType: 'letter', targetId: id, reason });
    ctx.body = { channelUserId: row.citizen_id, phone: citizen.phone ?? null };
  });

  return router;
}
