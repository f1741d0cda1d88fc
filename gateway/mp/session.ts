// Mini-program sessions: `wx.login` code → code2Session → our own opaque token (only its SHA-256 is stored, with an
// expiry). WeChat's session_key is never stored nor sent anywhere. In sandbox mode, codes `dev:<name>` log in
// without WeChat so the app can be tried without an AppID; a live gateway sends every code to WeChat.
import { createHash, randomBytes } from 'node:crypto';
import type { Context, Middleware } from 'koa';
import type Router from '@koa/router';
import { z } from 'zod';
import { AppError } from '../errors.js';
import { readJson } from '../http/body.js';
import { parseBody } from '../http/parse-body.js';
import type { MpDeps } from './deps.js';

export interface MpSession {
  openid: string;
  unionid: string | null;
  tokenHash: string;
}

const hashToken = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex');
const devCode = /^dev:([A-Za-z0-9_-]{1,32})$/;

export function sessionOf(ctx: Context): MpSession {
  const s = ctx.state.mpSession as MpSession | undefined;
  if (!s) throw new AppError('session_invalid');
  return s;
}

export function requireSession(d: MpDeps): Middleware {
  return async (ctx, next) => {
    const m = /^Bearer ([A-Za-z0-9_-]{20,100})$/.exec(ctx.get('authorization'));
    if (!m) throw new AppError('session_invalid');
    const tokenHash = hashToken(m[1]!);
    const row = await d.db
      .updateTable('mp_sessions')
      .set({ last_seen_at: new Date() })
      .where('token_hash', '=', tokenHash)
      .where('expires_at', '>', new Date())
      .returning(['openid', 'unionid'])
      .executeTakeFirst();
    if (!row) throw new AppError('session_invalid');
    ctx.state.mpSession = { openid: row.openid, unionid: row.unionid, tokenHash } satisfies MpSession;
    await next();
  };
}

/** POST /mp/session: the code `wx.login` gave the app (in sandbox mode `dev:<name>`). */
export const mpSessionRequestSchema = z
  .object({ code: z.string().min(1).max(128).describe('the code of wx.login; in sandbox mode `dev:<name>`') })
  .strict();

export function sessionRoutes(router: Router, d: MpDeps): void {
  router.post('/mp/session', async (ctx) => {
    const { code } = parseBody(mpSessionRequestSchema, await readJson(ctx, 4096));
    let who: { openid: string; unionid?: string };
    const dev = devCode.exec(code);
    if (!d.api) {
      // Sandbox only: there is no AppID to ask WeChat with.
      if (!dev) throw new AppError('wechat_code_invalid', { detail: 'sandbox mode: log in with a code "dev:<name>"' });
      who = { openid: `dev-${dev[1]}` };
    } else {
      who = await d.api.code2Session(code).catch((err: unknown) => {
        d.log.warn({ err }, 'code2Session failed');
        throw d.citizenFacingError(err);
      });
    }
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(Date.now() + d.config.MP_SESSION_TTL_SECONDS * 1000);
    await d.db
      .insertInto('mp_sessions')
      .values({ token_hash: hashToken(token), openid: who.openid, unionid: who.unionid ?? null, expires_at: expiresAt })
      .execute();
    ctx.status = 201;
    ctx.body = { token, expiresAt: expiresAt.toISOString() };
  });
}

/** Drops expired sessions (scheduled). */
export async function purgeSessions(d: MpDeps): Promise<void> {
  await d.db.deleteFrom('mp_sessions').where('expires_at', '<', new Date()).execute();
}
