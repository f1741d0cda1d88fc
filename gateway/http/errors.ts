// The one error middleware: every failure becomes RFC 9457 problem+json with a code from the catalogue. Only errors
// meant for clients (AppError, or Koa errors marked expose) show their text; the rest say "Internal error".
import type { Middleware } from 'koa';
import { AppError, errorCatalogue, type ErrorCode } from '../errors.js';
import type { Logger } from '../observability/logger.js';

export function problemDetails(log: Logger): Middleware {
  return async (ctx, next) => {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) throw new AppError('not_found');
    } catch (err) {
      const e = toAppError(err);
      if (e.status >= 500) log.error({ err, requestId: ctx.state.requestId, path: ctx.path }, 'request failed');
      ctx.status = e.status;
      ctx.type = 'application/problem+json';
      const { detail: _detail, ...extra } = e.details;
      ctx.body = {
        type: `urn:letter-gateway:error:${e.code}`,
        title: errorCatalogue[e.code].title,
        status: e.status,
        code: e.code,
        ...(e.details.detail ? { detail: e.details.detail } : {}),
        instance: ctx.state.requestId ? `urn:request:${ctx.state.requestId}` : undefined,
        ...extra,
      };
    }
  };
}

function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  const e = err as
    { status?: number; statusCode?: number; expose?: boolean; message?: string; type?: string } | null | undefined;
  const status = e?.status ?? e?.statusCode ?? 500;
  if (status >= 500 || !e?.expose) return new AppError(status === 503 ? 'not_ready' : 'internal');
  const byStatus: Partial<Record<number, ErrorCode>> = {
    400: 'bad_request',
    401: 'unauthorized',
    403: 'forbidden',
    404: 'not_found',
    405: 'method_not_allowed',
    409: 'conflict',
    413: 'body_too_large',
    415: 'unsupported_media_type',
    429: 'rate_limited',
  };
  return new AppError(byStatus[status] ?? 'bad_request', { detail: e.message });
}
