// The statistics endpoints: `GET /api/v1/stats` for the case store (API key with letters:read) and the same
// figures for staff in the console; both take from, to (YYYY-MM-DD, Asia/Shanghai, inclusive) and groupBy.
import Router from '@koa/router';
import type { Context } from 'koa';
import type { GatewayServices } from '../services.js';
import { requireApiKey } from '../http/api-auth.js';
import { AppError } from '../errors.js';
import { isCalendarDate } from '../lib/calendar-date.js';
import { computeStats, groupings, type GroupBy, type StatsOptions } from './compute.js';
import { computeKpis, kpiGroupings, type KpiGrouping } from '../figures/kpi.js';
import { classificationFor } from '../classification/service.js';

const day = 86_400_000;

export function statsQuery(ctx: Context): { from: string; to: string; groupBy: GroupBy } {
  const problems: { field: string; message: string }[] = [];
  const date = (name: string, fallback: string) => {
    const v = ctx.query[name];
    if (v === undefined || v === '') return fallback;
    if (typeof v !== 'string' || !isCalendarDate(v)) {
      problems.push({ field: name, message: 'use YYYY-MM-DD' });
      return fallback;
    }
    return v;
  };
  const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
  const to = date('to', today);
  const from = date('from', new Date(Date.parse(to) - 29 * day).toISOString().slice(0, 10));
  const groupBy = (ctx.query.groupBy ?? 'channel') as GroupBy;
  if (!groupings.includes(groupBy)) problems.push({ field: 'groupBy', message: `one of ${groupings.join(', ')}` });
  const span = (Date.parse(to) - Date.parse(from)) / day;
  if (span < 0) problems.push({ field: 'from', message: 'from must not be after to' });
  if (span > 366) problems.push({ field: 'to', message: 'at most 366 days at once' });
  if (problems.length > 0) throw new AppError('request_invalid', { problems });
  // `to` is inclusive for callers; the computation takes the next day as its exclusive end.
  return { from, to: new Date(Date.parse(to) + day).toISOString().slice(0, 10), groupBy };
}

export async function statsBody(s: GatewayServices, ctx: Context, options: StatsOptions = {}) {
  const q = statsQuery(ctx);
  const to = new Date(Date.parse(q.to) - day).toISOString().slice(0, 10);
  const [stats, kpis] = await Promise.all([
    computeStats(s.db, q, q.groupBy, options),
    // The platform's KPIs with the previous period beside them (issue 15); `origin` is not one of their groupings.
    computeKpis(
      s.db,
      {
        from: q.from,
        to,
        groupBy: (kpiGroupings as readonly string[]).includes(q.groupBy) ? (q.groupBy as KpiGrouping) : null,
      },
      classificationFor(s.db, s.config),
    ),
  ]);
  return { ...stats, to, kpis };
}

export function statsApi(s: GatewayServices): Router {
  const router = new Router({ prefix: '/api/v1' });
  router.get('/stats', requireApiKey(s.db, 'letters:read'), async (ctx) => {
    ctx.body = await statsBody(s, ctx);
  });
  return router;
}
