// Admin only: the case store's API keys — create (the secret is shown once, only its hash is kept), list with last
// use, revoke.
import Router from '@koa/router';
import { z } from 'zod';
import type { GatewayServices } from '../services.js';
import { readJson } from '../http/body.js';
import { parseBody } from '../http/parse-body.js';
import { AppError } from '../errors.js';
import { uuidv7 } from '../letters/ids.js';
import { isUuid } from '../lib/uuid.js';
import { allScopes, hashApiKey, newApiKeySecret } from '../http/api-auth.js';
import { requireRole, staffOf } from './sessions.js';
import { audit } from './audit.js';

const createSchema = z
  .object({
    name: z.string().trim().min(1).max(80),
    scopes: z.array(z.enum(allScopes as [string, ...string[]])).min(1),
  })
  .strict();

export function apiKeyRoutes(s: GatewayServices): Router {
  const router = new Router();
  const admin = requireRole('admin');

  router.get('/api-keys', admin, async (ctx) => {
    const rows = await s.db
      .selectFrom('api_keys')
      .select(['id', 'name', 'scopes', 'created_at', 'last_used_at', 'revoked_at'])
      .orderBy('created_at', 'desc')
      .execute();
    ctx.body = { keys: rows, scopes: allScopes };
  });

  router.post('/api-keys', admin, async (ctx) => {
    const body = parseBody(createSchema, await readJson(ctx, 4096));
    const id = uuidv7();
    const secret = newApiKeySecret();
    await s.db.transaction().execute(async (tx) => {
      await tx
        .insertInto('api_keys')
        .values({ id, name: body.name, key_hash: hashApiKey(secret), scopes: [...new Set(body.scopes)] })
        .execute();
      await audit(tx, staffOf(ctx), {
        action: 'api_key.create',
        targetType: 'api_key',
        targetId: id,
        after: { name: body.name, scopes: body.scopes },
      });
    });
    ctx.status = 201;
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { id, name: body.name, scopes: body.scopes, key: secret };
  });

  router.post('/api-keys/:id/revoke', admin, async (ctx) => {
    const id = ctx.params.id!;
    await s.db.transaction().execute(async (tx) => {
      const row = isUuid(id)
        ? await tx
            .selectFrom('api_keys')
            .select(['name', 'revoked_at'])
            .where('id', '=', id)
            .forUpdate()
            .executeTakeFirst()
        : undefined;
      if (!row) throw new AppError('not_found');
      if (row.revoked_at) return;
      await tx.updateTable('api_keys').set({ revoked_at: new Date() }).where('id', '=', id).execute();
      await audit(tx, staffOf(ctx), {
        action: 'api_key.revoke',
        targetType: 'api_key',
        targetId: id,
        before: { name: row.name, revoked: false },
        after: { revoked: true },
      });
    });
    ctx.body = { ok: true };
  });

  return router;
}
