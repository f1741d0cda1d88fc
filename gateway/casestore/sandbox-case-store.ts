// The reference case store, served under /sandbox/case-store when no CASE_STORE_URL is configured. It keeps the same
// contract as the real one (signed requests, idempotent by letter id, serials like CD20261126000123), so the whole
// flow can be tried and tested without the core system.
import Router from '@koa/router';
import { timingSafeEqual } from 'node:crypto';
import { sql } from 'kysely';
import type { Context } from 'koa';
import type { Db } from '../store/db.js';
import { readRaw } from '../http/body.js';
import { signBody } from './client.js';
import { validateLetter } from '../../shared/letter.js';
import { formatShanghai } from '../templates/variables.js';

export const SANDBOX_CASE_STORE_SECRET = 'sandbox-case-store-secret';
export const SANDBOX_CASE_STORE_PATH = '/sandbox/case-store';

export function sandboxCaseStore(db: Db): Router {
  const router = new Router({ prefix: SANDBOX_CASE_STORE_PATH });

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
