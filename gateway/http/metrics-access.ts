// Who may read /metrics (it tells queue depths, traffic and error rates to whoever asks): with METRICS_TOKEN, only a
// caller sending it as a bearer token; without it, nobody on the main port, and anyone who can reach the separate
// metrics listener (bound to 127.0.0.1 unless configured otherwise).
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Middleware } from 'koa';
import { AppError } from '../errors.js';

const digest = (s: string) => createHash('sha256').update(s).digest();

/** `listener`: 'main' for the public port, 'metrics' for the METRICS_PORT listener. */
export function metricsAccess(token: string | undefined, listener: 'main' | 'metrics'): Middleware {
  const expected = token ? digest(token) : undefined;
  return async (ctx, next) => {
    if (!expected) {
      if (listener === 'main') throw new AppError('not_found');
      return next() as Promise<void>;
    }
    const given = /^Bearer\s+(\S{1,200})$/.exec(ctx.get('authorization'))?.[1] ?? '';
    // Digests of both sides have equal lengths, so the comparison time says nothing about the token.
    if (!timingSafeEqual(digest(given), expected)) {
      ctx.set('WWW-Authenticate', 'Bearer realm="metrics"');
      throw new AppError('unauthorized', { detail: 'send Authorization: Bearer <METRICS_TOKEN>' });
    }
    return next() as Promise<void>;
  };
}
