// Admin only, audited with a required reason: export everything held about one citizen (by phone or openid) as a
// JSON download, and erase it — letters pseudonymised (or their content removed too), every other row deleted, the
// case store told. The audit entry names the citizen by pseudonym and masked id, never in clear.
import Router from '@koa/router';
import { z } from 'zod';
import type { GatewayServices } from '../services.js';
import { readJson } from '../http/body.js';
import { parseBody } from '../http/parse-body.js';
import { AppError } from '../errors.js';
import { requireRole, staffOf } from './sessions.js';
import { audit } from './audit.js';
import { reasonField } from './reason.js';
import { maskIdentifier } from './mask.js';
import { sharedSecret } from '../store/secrets.js';
import { citizenIds, eraseCitizen, exportCitizen, phoneE164 } from '../privacy/citizen-data.js';
import { pseudonymOf } from '../privacy/pseudonym.js';
import { format } from '../i18n/catalogue.js';
import { messages } from './messages.zh-CN.js';

const citizen = {
  phone: z.string().trim().max(32).optional(),
  openid: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_-]{6,64}$/, format(messages, 'admin.openidInvalid'))
    .optional(),
  reason: reasonField,
};
const oneOf = (b: { phone?: string; openid?: string }) => (b.phone ? 1 : 0) + (b.openid ? 1 : 0) === 1;
const oneOfProblem = { message: format(messages, 'admin.oneOfProblem.message'), path: ['phone'] };
const exportSchema = z.object(citizen).strict().refine(oneOf, oneOfProblem);
const eraseSchema = z
  .object({ ...citizen, mode: z.enum(['pseudonymise', 'erase']).default('pseudonymise') })
  .strict()
  .refine(oneOf, oneOfProblem);

function citizenId(b: { phone?: string; openid?: string }): string {
  if (b.openid) return b.openid;
  const phone = phoneE164(b.phone!);
  if (!phone)
    throw new AppError('request_invalid', {
      problems: [{ field: 'phone', message: format(messages, 'admin.phoneInvalid') }],
    });
  return phone;
}

export function citizenRoutes(s: GatewayServices): Router {
  const router = new Router();
  const admin = requireRole('admin');
  const salt = () => sharedSecret(s.db, 'pii-pseudonym');

  router.post('/citizens/export', admin, async (ctx) => {
    const body = parseBody(exportSchema, await readJson(ctx, 8192));
    const id = citizenId(body);
    const ids = await citizenIds(s.db, s.pii, id);
    const data = await exportCitizen(s.db, s.pii, ids);
    await audit(s.db, staffOf(ctx), {
      action: 'citizen.export',
      targetType: 'citizen',
      targetId: pseudonymOf(await salt(), '', id),
      after: { citizen: maskIdentifier(id), letters: (data.letters as unknown[]).length },
      reason: body.reason,
    });
    ctx.set('Content-Disposition', 'attachment; filename="citizen-export.json"');
    ctx.body = data;
  });

  router.post('/citizens/erase', admin, async (ctx) => {
    const { mode, ...rest } = parseBody(eraseSchema, await readJson(ctx, 8192));
    const id = citizenId(rest);
    const key = await salt();
    const result = await s.db.transaction().execute(async (tx) => {
      const ids = await citizenIds(tx, s.pii, id);
      const r = await eraseCitizen(tx, s.pii, key, ids, { eraseContent: mode === 'erase' });
      await audit(tx, staffOf(ctx), {
        action: 'citizen.erase',
        targetType: 'citizen',
        targetId: pseudonymOf(key, '', id),
        after: { citizen: maskIdentifier(id), mode, ...r },
        reason: rest.reason,
      });
      return r;
    });
    s.wakeup.wake('events');
    s.wakeup.wake('deliveries');
    ctx.body = { mode, ...result };
  });

  return router;
}
