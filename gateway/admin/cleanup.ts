// Hourly housekeeping for the console: ended sessions and login attempts older than a day are deleted (the lockout
// window is at most a day, so older attempts no longer count). The audit log is kept.
import { sql } from 'kysely';
import type { Db } from '../store/db.js';
import type { Scheduler } from '../jobs/scheduler.js';

export async function scheduleStaffCleanup(scheduler: Scheduler, db: Db, idleMinutes: number): Promise<void> {
  scheduler.define('staff-cleanup', async () => {
    await sql`delete from staff_sessions where expires_at < now() or last_seen_at < now() - make_interval(mins => ${idleMinutes})`.execute(
      db,
    );
    await sql`delete from login_attempts where at < now() - interval '1 day'`.execute(db);
  });
  await scheduler.every('1 hour', 'staff-cleanup');
}
