// The reference case store, served under /sandbox/case-store when no CASE_STORE_URL is configured. It keeps the same
// contract as the real one (signed requests, idempotent by letter id, serials like CD20261126000123), so the whole
// flow can be tried and tested without the core system. Its read side (the letters and events it received) shows
// integrators what their own system would receive; it needs a staff console session like the outbox.
import Router from '@koa/router';
import { timingSafeEqual } from 'node:crypto';
import { sql } from 'kysely';
import type { Context, Middleware } from 'koa';
import type { Db } from '../store/db.js';
import { readRaw } from '../http/body.js';
import { signBody } from './client.js';
import { isUuid } from '../lib/uuid.js';
import { validateLetter } from '../../shared/letter.js';
import { formatShanghai } from '../templates/variables.js';

export const SANDBOX_CASE_STORE_SECRET = 'sandbox-case-store-secret';
export const SANDBOX_CASE_STORE_PATH = '/sandbox/case-store';

/** `readGuard` (a staff session) protects the read side; the write side checks the gateway's signature itself. */
export function sandboxCaseStore(db: Db, readGuard: Middleware): Router {
  const router = new Router({ prefix: SANDBOX_CASE_STORE_PATH });
  mountReads(router, db, readGuard);

  router.post('/letters', async (ctx) => {
    const raw = await verified(ctx);
    if (raw === null) return;
    const checked = validateLetter(safeJson(raw));
    if (!checked.ok) {
      ctx.status = 400;
      ctx.body = { error: 'invalid letter', problems: checked.problems };
      return;
    }
    const key = ctx.get('idempotency-key');
    if (key !== checked.letter.id) {
      ctx.status = 400;
      ctx.body = { error: 'Idempotency-Key must be the letter id' };
      return;
    }
    const day = formatShanghai(new Date()).slice(0, 10).replaceAll('-', '');
    const r = await sql<{ serial: string; deliveries: number }>`
      insert into sandbox_case_letters (letter_id, serial, letter)
      values (${checked.letter.id}, ${'CD' + day} || lpad(nextval('sandbox_serial_seq')::text, 6, '0'), ${JSON.stringify(checked.letter)})
      on conflict (letter_id) do update set deliveries = sandbox_case_letters.deliveries + 1
      returning serial, deliveries`.execute(db);
    const row = r.rows[0]!;
    ctx.status = row.deliveries === 1 ? 201 : 200;
    ctx.body = { serial: row.serial, caseId: `case-${row.serial}` };
  });

  router.post('/events', async (ctx) => {
    const raw = await verified(ctx);
    if (raw === null) return;
    const key = ctx.get('idempotency-key');
    const event = safeJson(raw);
    if (!key || event === undefined) {
      ctx.status = 400;
      ctx.body = { error: 'an event needs an Idempotency-Key and a JSON body' };
      return;
    }
    await db
      .insertInto('sandbox_case_events')
      .values({ idempotency_key: key, event: raw.toString('utf8') })
      .onConflict((oc) => oc.column('idempotency_key').doNothing())
      .execute();
    ctx.status = 200;
    ctx.body = { ok: true };
  });

  return router;
}

/** The read side alone, for the staff console API (which checks the session itself). */
export function sandboxCaseStoreReads(db: Db): Router {
  const router = new Router({ prefix: SANDBOX_CASE_STORE_PATH });
  mountReads(router, db, (_ctx, next) => next());
  return router;
}

function mountReads(router: Router, db: Db, guard: Middleware): void {
  const limitOf = (ctx: Context) => Math.min(Math.max(Number(ctx.query.limit ?? 50) || 50, 1), 500);
  const letterIdOf = (ctx: Context) => (typeof ctx.query.letterId === 'string' ? ctx.query.letterId : undefined);
  // A filter that is not a letter id (a serial typed into the box) matches no letter, rather than failing the query.
  const noSuchLetter = (letterId: string | undefined) => letterId !== undefined && letterId !== '' && !isUuid(letterId);

  // Newest first: what the case store was given for each letter, with the serial it answered.
  router.get('/letters', guard, async (ctx) => {
    let q = db
      .selectFrom('sandbox_case_letters')
      .selectAll()
      .orderBy('received_at', 'desc')
      .orderBy('serial', 'desc')
      .limit(limitOf(ctx));
    const letterId = letterIdOf(ctx);
    if (letterId) q = q.where('letter_id', '=', letterId);
    const rows = noSuchLetter(letterId) ? [] : await q.execute();
    ctx.set('Cache-Control', 'no-store');
    ctx.body = {
      letters: rows.map((r) => ({
        letterId: r.letter_id,
        serial: r.serial,
        receivedAt: new Date(r.received_at).toISOString(),
        deliveries: r.deliveries,
        letter: r.letter,
      })),
    };
  });

  // Newest first: the events (status changes, deliveries, surveys) the gateway reported, as received.
  router.get('/events', guard, async (ctx) => {
    let q = db.selectFrom('sandbox_case_events').selectAll().orderBy('received_at', 'desc').limit(limitOf(ctx));
    const letterId = letterIdOf(ctx);
    if (letterId) q = q.where(sql<string>`event->>'letterId'`, '=', letterId);
    if (typeof ctx.query.type === 'string') q = q.where(sql<string>`event->>'type'`, '=', ctx.query.type);
    const rows = await q.execute();
    ctx.set('Cache-Control', 'no-store');
    ctx.body = {
      events: rows.map((r) => ({
        idempotencyKey: r.idempotency_key,
        receivedAt: new Date(r.received_at).toISOString(),
        event: r.event,
      })),
    };
  });
}

/** Checks the gateway's signature and timestamp as a real case store would; answers 401 itself when they fail. */
async function verified(ctx: Context): Promise<Buffer | null> {
  const raw = await readRaw(ctx, 2 * 1024 * 1024);
  const ts = ctx.get('x-gateway-timestamp');
  const given = Buffer.from(ctx.get('x-gateway-signature'), 'utf8');
  const expected = Buffer.from(signBody(SANDBOX_CASE_STORE_SECRET, ts, raw.toString('utf8')), 'utf8');
  const fresh = /^\d+$/.test(ts) && Math.abs(Date.now() / 1000 - Number(ts)) < 300;
  if (!fresh || given.length !== expected.length || !timingSafeEqual(given, expected)) {
    ctx.status = 401;
    ctx.body = { error: 'bad signature' };
    return null;
  }
  return raw;
}

function safeJson(raw: Buffer): unknown {
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    return undefined;
  }
}
