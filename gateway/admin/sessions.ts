// Staff sessions: an opaque token in an HttpOnly, SameSite=Strict cookie (Secure behind HTTPS), stored only as its
// SHA-256, with an idle and an absolute expiry; a per-session CSRF token must come back in X-CSRF-Token on every
// state change; roles are checked on the server for every route.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Context, Middleware } from 'koa';
import type { Config } from '../../config/settings.js';
import type { Db } from '../store/db.js';
import type { StaffRole } from '../store/tables.js';
import { AppError } from '../errors.js';
import { isHttps } from '../http/client-address.js';
import { format } from '../i18n/catalogue.js';
import { messages } from './messages.zh-CN.js';

export const SESSION_COOKIE = 'lgw_staff';
const rank: Record<StaffRole, number> = { viewer: 1, operator: 2, admin: 3 };

export interface StaffPrincipal {
  id: string;
  username: string;
  displayName: string;
  role: StaffRole;
  ip: string;
  sessionHash: string;
  csrfToken: string;
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

export async function createSession(
  db: Db,
  config: Config,
  ctx: Context,
  staffId: string,
): Promise<{ csrfToken: string }> {
  const token = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(24).toString('base64url');
  const expires = new Date(Date.now() + config.ADMIN_SESSION_MAX_HOURS * 3600_000);
  await db
    .insertInto('staff_sessions')
    .values({
      token_hash: sha256(token),
      staff_id: staffId,
      csrf_token: csrfToken,
      expires_at: expires,
      ip: ctx.ip,
      user_agent: ctx.get('user-agent').slice(0, 300),
    })
    .execute();
  ctx.cookies.set(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'strict',
    secure: isHttps(ctx),
    path: '/admin',
    expires,
    overwrite: true,
  });
  return { csrfToken };
}

export async function endSession(db: Db, ctx: Context): Promise<void> {
  const token = ctx.cookies.get(SESSION_COOKIE);
  if (token) await db.deleteFrom('staff_sessions').where('token_hash', '=', sha256(token)).execute();
  ctx.cookies.set(SESSION_COOKIE, '', {
    httpOnly: true,
    sameSite: 'strict',
    secure: isHttps(ctx),
    path: '/admin',
    expires: new Date(0),
    overwrite: true,
  });
}

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Loads the session from the cookie (401 without one), enforces expiry and, on state changes, the CSRF token. */
export function staffSession(db: Db, config: Config): Middleware {
  const idleMs = config.ADMIN_SESSION_IDLE_MINUTES * 60_000;
  return async (ctx, next) => {
    const token = ctx.cookies.get(SESSION_COOKIE);
    if (!token || !/^[A-Za-z0-9_-]{20,100}$/.test(token))
      throw new AppError('unauthorized', { detail: format(messages, 'admin.loginRequired') });
    const hash = sha256(token);
    const row = await db
      .selectFrom('staff_sessions as s')
      .innerJoin('staff as u', 'u.id', 's.staff_id')
      .select([
        's.csrf_token',
        's.last_seen_at',
        's.expires_at',
        'u.id',
        'u.username',
        'u.display_name',
        'u.role',
        'u.disabled_at',
      ])
      .where('s.token_hash', '=', hash)
      .executeTakeFirst();
    const now = Date.now();
    if (
      !row ||
      row.disabled_at !== null ||
      new Date(row.expires_at).getTime() <= now ||
      new Date(row.last_seen_at).getTime() + idleMs <= now
    ) {
      if (row) await db.deleteFrom('staff_sessions').where('token_hash', '=', hash).execute();
      throw new AppError('session_expired');
    }
    if (!safeMethods.has(ctx.method)) {
      const given = Buffer.from(ctx.get('x-csrf-token'));
      const expected = Buffer.from(row.csrf_token);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new AppError('csrf_invalid');
    }
    // Touch at most every 30 s so reads do not write on every request.
    if (now - new Date(row.last_seen_at).getTime() > 30_000) {
      await db.updateTable('staff_sessions').set({ last_seen_at: new Date() }).where('token_hash', '=', hash).execute();
    }
    ctx.state.staff = {
      id: row.id,
      username: row.username,
      displayName: row.display_name,
      role: row.role,
      ip: ctx.ip,
      sessionHash: hash,
      csrfToken: row.csrf_token,
    } satisfies StaffPrincipal;
    await next();
  };
}

export function requireRole(min: StaffRole): Middleware {
  return async (ctx, next) => {
    const staff = ctx.state.staff as StaffPrincipal | undefined;
    if (!staff) throw new AppError('unauthorized');
    if (rank[staff.role] < rank[min])
      throw new AppError('role_forbidden', { detail: format(messages, 'admin.roleRequired', { min }) });
    await next();
  };
}

export const staffOf = (ctx: Context): StaffPrincipal => ctx.state.staff as StaffPrincipal;
