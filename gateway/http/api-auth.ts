// Bearer API keys for the case store's calls: only a SHA-256 of each key is stored; keys are looked up by that hash
// and compared in constant time. A revoked key stops working at once; a development key lives until the next start.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Middleware } from 'koa';
import { sql } from 'kysely';
import type { Db } from '../store/db.js';
import { AppError } from '../errors.js';
import { uuidv7 } from '../letters/ids.js';

export type Scope = 'letters:read' | 'letters:write';
export const allScopes: Scope[] = ['letters:read', 'letters:write'];

export interface ApiPrincipal {
  keyId: string;
  scopes: string[];
}

export const hashApiKey = (key: string) => createHash('sha256').update(key, 'utf8').digest('hex');

export function newApiKeySecret(): string {
  return `lgw_${randomBytes(24).toString('base64url')}`;
}

/** Stores a key (its hash only); a key already stored is left as it is. */
export async function ensureApiKey(db: Db, key: string, name: string, scopes: Scope[] = allScopes): Promise<void> {
  await db
    .insertInto('api_keys')
    .values({ id: uuidv7(), name, key_hash: hashApiKey(key), scopes })
    .onConflict((oc) => oc.column('key_hash').doNothing())
    .execute();
}

/**
 * Revokes every development key of earlier starts and, with `create`, stores a new one and returns its secret. Keys
 * are marked `development` so a key an admin created is never touched; serialised by an advisory lock so two
 * instances starting together leave one valid development key.
 */
export async function renewDevelopmentApiKey(db: Db, opts: { create: boolean }): Promise<string | undefined> {
  return db.transaction().execute(async (tx) => {
    await sql`select pg_advisory_xact_lock(hashtext('development-api-key'))`.execute(tx);
    const revoked = await tx
      .updateTable('api_keys')
      .set({ revoked_at: new Date() })
      .where('development', '=', true)
      .where('revoked_at', 'is', null)
      .returning('id')
      .execute();
    const events = revoked.map((r) => ({
      staff_id: null,
      staff_username: 'system',
      action: 'api_key.revoke',
      target_type: 'api_key',
      target_id: r.id,
      after: JSON.stringify({ revoked: true, reason: 'development key of an earlier start' }),
    }));
    let secret: string | undefined;
    if (opts.create) {
      secret = newApiKeySecret();
      const id = uuidv7();
      await tx
        .insertInto('api_keys')
        .values({
          id,
          name: `development key ${new Date().toISOString()}`,
          key_hash: hashApiKey(secret),
          scopes: allScopes,
          development: true,
        })
        .execute();
      events.push({
        staff_id: null,
        staff_username: 'system',
        action: 'api_key.create',
        target_type: 'api_key',
        target_id: id,
        after: JSON.stringify({ development: true, scopes: allScopes }),
      });
    }
    if (events.length > 0) await tx.insertInto('audit_log').values(events).execute();
    return secret;
  });
}

export function requireApiKey(db: Db, scope: Scope): Middleware {
  return async (ctx, next) => {
    const header = ctx.get('authorization');
    const m = /^Bearer\s+([A-Za-z0-9._~+/=-]{16,200})$/.exec(header);
    if (!m) throw new AppError('unauthorized', { detail: 'send Authorization: Bearer <api key>' });
    const hash = hashApiKey(m[1]!);
    const row = await db
      .selectFrom('api_keys')
      .select(['id', 'key_hash', 'scopes', 'last_used_at'])
      .where('key_hash', '=', hash)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    if (!row || !timingSafeEqual(Buffer.from(row.key_hash, 'hex'), Buffer.from(hash, 'hex')))
      throw new AppError('unauthorized', { detail: 'unknown or revoked API key' });
    if (!row.scopes.includes(scope)) throw new AppError('forbidden', { detail: `this key lacks the ${scope} scope` });
    ctx.state.principal = { keyId: row.id, scopes: row.scopes } satisfies ApiPrincipal;
    // Recorded at most once a minute per key so busy keys do not write on every call.
    if (!row.last_used_at || Date.now() - new Date(row.last_used_at).getTime() > 60_000) {
      await db.updateTable('api_keys').set({ last_used_at: new Date() }).where('id', '=', row.id).execute();
    }
    await next();
  };
}
