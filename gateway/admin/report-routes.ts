// The monthly reports in the console API: the stored months, generating one on demand (operators, audited), and
// downloading a month's HTML report (open it and print for a PDF) or its Excel workbook.
import Router from '@koa/router';
import type { GatewayServices } from '../services.js';
import { AppError } from '../errors.js';
import { requireRole, staffOf } from './sessions.js';
import { audit } from './audit.js';
import { classificationFor } from '../classification/service.js';
import { readJson } from '../http/body.js';
import { monthPattern } from '../report/figures.js';
import { generateReport, listReports, reportFile } from '../report/reports.js';
import { format } from '../i18n/catalogue.js';
import { messages } from './messages.zh-CN.js';

const monthParam = (v: unknown): string => {
  if (typeof v !== 'string' || !monthPattern.test(v)) {
    throw new AppError('request_invalid', {
      problems: [{ field: 'month', message: format(messages, 'admin.monthFormat') }],
    });
  }
  return v;
};

export function reportRoutes(s: GatewayServices): Router {
  const router = new Router();
  router.get('/reports', async (ctx) => {
    ctx.body = { reports: await listReports(s.db) };
  });
  router.post('/reports', requireRole('operator'), async (ctx) => {
    const body = await readJson(ctx, 1024);
    const month = monthParam(
      typeof body === 'object' && body !== null ? (body as { month?: unknown }).month : undefined,
    );
    const staff = staffOf(ctx);
    await generateReport(s.db, month, classificationFor(s.db, s.config), staff.username);
    await audit(
      s.db,
      { id: staff.id, username: staff.username, ip: ctx.ip },
      { action: 'report.generate', targetType: 'report', targetId: month },
    );
    ctx.status = 201;
    ctx.body = { month };
  });
  router.get('/reports/:month/:format', async (ctx) => {
    const month = monthParam(ctx.params.month);
    const format = ctx.params.format;
    if (format !== 'html' && format !== 'xlsx') throw new AppError('not_found');
    const file = await reportFile(s.db, month, format);
    if (file === null) throw new AppError('not_found');
    if (format === 'html') {
      ctx.type = 'text/html; charset=utf-8';
      ctx.set('Content-Disposition', `inline; filename="report-${month}.html"`);
    } else {
      ctx.type = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
      ctx.set('Content-Disposition', `attachment; filename="report-${month}.xlsx"`);
    }
    ctx.body = file;
  });
  return router;
}
