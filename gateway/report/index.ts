// The monthly report wired into the gateway: a recurring job that, from the 1st on, generates the month before once
// (several instances may run it, and a long run may be taken over: generateReport decides under a lock, so the
// short default job lock, which also lets the process exit promptly, is enough).
import type { GatewayServices } from '../services.js';
import { classificationFor } from '../classification/service.js';
import { generateDueReport } from './reports.js';

export async function scheduleMonthlyReport(s: GatewayServices): Promise<void> {
  s.scheduler.define('monthly-report', async () => {
    const month = await generateDueReport(s.db, classificationFor(s.db, s.config));
    if (month) s.log.info({ month }, 'monthly report generated');
  });
  await s.scheduler.every('1 hour', 'monthly-report');
}
