// The city's KPIs for the console's statistics page: for a period, the totals and one table per grouping asked for
// (mailbox, mailbox level, department, topic, region, …), each figure beside the previous period's (figures/kpi.ts).
// Staff read exact figures; the suppression of small counts is for public outputs only.
import Router from '@koa/router';
import type { GatewayServices } from '../services.js';
import { AppError } from '../errors.js';
import { isCalendarDate } from '../lib/calendar-date.js';
import { t } from '../i18n/index.js';
import { computeKpis, kpiGroupings, type KpiGrouping } from '../figures/kpi.js';
import { classificationFor } from '../classification/service.js';
import { textParam } from './params.js';

const dayMs = 86_400_000;

export function kpiRoutes(s: GatewayServices): Router {
  const router = new Router();
  router.get('/kpis', async (ctx) => {
    const problems: { field: string; message: string }[] = [];
    const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    const to = textParam(ctx, 'to', 10) ?? today;
    // Thirty days up to `to` by default; when `to` is no date, it alone is reported.
    const from =
      textParam(ctx, 'from', 10) ??
      (isCalendarDate(to) ? new Date(Date.parse(to) - 29 * dayMs).toISOString().slice(0, 10) : today);
    for (const [field, v] of [
      ['from', from],
      ['to', to],
    ] as const)
      if (!isCalendarDate(v)) problems.push({ field, message: t('console.stats.problem.date') });
    if (problems.length === 0) {
      const span = (Date.parse(to) - Date.parse(from)) / dayMs;
      if (span < 0) problems.push({ field: 'from', message: t('console.stats.problem.order') });
      if (span > 366) problems.push({ field: 'to', message: t('console.stats.problem.span') });
    }
    const asked = (textParam(ctx, 'groupBy', 200) ?? '').split(',').filter(Boolean);
    const groupBy = [...new Set(asked)];
    if (groupBy.some((g) => !(kpiGroupings as readonly string[]).includes(g)))
      problems.push({
        field: 'groupBy',
        message: t('console.stats.problem.groupBy', { allowed: kpiGroupings.join(', ') }),
      });
    if (problems.length > 0) throw new AppError('request_invalid', { problems });
    const classification = classificationFor(s.db, s.config);
    // One grouping after another: each refreshes the fact days it needs first, so they do not race each other.
    const totals = await computeKpis(s.db, { from, to, groupBy: null }, classification);
    const tables: Record<string, unknown> = {};
    for (const g of groupBy as KpiGrouping[])
      tables[g] = (await computeKpis(s.db, { from, to, groupBy: g }, classification)).groups;
    ctx.body = {
      from: totals.from,
      to: totals.to,
      previousFrom: totals.previousFrom,
      previousTo: totals.previousTo,
      totals: totals.totals,
      tables,
    };
  });
  return router;
}
