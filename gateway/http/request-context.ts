// Request ids (taken from X-Request-Id when sane, else issued), access logs and request counters.
import { randomUUID } from 'node:crypto';
import type { Middleware } from 'koa';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';

export function requestContext(log: Logger, metrics: Metrics): Middleware {
  return async (ctx, next) => {
    const given = ctx.get('x-request-id');
    const id = /^[A-Za-z0-9._-]{8,64}$/.test(given) ? given : randomUUID();
    ctx.state.requestId = id;
    ctx.set('X-Request-Id', id);
    const started = performance.now();
    try {
      await next();
    } finally {
      metrics.httpRequests.inc({ method: ctx.method, status: String(ctx.status) });
      if (ctx.status >= 500)
        log.warn(
          { requestId: id, method: ctx.method, path: ctx.path, status: ctx.status },
          'request answered with an error',
        );
      else
        log.debug(
          {
            requestId: id,
            method: ctx.method,
            path: ctx.path,
            status: ctx.status,
            ms: Math.round(performance.now() - started),
          },
          'request',
        );
    }
  };
}
