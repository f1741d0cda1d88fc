// Admin only: staff accounts (create, change role, disable, reset password) and the audit log.
import Router from '@koa/router';
import { z } from 'zod';
import type { GatewayServices } from '../services.js';
import { readJson } from '../http/body.js';
import { parseBody } from '../http/parse-body.js';
import { AppError } from '../errors.js';
import { uuidv7 } from '../letters/ids.js';
import { isUuid } from '../lib/uuid.js';
import { publicStaff } from './accounts.js';
import { requireRole, staffOf } from './sessions.js';
import { audit, listAudit } from './audit.js';
import { hashPassword, passwordProblem } from './passwords.js';
import { dateParam, textParam } from './params.js';
import { maskDeep } from './mask.js';
import { format } from '../i18n/catalogue.js';
import { messages } from './messages.zh-CN.js';

const role = z.enum(['admin', 'operator', 'viewer']);
const createSchema = z
  .object({
    username: z
      .string()
      .trim()
      .toLowerCase()
      .regex(/^[a-z0-9._-]{2,32}$/, format(messages, 'admin.usernameInvalid')),
    displayName: z.string().trim().min(1).max(40),
    role,
    password: z.string().min(1).max(200),
  })
  .strict();
const updateSchema = z
  .object({
    role: role.optional(),
    displayName: z.string().trim().min(1).max(40).optional(),
    disabled: z.boolean().optional(),
    password: z.string().min(1).max(200).optional(),
  })
  .strict();

export function staffRoutes(s: GatewayServices): Router {
  const router = new Router();
  const admin = requireRole('admin');

  router.get('/staff', admin, async (ctx) => {
    const rows = await s.db.selectFrom('staff').selectAll().orderBy('created_at').execute();
    ctx.body = { staff: rows.map(publicStaff) };
  });

  router.post('/staff', admin, async (ctx) => {
    const body = parseBody(createSchema, await readJson(ctx, 8192));
    const problem = passwordProblem(body.password);
    if (problem) throw new AppError('request_invalid', { problems: [{ field: 'password', message: problem }] });
    const id = uuidv7();
    const hash = await hashPassword(body.password, s.config.ADMIN_PASSWORD_COST);
    await s.db.transaction().execute(async (tx) => {
      // Decided by the insert itself: two admins creating one name at once get one account and one conflict.
      const created = await tx
        .insertInto('staff')
        .values({ id, username: body.username, display_name: body.displayName, role: body.role, password_hash: hash })
        .onConflict((oc) => oc.column('username').doNothing())
        .returning('id')
        .executeTakeFirst();
      if (!created)
        throw new AppError('conflict', {
          detail: format(messages, 'admin.usernameTaken'),
          problems: [{ field: 'username', message: format(messages, 'admin.usernameTaken') }],
        });
      await audit(tx, staffOf(ctx), {
        action: 'staff.create',
        targetType: 'staff',
        targetId: id,
        after: { username: body.username, displayName: body.displayName, role: body.role },
      });
    });
    ctx.status = 201;
    ctx.body = { id };
  });

  router.patch('/staff/:id', admin, async (ctx) => {
    const id = ctx.params.id!;
    const body = parseBody(updateSchema, await readJson(ctx, 8192));
    if (body.password !== undefined) {
      const problem = passwordProblem(body.password);
      if (problem) throw new AppError('request_invalid', { problems: [{ field: 'password', message: problem }] });
    }
    const me = staffOf(ctx);
    if (id === me.id && (body.disabled || (body.role && body.role !== 'admin')))
      throw new AppError('conflict', { detail: format(messages, 'admin.cannotDemoteSelf') });
    const hash = body.password ? await hashPassword(body.password, s.config.ADMIN_PASSWORD_COST) : undefined;
    await s.db.transaction().execute(async (tx) => {
      const before = isUuid(id)
        ? await tx.selectFrom('staff').selectAll().where('id', '=', id).forUpdate().executeTakeFirst()
        : undefined;
      if (!before) throw new AppError('not_found');
      const patch = {
        ...(body.role ? { role: body.role } : {}),
        ...(body.displayName ? { display_name: body.displayName } : {}),
        ...(body.disabled !== undefined ? { disabled_at: body.disabled ? new Date() : null } : {}),
        ...(hash ? { password_hash: hash, password_changed_at: new Date() } : {}),
      };
      if (Object.keys(patch).length === 0) return;
      await tx.updateTable('staff').set(patch).where('id', '=', id).execute();
      if (body.disabled || hash || body.role)
        await tx.deleteFrom('staff_sessions').where('staff_id', '=', id).execute();
      const shown = (r: typeof before) => ({
        role: r.role,
        displayName: r.display_name,
        disabled: Boolean(r.disabled_at),
      });
      await audit(tx, me, {
        action: 'staff.update',
        targetType: 'staff',
        targetId: id,
        before: shown(before),
        after: {
          ...shown({ ...before, ...patch }),
          ...(hash ? { password: format(messages, 'admin.passwordResetMark') } : {}),
        },
      });
    });
    ctx.body = { ok: true };
  });

  router.get('/audit', admin, async (ctx) => {
    // Read only: there is no route that changes or deletes an entry (and the database refuses it too).
    ctx.body = {
      entries: maskDeep(
        await listAudit(s.db, {
          staff: textParam(ctx, 'staff'),
          action: textParam(ctx, 'action'),
          targetType: textParam(ctx, 'targetType'),
          targetId: textParam(ctx, 'targetId'),
          from: dateParam(ctx, 'from'),
          to: dateParam(ctx, 'to', true),
          before: textParam(ctx, 'before'),
          limit: 100,
        }),
      ),
    };
  });

  return router;
}
