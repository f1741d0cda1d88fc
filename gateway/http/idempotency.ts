// Idempotency-Key for POSTs (draft-ietf-httpapi-idempotency-key-header): the handler's writes and the stored response
// commit in one transaction, under a lock on (principal, key), so a retry replays the first answer, a concurrent
// duplicate waits for it, and the same key with another body is refused with 409.
import { createHash } from 'node:crypto';
import { sql, type Transaction } from 'kysely';
import type { Context } from 'koa';
import type { Db } from '../store/db.js';
import type { Database } from '../store/tables.js';
import { AppError } from '../errors.js';

export interface HandlerResult {
  status: number;
  body: Record<string, unknown>;
}

export async function idempotent(
  ctx: Context,
  db: Db,
  principal: string,
  requestBody: unknown,
  handler: (tx: Transaction<Database>) => Promise<HandlerResult>,
): Promise<void> {
  const key = ctx.get('idempotency-key');
  if (key === '') {
    const result = await db.transaction().execute(handler);
    respond(ctx, result, false);
    return;
  }
  if (!/^[\x21-\x7e]{1,255}$/.test(key))
    throw new AppError('bad_request', { detail: 'Idempotency-Key must be 1–255 visible ASCII characters' });
  const requestHash = createHash('sha256')
    .update(`${ctx.method} ${ctx.path}\n${JSON.stringify(requestBody)}`)
    .digest('hex');
  const outcome = await db.transaction().execute(async (tx) => {
    await sql`select pg_advisory_xact_lock(hashtext(${principal}), hashtext(${key}))`.execute(tx);
    const seen = await tx
      .selectFrom('idempotency_records')
      .selectAll()
      .where('principal', '=', principal)
      .where('key', '=', key)
      .executeTakeFirst();
    if (seen) {
      if (seen.request_hash !== requestHash) throw new AppError('idempotency_key_reused');
      return { replay: true, result: { status: seen.status_code, body: seen.response as Record<string, unknown> } };
    }
    const result = await handler(tx);
    await tx
      .insertInto('idempotency_records')
      .values({
        principal,
        key,
        request_hash: requestHash,
        status_code: result.status,
        response: JSON.stringify(result.body),
      })
      .execute();
    return { replay: false, result };
  });
  respond(ctx, outcome.result, outcome.replay);
}

function respond(ctx: Context, r: HandlerResult, replay: boolean): void {
  ctx.status = r.status;
  ctx.body = r.body;
  if (replay) ctx.set('Idempotent-Replayed', 'true');
}
