// The audit log: every change made through the console and every access to personal data (who, when, what, why,
// before and after), written in the same transaction as the change itself so neither exists without the other. The
// database refuses to change an entry or delete one younger than 180 days (migration 0650); the console only reads.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../store/tables.js';
import type { StaffPrincipal } from './sessions.js';

export interface AuditEntry {
  action: string;
  targetType: string;
  targetId?: string | null;
  before?: unknown;
  after?: unknown;
  /** Why: required for revealing, exporting and erasing personal data. */
  reason?: string;
}

type Executor = Kysely<Database> | Transaction<Database>;

export async function audit(
  db: Executor,
  who: Pick<StaffPrincipal, 'username'> & { id: string | null; ip?: string },
  e: AuditEntry,
): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      staff_id: who.id,
      staff_username: who.username,
      action: e.action,
      target_type: e.targetType,
      target_id: e.targetId ?? null,
      before: e.before === undefined ? null : JSON.stringify(e.before),
      after: e.after === undefined ? null : JSON.stringify(e.after),
      ip: who.ip ?? null,
      reason: e.reason ?? null,
    })
    .execute();
}

export interface AuditQuery {
  staff?: string;
  action?: string;
  targetType?: string;
  targetId?: string;
  from?: Date;
  to?: Date;
  limit: number;
  before?: string;
}

export async function listAudit(db: Kysely<Database>, q: AuditQuery) {
  let s = db.selectFrom('audit_log').selectAll().orderBy('id', 'desc').limit(q.limit);
  if (q.staff) s = s.where('staff_username', '=', q.staff);
  // An action name matches itself only (`session.login` is not `session.login_failed`); a group ending in a dot
  // (`citizen.`) matches every action in it.
  if (q.action?.endsWith('.')) s = s.where('action', 'like', `${q.action.replace(/[%_\\]/g, '\\$&')}%`);
  else if (q.action) s = s.where('action', '=', q.action);
  if (q.targetType) s = s.where('target_type', '=', q.targetType);
  if (q.targetId) s = s.where('target_id', '=', q.targetId);
  if (q.from) s = s.where('at', '>=', q.from);
  if (q.to) s = s.where('at', '<', q.to);
  if (q.before && /^\d+$/.test(q.before)) s = s.where('id', '<', q.before);
  const rows = await s.execute();
  return rows.map((r) => ({
    id: r.id,
    at: r.at,
    staff: r.staff_username,
    action: r.action,
    targetType: r.target_type,
    targetId: r.target_id,
    before: r.before,
    after: r.after,
    ip: r.ip,
    reason: r.reason,
  }));
}
