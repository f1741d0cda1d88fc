// Staff accounts: the first admin created at start-up, and login with throttling and temporary lockout. Attempts
// are counted in the database, so every instance sees the same failures.
import { sql } from 'kysely';
import type { Config } from '../../config/settings.js';
import type { Db } from '../store/db.js';
import { uuidv7 } from '../letters/ids.js';
import { AppError } from '../errors.js';
import { hashPassword, randomPassword, verifyNothing, verifyPassword } from './passwords.js';

/**
 * Creates the `admin` account when no admin exists: with ADMIN_BOOTSTRAP_PASSWORD, else a random password returned
 * so the banner can print it once. Serialised by an advisory lock so two instances starting together create one.
 */
export async function ensureBootstrapAdmin(db: Db, config: Config): Promise<{ username: string; password?: string } | null> {
  return db.transaction().execute(async (tx) => {
    await sql`select pg_advisory_xact_lock(hashtext('staff-bootstrap'))`.execute(tx);
    const existing = await tx.selectFrom('staff').select('id').where('role', '=', 'admin').where('disabled_at', 'is', null).executeTakeFirst();
    if (existing) return null;
    const generated = config.ADMIN_BOOTSTRAP_PASSWORD ? undefined : randomPassword();
    const taken = await tx.selectFrom('staff').select('id').where('username', '=', 'admin').executeTakeFirst();
    const username = taken ? `admin-${Date.now().toString(36)}` : 'admin';
    const id = uuidv7();
    await tx
      .insertInto('staff')
      .values({ id, username, display_name: '管理员', role: 'admin', password_hash: await hashPassword(config.ADMIN_BOOTSTRAP_PASSWORD ?? generated!) })
      .execute();
    await tx
      .insertInto('audit_log')
      .values({ staff_id: null, staff_username: 'system', action: 'staff.bootstrap', target_type: 'staff', target_id: id, after: JSON.stringify({ username, role: 'admin' }) })
      .execute();
    return { username, password: generated };
  });
}

/** Failures per IP (any username) within the window before the IP is throttled. */
const ipFailureLimit = 30;

export async function login(db: Db, config: Config, username: string, password: string, ip: string) {
  const windowStart = new Date(Date.now() - config.ADMIN_LOCKOUT_MINUTES * 60_000);
  const name = username.trim().toLowerCase().slice(0, 64);
  const ipFailures = await db
    .selectFrom('login_attempts')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('ip', '=', ip)
    .where('success', '=', false)
    .where('at', '>', windowStart)
    .executeTakeFirstOrThrow();
  if (Number(ipFailures.n) >= ipFailureLimit) throw new AppError('rate_limited', { detail: '登录尝试过多，请稍后再试' });

  // Failures since the last success, within the window, lock the account (whoever is trying).
  const recent = await db
    .selectFrom('login_attempts')
    .select(['success', 'at'])
    .where('username', '=', name)
    .where('at', '>', windowStart)
    .orderBy('id', 'desc')
    .limit(config.ADMIN_LOGIN_MAX_FAILURES)
    .execute();
  const failures = recent.findIndex((a) => a.success);
  const consecutive = failures === -1 ? recent.length : failures;
  if (consecutive >= config.ADMIN_LOGIN_MAX_FAILURES) {
    const until = new Date(new Date(recent[0]!.at).getTime() + config.ADMIN_LOCKOUT_MINUTES * 60_000);
    throw new AppError('account_locked', { detail: `账号已临时锁定，请于 ${until.toISOString()} 后再试`, lockedUntil: until.toISOString() });
  }

  const staff = await db.selectFrom('staff').selectAll().where('username', '=', name).where('disabled_at', 'is', null).executeTakeFirst();
  const ok = staff ? await verifyPassword(password, staff.password_hash) : await verifyNothing(password);
  await db.insertInto('login_attempts').values({ username: name, ip, success: ok }).execute();
  if (!ok || !staff) throw new AppError('login_failed');
  return staff;
}

export function publicStaff(s: { id: string; username: string; display_name: string; role: string; created_at?: Date; disabled_at?: Date | null }) {
  return { id: s.id, username: s.username, displayName: s.display_name, role: s.role, createdAt: s.created_at, disabled: Boolean(s.disabled_at) };
}
