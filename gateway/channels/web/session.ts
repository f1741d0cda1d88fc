// The web channel's citizen identity: a phone verified by SMS code, kept in a signed, httpOnly cookie (no server
// state to look up per request) and encrypted there with the personal-data key, so a copied or logged cookie does not
// reveal the number; the official account's openid in another signed cookie; and CSRF tokens for every
// POST, bound to a random per-browser cookie (double submit, signed so a sibling site cannot forge one).
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Context } from 'koa';
import { isHttps } from '../../http/client-address.js';
import type { PiiService } from '../../privacy/pii-service.js';

const SESSION = 'web_session';
const BROWSER = 'web_browser';
const OPENID = 'web_oa';

export interface WebSessions {
  /** The verified E.164 phone of this browser, or null. */
  phoneOf(ctx: Context): string | null;
  signIn(ctx: Context, phone: string): void;
  signOut(ctx: Context): void;
  /** The CSRF token to put in this browser's forms (sets the browser cookie when it has none). */
  csrfToken(ctx: Context): string;
  csrfValid(ctx: Context, token: unknown): boolean;
  openidOf(ctx: Context): string | null;
  rememberOpenid(ctx: Context, openid: string): void;
  /** HMAC of a value under the channel's secret (verification code hashes). */
  mac: (value: string) => string;
}

export function createWebSessions(
  secret: string,
  sessionHours: number,
  pii: Pick<PiiService, 'encrypt' | 'decrypt'>,
): WebSessions {
  const mac = (v: string) => createHmac('sha256', secret).update(v).digest('base64url');
  const same = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
  const sign = (kind: string, payload: string) =>
    `${Buffer.from(payload).toString('base64url')}.${mac(`${kind}|${payload}`)}`;
  const open = (kind: string, cookie: string | undefined): string | null => {
    if (!cookie) return null;
    const [data, sig] = cookie.split('.');
    if (data === undefined || !sig) return null;
    const payload = Buffer.from(data, 'base64url').toString('utf8');
    return same(sig, mac(`${kind}|${payload}`)) ? payload : null;
  };
  const opts = (ctx: Context, maxAge?: number) => ({
    httpOnly: true,
    sameSite: 'lax' as const,
    path: '/web',
    secure: isHttps(ctx),
    overwrite: true,
    ...(maxAge ? { maxAge } : {}),
  });

  return {
    phoneOf(ctx) {
      const payload = open('session', ctx.cookies.get(SESSION));
      if (!payload) return null;
      const [sealed, until] = payload.split('|');
      if (!sealed || !(Number(until) > Date.now())) return null;
      try {
        return pii.decrypt(sealed);
      } catch {
        // Sealed under a key no longer configured (rotation finished): the citizen verifies the phone again.
        return null;
      }
    },
    signIn(ctx, phone) {
      const ms = sessionHours * 3600_000;
      ctx.cookies.set(SESSION, sign('session', `${pii.encrypt(phone)}|${Date.now() + ms}`), opts(ctx, ms));
    },
    signOut(ctx) {
      ctx.cookies.set(SESSION, '', { ...opts(ctx), maxAge: 0 });
    },
    csrfToken(ctx) {
      let browser = ctx.cookies.get(BROWSER);
      if (!browser || !/^[A-Za-z0-9_-]{20,64}$/.test(browser)) {
        browser = randomBytes(18).toString('base64url');
        ctx.cookies.set(BROWSER, browser, opts(ctx, 365 * 86_400_000));
      }
      return mac(`csrf|${browser}`);
    },
    csrfValid(ctx, token) {
      const browser = ctx.cookies.get(BROWSER);
      return typeof browser === 'string' && typeof token === 'string' && same(token, mac(`csrf|${browser}`));
    },
    openidOf(ctx) {
      return open('openid', ctx.cookies.get(OPENID));
    },
    rememberOpenid(ctx, openid) {
      ctx.cookies.set(OPENID, sign('openid', openid), opts(ctx, 30 * 86_400_000));
    },
    mac,
  };
}
