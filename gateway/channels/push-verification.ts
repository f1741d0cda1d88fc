// Counts provider pushes refused before they are read (bad signature, stale, replayed, wrong token or address), by
// channel and reason, for the operator's "is someone knocking with the wrong key" question.
import type { Middleware } from 'koa';
import { AppError, type ErrorCode } from '../errors.js';
import type { Metrics } from '../observability/metrics.js';

const verificationCodes = new Set<ErrorCode>([
  'unauthorized',
  'forbidden',
  'push_signature_invalid',
  'push_encryption_required',
  'push_stale',
  'push_replayed',
]);

export function countVerificationFailures(metrics: Metrics, channel: string): Middleware {
  return async (ctx, next) => {
    try {
      await next();
    } catch (err) {
      if (err instanceof AppError && verificationCodes.has(err.code))
        metrics.pushVerificationFailures.inc({ channel, reason: err.code });
      throw err;
    }
  };
}
