// Protects the provider push URLs, which carry no signature: a secret `token` query parameter compared in constant
// time, and an optional list of allowed source addresses (the client address by the TRUSTED_PROXIES rule).
// https://help.aliyun.com/zh/sms/developer-reference/smsup-http
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Middleware } from 'koa';
import { AppError } from '../../errors.js';
import { addressRuleProblem } from '../../lib/address-rules.js';
import { addressSet } from '../../http/client-address.js';

const digest = (s: string) => createHash('sha256').update(s).digest();

export function pushGuard(token: string | undefined, allowed: readonly string[]): Middleware {
  const expected = token ? digest(token) : undefined;
  const allowList = addressSet(allowed);
  return async (ctx, next) => {
    const given = typeof ctx.query.token === 'string' ? ctx.query.token : '';
    // Hashing both sides gives equal lengths, so the comparison time says nothing about the secret.
    if (!expected || !timingSafeEqual(digest(given), expected)) {
      throw new AppError('unauthorized', {
        detail: expected ? 'wrong or missing token' : 'SMS_PUSH_TOKEN is not configured',
      });
    }
    // ctx.ip is the client address by the TRUSTED_PROXIES rule (see http/client-address.ts).
    if (allowList.size > 0 && !allowList.has(ctx.ip))
      throw new AppError('forbidden', { detail: 'source address not allowed' });
    await next();
  };
}

/** `rule` is an address or a CIDR block (IPv4 or IPv6); IPv4-mapped IPv6 addresses are compared as IPv4. */
export function addressMatches(ip: string, rule: string): boolean {
  return addressRuleProblem(rule) === null && addressSet([rule]).has(ip);
}
