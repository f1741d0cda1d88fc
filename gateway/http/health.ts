// Liveness, readiness and Prometheus metrics (the latter behind `metricsGuard`: see metrics-access.ts).
import Router from '@koa/router';
import type { Middleware } from 'koa';
import { sql } from 'kysely';
import type { Db } from '../store/db.js';
import { pendingMigrations } from '../store/db.js';
import type { Metrics } from '../observability/metrics.js';

export interface ReadinessProbe {
  /** Background work (job scheduler, forwarding and sending loops) is running. */
  workersRunning(): boolean;
}

export function healthRoutes(db: Db, metrics: Metrics, probe: ReadinessProbe, metricsGuard: Middleware): Router {
  const router = new Router();
  router.get('/healthz', (ctx) => {
    ctx.body = { status: 'ok' };
  });
  router.get('/readyz', async (ctx) => {
    const checks: Record<string, string> = {};
    try {
      await sql`select 1`.execute(db);
      checks.database = 'ok';
      checks.migrations = (await pendingMigrations(db)) === 0 ? 'ok' : 'pending';
    } catch (err) {
      checks.database = `unreachable: ${(err as Error).message}`;
      checks.migrations = 'unknown';
    }
    checks.jobs = probe.workersRunning() ? 'ok' : 'stopped';
    const ready = Object.values(checks).every((v) => v === 'ok');
    ctx.status = ready ? 200 : 503;
    ctx.body = { status: ready ? 'ready' : 'not ready', checks };
  });
  router.get('/metrics', metricsGuard, async (ctx) => {
    const r = await sql<{ queue: string; n: string }>`
      select 'forward' as queue, count(*) as n from letters where forward_state = 'pending'
      union all select 'deliveries', count(*) from deliveries where status in ('queued', 'sending')`.execute(db);
    for (const row of r.rows) metrics.queueDepth.set({ queue: row.queue }, Number(row.n));
    ctx.type = metrics.registry.contentType;
    ctx.body = await metrics.registry.metrics();
  });
  return router;
}
