// Protects the provider push URLs, which carry no signature: a secret `token` query parameter compared in constant
// time, and an optional list of allowed source addresses. https://help.aliyun.com/zh/sms/developer-reference/smsup-http
import { createHash, timingSafeEqual } from 'node:crypto';
import { isIPv4 } from 'node:net';
import type { Middleware } from 'koa';
import { AppError } from '../../errors.js';

const digest = (s: string) => createHash('sha256').update(s).digest();

export function pushGuard(token: string | undefined, allowed: readonly string[]): Middleware {
  const expected = token ? digest(token) : undefined;
  return async (ctx, next) => {
    const given = typeof ctx.query.token === 'string' ? ctx.query.token : '';
    // Hashing both sides gives equal lengths, so the comparison time says nothing about the secret.
    if (!expected || !timingSafeEqual(digest(given), expected)) {
      throw new AppError('unauthorized', { detail: expected ? 'wrong or missing token' : 'SMS_PUSH_TOKEN is not configured' });
    }
    if (allowed.length > 0) {
      const source = sourceAddress(ctx.get('x-forwarded-for'), ctx.req.socket.remoteAddress ?? '');
      if (!allowed.some((rule) => addressMatches(source, rule))) throw new AppError('forbidden', { detail: 'source address not allowed' });
    }
    await next();
  };
}

/**
 * The address the nearest proxy saw: the last X-Forwarded-For entry (earlier entries are whatever the client wrote),
 * else the connection's own address.
 */
export function sourceAddress(forwardedFor: string, socketAddress: string): string {
  const last = forwardedFor.split(',').map((s) => s.trim()).filter(Boolean).at(-1);
  return last ?? socketAddress;
}

/** `rule` is an address or an IPv4 CIDR block; IPv4-mapped IPv6 addresses are compared as IPv4. */
export function addressMatches(ip: string, rule: string): boolean {
  const addr = ip.replace(/^::ffff:/i, '');
  const [base, bitsText] = rule.split('/');
  if (bitsText === undefined) return addr.toLowerCase() === rule.toLowerCase();
  const bits = Number(bitsText);
  if (!isIPv4(addr) || !base || !isIPv4(base) || !Number.isInteger(bits) || bits < 0 || bits > 32) return false;
  const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
  return ((ipv4(addr) & mask) >>> 0) === ((ipv4(base) & mask) >>> 0);
}

function ipv4(a: string): number {
  return a.split('.').reduce((n, part) => ((n << 8) | Number(part)) >>> 0, 0);
}
