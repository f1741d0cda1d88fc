// Early warning in the console: the alerts raised (newest first, with their first and last letters' serials) and an
// operator's acknowledgement, audited.
import Router from '@koa/router';
import { sql } from 'kysely';
import type { GatewayServices } from '../services.js';
import { AppError } from '../errors.js';
import { isUuid } from '../letters/view.js';
import { listAlerts } from '../warnings/alerts.js';
import { requireRole, staffOf } from './sessions.js';
import { audit } from './audit.js';

export function alertRoutes(s: GatewayServices): Router {
  const router = new Router();
  router.get('/alerts', async (ctx) => {
    const rows = await listAlerts(s.db);
    ctx.body = {
      alerts: rows.map((a) => ({
        id: a.id,
        kind: a.kind,
        title: a.title,
        detail: a.detail,
        letterCount: a.letter_count,
        citizenCount: a.citizen_count,
        first: { letterId: a.first_letter_id, serial: a.first_serial, at: a.first_at },
        last: { letterId: a.last_letter_id, serial: a.last_serial, at: a.last_at },
        raisedAt: a.raised_at,
        acknowledgedAt: a.acknowledged_at,
        acknowledgedBy: a.acknowledged_by,
        wecom: { state: a.wecom_state, error: a.wecom_error },
      })),
    };
  });
  router.post('/alerts/:id/acknowledge', requireRole('operator'), async (ctx) => {
    const id = ctx.params.id!;
    if (!isUuid(id)) throw new AppError('not_found');
    const staff = staffOf(ctx);
    const done = await s.db.transaction().execute(async (trx) => {
      const r = await sql<{ id: string }>`
        update warning_alerts set acknowledged_at = now(), acknowledged_by = ${staff.username}
        where id = ${id} and acknowledged_at is null returning id`.execute(trx);
      if (r.rows.length === 0) return false;
      await audit(
        trx,
        { id: staff.id, username: staff.username, ip: ctx.ip },
        { action: 'alert.acknowledge', targetType: 'alert', targetId: id },
      );
      return true;
    });
    if (!done) {
      const exists = await sql`select 1 from warning_alerts where id = ${id}`.execute(s.db);
      throw new AppError(exists.rows.length > 0 ? 'conflict' : 'not_found');
    }
    ctx.body = { id, acknowledged: true };
  });
  return router;
}
