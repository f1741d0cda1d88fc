// Statistics as staff see them: exact counts (the "< 5" suppression protects published figures, not staff who may read
// the letters themselves) and the series by day, week or month.
import type { Context } from 'koa';
import { AppError } from '../errors.js';
import { buckets, type Bucket, type StatsOptions } from '../stats/compute.js';
import { textParam } from './params.js';
import { format } from '../i18n/catalogue.js';
import { messages } from './messages.zh-CN.js';

export function staffStatsOptions(ctx: Context): StatsOptions {
  const bucket = textParam(ctx, 'bucket') ?? 'day';
  if (!(buckets as readonly string[]).includes(bucket))
    throw new AppError('request_invalid', {
      problems: [{ field: 'bucket', message: format(messages, 'admin.bucketValues') }],
    });
  return { exact: true, bucket: bucket as Bucket };
}
