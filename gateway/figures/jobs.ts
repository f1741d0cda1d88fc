// The KPI job: every KPI_REFRESH_INTERVAL, marks the days whose letters went overdue and recomputes the marked days.
import type { Scheduler } from '../jobs/scheduler.js';
import type { Db } from '../store/db.js';
import { refreshDirtyDays, sweepDeadlines } from './facts.js';

export async function scheduleKpiFacts(scheduler: Scheduler, db: Db, interval: string): Promise<void> {
  // A rebuild of many days may take a while: the scheduler renews the run's lock while it lasts.
  scheduler.define('kpi-facts', async () => {
    await sweepDeadlines(db);
    await refreshDirtyDays(db);
  });
  await scheduler.every(interval, 'kpi-facts');
}
