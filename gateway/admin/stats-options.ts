// Statistics as staff see them: exact counts (the "< 5" suppression protects published figures, not staff who may read
// the letters themselves) and the series by day, week or month.
import type { Context } from 'koa';
import { AppError } from '../errors.js';
import { buckets, type Bucket, type StatsOptions } from '../stats/compute.js';
import { textParam } from './params.js';

export function staffStatsOptions(ctx: Context): StatsOptions {
  const bucket = textParam(ctx, 'bucket') ?? 'day';
  if (!(buckets as readonly string[]).includes(bucket))
    throw new AppError('request_invalid', { problems: [{ field: 'bucket', message: '可选 day、week 或 month' }] });
  return { exact: true, bucket: bucket as Bucket };
}
