// Read-only view of what sandboxed channels sent, for trying the flow by hand (served only in sandbox mode): each
// message the citizen got, with the calls the live adapter made to the simulated provider for its delivery (the
// request exactly as the provider received it, its answer, and the text as the citizen reads it), refused routes
// included. The messages carry phones and extraction codes, so a staff console session is required (any role).
import Router from '@koa/router';
import type { Middleware } from 'koa';
import type { Db } from '../../store/db.js';

export interface OutboxCall {
  id: string;
  delivery_id: string | null;
  channel: string;
  action: string;
  recipient: string | null;
  template: string | null;
  request: unknown;
  answer: unknown;
  code: string;
  shown: string | null;
  report: unknown;
  created_at: Date;
}

/** The latest messages (per delivery and route) with their provider calls, and the latest provider calls. */
export async function readOutbox(db: Db, o: { recipient?: string | undefined; limit: number }) {
  let q = db.selectFrom('sandbox_messages').selectAll().orderBy('id', 'desc').limit(o.limit);
  if (o.recipient) q = q.where('recipient', '=', o.recipient);
  const messages = await q.execute();
  let c = db
    .selectFrom('sandbox_provider_calls')
    .select(['id', 'delivery_id', 'channel', 'action', 'recipient', 'template', 'request', 'answer', 'code'])
    .select(['shown', 'report', 'created_at'])
    // `credit` rows are the simulator's own count of spent consents, not calls.
    .where('code', '<>', 'credit')
    .orderBy('id', 'desc')
    .limit(o.limit);
  if (o.recipient) {
    // Aliyun receives mainland numbers without +86.
    const r = o.recipient;
    c = c.where('recipient', 'in', r.startsWith('+86') ? [r, r.slice(3)] : [r]);
  }
  const calls: OutboxCall[] = await c.execute();
  const ids = messages.flatMap((m) => (m.delivery_id ? [m.delivery_id] : []));
  const byDelivery =
    ids.length === 0
      ? []
      : await db
          .selectFrom('sandbox_provider_calls')
          .select(['id', 'delivery_id', 'channel', 'action', 'recipient', 'template', 'request', 'answer', 'code'])
          .select(['shown', 'report', 'created_at'])
          .where('delivery_id', 'in', ids)
          .where('code', '<>', 'credit')
          .orderBy('id')
          .execute();
  return {
    messages: messages.map((m) => ({ ...m, calls: byDelivery.filter((x) => x.delivery_id === m.delivery_id) })),
    calls,
  };
}

export function sandboxOutbox(db: Db, staffSession: Middleware): Router {
  const router = new Router();
  router.get('/sandbox/outbox', staffSession, async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    const limit = Math.min(Number(ctx.query.limit ?? 50) || 50, 500);
    const recipient = typeof ctx.query.recipient === 'string' ? ctx.query.recipient : undefined;
    ctx.body = await readOutbox(db, { recipient, limit });
  });
  return router;
}
