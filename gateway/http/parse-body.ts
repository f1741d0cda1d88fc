// Validates a parsed request body against a zod schema; a mismatch is a `request_invalid` problem listing each field.
import type { z } from 'zod';
import { AppError } from '../errors.js';

export function parseBody<T>(schema: z.ZodType<T>, value: unknown): T {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  throw new AppError('request_invalid', {
    problems: r.error.issues.map((i) => ({ field: i.path.join('.') || '(body)', message: i.message })),
  });
}
