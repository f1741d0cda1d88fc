// Query-string helpers for the console's list endpoints: one value each, bounded, and dates as YYYY-MM-DD.
import type { Context } from 'koa';
import { AppError } from '../errors.js';
import { isCalendarDate } from '../lib/calendar-date.js';
import { format } from '../i18n/catalogue.js';
import { messages } from './messages.zh-CN.js';

export function textParam(ctx: Context, name: string, max = 100): string | undefined {
  const v = ctx.query[name];
  if (v === undefined || v === '') return undefined;
  if (typeof v !== 'string' || v.length > max)
    throw new AppError('request_invalid', {
      problems: [{ field: name, message: `give one value of at most ${max} characters` }],
    });
  return v.trim() || undefined;
}

/** `YYYY-MM-DD` as the start of that day in Asia/Shanghai; `endOfDay` gives the start of the next day. */
export function dateParam(ctx: Context, name: string, endOfDay = false): Date | undefined {
  const v = textParam(ctx, name, 10);
  if (v === undefined) return undefined;
  if (!isCalendarDate(v))
    throw new AppError('request_invalid', {
      problems: [{ field: name, message: format(messages, 'admin.dateFormat') }],
    });
  const d = new Date(`${v}T00:00:00+08:00`);
  return endOfDay ? new Date(d.getTime() + 86_400_000) : d;
}

/** `limit` for a list page: 1 to 200, 100 when not given. */
export function pageSize(ctx: Context, fallback = 100): number {
  const v = textParam(ctx, 'limit', 4);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 200)
    throw new AppError('request_invalid', {
      problems: [{ field: 'limit', message: format(messages, 'admin.pageSizeRange') }],
    });
  return n;
}
