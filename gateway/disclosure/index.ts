// Public disclosure wired into the gateway: the snapshot refreshed by a recurring job (one run across instances,
// and a lock inside in case two overlap), and the request counters of past minutes cleared by the same job.
import { sql } from 'kysely';
import type { GatewayServices } from '../services.js';
import { refreshPublicSnapshot } from './snapshot.js';

export async function scheduleDisclosure(s: GatewayServices): Promise<void> {
  s.scheduler.define('public-snapshot', async () => {
    await refreshPublicSnapshot(s.db, s.config.PUBLIC_MIN_COUNT);
    await sql`delete from public_rate where window_start < now() - interval '5 minutes'`.execute(s.db);
  });
  await s.scheduler.every(`${s.config.PUBLIC_REFRESH_MINUTES} minutes`, 'public-snapshot');
}
