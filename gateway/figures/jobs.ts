// The KPI job: every KPI_REFRESH_INTERVAL, marks the days whose letters went overdue and recomputes the marked days.
import type { Scheduler } from '../jobs/scheduler.js';
import type { Db } from '../store/db.js';
import { refreshDirtyDays, sweepDeadlines } from './facts.js';

export async function scheduleKpiFacts(scheduler: Scheduler, db: Db, interval: string): Promise<void> {
  // A rebuild of many days may take a while; another instance takes over only after it stopped answering.
  scheduler.define('kpi-facts', async () => {
    await sweepDeadlines(db);
    await refreshDirtyDays(db);
  }, { lockLifetimeMs: 10 * 60_000 });
  await scheduler.every(interval, 'kpi-facts');
}
