// The case store's calls for letters that came another way: `POST /api/v1/letters` registers one for SMS follow-up,
// `POST /api/v1/surveys/batch` starts the evening callback run, `GET /api/v1/surveys/batches/{id}` shows its progress.
// Same bearer keys, problem answers and Idempotency-Key as the rest of the outbound API.
import Router from '@koa/router';
import type { z } from 'zod';
import type { GatewayServices } from '../services.js';
import type { ChannelRegistry } from '../channels/registry.js';
import { requireApiKey, type ApiPrincipal } from '../http/api-auth.js';
import { idempotent } from '../http/idempotency.js';
import { readJson } from '../http/body.js';
import { AppError } from '../errors.js';
import { parseBody } from '../http/parse-body.js';
import { followUpChannel, registerLetter, registrationSchema } from './register.js';
import { batchProgress, checkBatchShape, startSurveyBatch } from './batch.js';
import type { batchProgressSchema, batchResultSchema, registrationResultSchema } from './answers.js';

export function registrationApi(s: GatewayServices, channels: ChannelRegistry): Router {
  const router = new Router({ prefix: '/api/v1' });
  const read = requireApiKey(s.db, 'letters:read');
  const write = requireApiKey(s.db, 'letters:write');

  router.post('/letters', write, async (ctx) => {
    const body = parseBody(registrationSchema, await readJson(ctx));
    if (!channels.has(followUpChannel))
      throw new AppError('conflict', {
        detail: 'SMS is not enabled on this gateway, so it cannot follow up these letters',
      });
    const principal = ctx.state.principal as ApiPrincipal;
    let created = false as boolean; // set inside the transaction callback
    await uniqueSerial(() =>
      idempotent(ctx, s.db, principal.keyId, body, async (tx) => {
        const r = await registerLetter(tx, s.config, principal.keyId, body, s.pii);
        created = r.created;
        return { status: r.created ? 201 : 200, body: { ...r } satisfies z.input<typeof registrationResultSchema> };
      }),
    );
    if (created) {
      s.metrics.lettersReceived.inc({ channel: followUpChannel });
      s.wakeup.wake('deliveries');
    }
  });

  router.post('/surveys/batch', write, async (ctx) => {
    const letterIds = checkBatchShape(await readJson(ctx, 1024 * 1024));
    const principal = ctx.state.principal as ApiPrincipal;
    let queued = 0;
    await idempotent(ctx, s.db, principal.keyId, { letterIds }, async (tx) => {
      const { batchId, results } = await startSurveyBatch(tx, s.config, principal.keyId, letterIds);
      queued = results.filter((x) => x.outcome === 'queued').length;
      return {
        status: 202,
        body: { batchId, queued, existing: results.length - queued, results } satisfies z.input<
          typeof batchResultSchema
        >,
      };
    });
    if (queued > 0) s.wakeup.wake('deliveries');
  });

  router.get('/surveys/batches/:id', read, async (ctx) => {
    const principal = ctx.state.principal as ApiPrincipal;
    const [progress] = await batchProgress(s.db, { batchId: ctx.params.id!, apiKeyId: principal.keyId, limit: 1 });
    if (!progress)
      throw new AppError('not_found', { detail: 'no survey batch with this id was started with this API key' });
    ctx.body = progress satisfies z.input<typeof batchProgressSchema>;
  });

  return router;
}

/** A serial taken at the same moment by a letter the case store accepted through forwarding: a conflict, not a 500. */
async function uniqueSerial(run: () => Promise<void>): Promise<void> {
  try {
    await run();
  } catch (err) {
    if (
      (err as { code?: string; constraint?: string }).code === '23505' &&
      /serial/.test(String((err as { constraint?: string }).constraint))
    ) {
      throw new AppError('serial_conflict', { detail: 'this serial was just given to another letter' });
    }
    throw err;
  }
}
