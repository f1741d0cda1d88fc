// Log in, log out, who am I (with the CSRF token the page must send back), and changing one's own password.
import Router from '@koa/router';
import { z } from 'zod';
import type { GatewayServices } from '../services.js';
import { readJson } from '../http/body.js';
import { parseBody } from '../http/parse-body.js';
import { AppError } from '../errors.js';
import { checkCurrentPassword, login, publicStaff } from './accounts.js';
import { createSession, endSession, staffOf, staffSession } from './sessions.js';
import { audit } from './audit.js';
import { hashPassword, passwordProblem } from './passwords.js';
import { format } from '../i18n/catalogue.js';
import { messages } from './messages.zh-CN.js';

const loginSchema = z.object({ username: z.string().min(1).max(64), password: z.string().min(1).max(200) }).strict();
const passwordSchema = z.object({ current: z.string().min(1).max(200), next: z.string().min(1).max(200) }).strict();

export function authRoutes(s: GatewayServices): Router {
  const router = new Router();
  const session = staffSession(s.db, s.config);

  router.post('/login', async (ctx) => {
    const body = parseBody(loginSchema, await readJson(ctx, 4096));
    const staff = await login(s.db, s.config, body.username, body.password, ctx.ip);
    const { csrfToken } = await createSession(s.db, s.config, ctx, staff.id);
    await audit(
      s.db,
      { id: staff.id, username: staff.username, ip: ctx.ip },
      { action: 'session.login', targetType: 'staff', targetId: staff.id },
    );
    ctx.body = { staff: publicStaff(staff), csrfToken };
  });

  router.post('/logout', session, async (ctx) => {
    await endSession(s.db, ctx);
    ctx.body = { ok: true };
  });

  router.get('/session', session, async (ctx) => {
    const me = staffOf(ctx);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = {
      staff: { id: me.id, username: me.username, displayName: me.displayName, role: me.role },
      csrfToken: me.csrfToken,
    };
  });

  router.post('/password', session, async (ctx) => {
    const body = parseBody(passwordSchema, await readJson(ctx, 4096));
    const me = staffOf(ctx);
    if (!(await checkCurrentPassword(s.db, s.config, me, body.current)))
      throw new AppError('login_failed', { detail: format(messages, 'admin.currentPasswordWrong') });
    const problem = passwordProblem(body.next);
    if (problem) throw new AppError('request_invalid', { problems: [{ field: 'next', message: problem }] });
    const hash = await hashPassword(body.next, s.config.ADMIN_PASSWORD_COST);
    await s.db.transaction().execute(async (tx) => {
      await tx
        .updateTable('staff')
        .set({ password_hash: hash, password_changed_at: new Date() })
        .where('id', '=', me.id)
        .execute();
      // Other sessions of this account end with the old password.
      await tx
        .deleteFrom('staff_sessions')
        .where('staff_id', '=', me.id)
        .where('token_hash', '!=', me.sessionHash)
        .execute();
      await audit(tx, me, { action: 'staff.password', targetType: 'staff', targetId: me.id });
    });
    ctx.body = { ok: true };
  });

  return router;
}
