// Staff accounts: the first admin created at start-up, and login with throttling and temporary lockout. Attempts
// are counted in the database (login-guard.ts), so every instance sees the same failures.
import { sql } from 'kysely';
import type { Config } from '../../config/settings.js';
import type { Db } from '../store/db.js';
import { uuidv7 } from '../letters/ids.js';
import { AppError } from '../errors.js';
import { hashPassword, randomPassword, verifyNothing, verifyPassword } from './passwords.js';
import { reserveLoginAttempt, settleLoginAttempt, type LoginSlot } from './login-guard.js';
import { format } from '../i18n/catalogue.js';
import { messages } from './messages.zh-CN.js';

/**
 * Creates the `admin` account when no admin exists: with ADMIN_BOOTSTRAP_PASSWORD, else a random password returned
 * so the banner can print it once. Serialised by an advisory lock so two instances starting together create one.
 */
export async function ensureBootstrapAdmin(
  db: Db,
  config: Config,
): Promise<{ username: string; password?: string } | null> {
  return db.transaction().execute(async (tx) => {
    await sql`select pg_advisory_xact_lock(hashtext('staff-bootstrap'))`.execute(tx);
    const existing = await tx
      .selectFrom('staff')
      .select('id')
      .where('role', '=', 'admin')
      .where('disabled_at', 'is', null)
      .executeTakeFirst();
    if (existing) return null;
    const generated = config.ADMIN_BOOTSTRAP_PASSWORD ? undefined : randomPassword();
    const taken = await tx.selectFrom('staff').select('id').where('username', '=', 'admin').executeTakeFirst();
    const username = taken ? `admin-${Date.now().toString(36)}` : 'admin';
    const id = uuidv7();
    await tx
      .insertInto('staff')
      .values({
        id,
        username,
        display_name: format(messages, 'admin.administrator'),
        role: 'admin',
        password_hash: await hashPassword(config.ADMIN_BOOTSTRAP_PASSWORD ?? generated!, config.ADMIN_PASSWORD_COST),
      })
      .execute();
    await tx
      .insertInto('audit_log')
      .values({
        staff_id: null,
        staff_username: 'system',
        action: 'staff.bootstrap',
        target_type: 'staff',
        target_id: id,
        after: JSON.stringify({ username, role: 'admin' }),
      })
      .execute();
    return { username, password: generated };
  });
}

/**
 * Checks a password under the login guard (login-guard.ts): the attempt is reserved before the comparison, and a
 * wrong password is written to the audit log with the address it came from (and the lock it engages, if any).
 */
export async function login(db: Db, config: Config, username: string, password: string, ip: string) {
  const name = username.trim().toLowerCase().slice(0, 64);
  const slot = await reserveLoginAttempt(db, config, name, ip);
  const staff = await db
    .selectFrom('staff')
    .selectAll()
    .where('username', '=', name)
    .where('disabled_at', 'is', null)
    .executeTakeFirst();
  const ok = staff
    ? await verifyPassword(password, staff.password_hash)
    : await verifyNothing(password, config.ADMIN_PASSWORD_COST);
  await settleLoginAttempt(db, slot, ok);
  if (!ok || !staff) {
    await recordFailure(db, config, {
      name,
      staffId: staff?.id ?? null,
      ip,
      slot,
      reason: staff ? 'wrong_password' : 'unknown_user',
    });
    throw new AppError('login_failed');
  }
  return staff;
}

/** Checks a signed-in staff member's current password (changing it) under the same guard as logging in. */
export async function checkCurrentPassword(
  db: Db,
  config: Config,
  me: { id: string; username: string; ip: string },
  password: string,
): Promise<boolean> {
  const slot = await reserveLoginAttempt(db, config, me.username, me.ip);
  const row = await db.selectFrom('staff').select('password_hash').where('id', '=', me.id).executeTakeFirstOrThrow();
  const ok = await verifyPassword(password, row.password_hash);
  await settleLoginAttempt(db, slot, ok);
  if (!ok)
    await recordFailure(db, config, {
      name: me.username,
      staffId: me.id,
      ip: me.ip,
      slot,
      reason: 'wrong_current_password',
    });
  return ok;
}

async function recordFailure(
  db: Db,
  config: Config,
  f: { name: string; staffId: string | null; ip: string; slot: LoginSlot; reason: string },
): Promise<void> {
  const who = { staff_id: f.staffId, staff_username: f.name, target_type: 'staff', target_id: f.staffId, ip: f.ip };
  const rows = [
    {
      ...who,
      action: 'session.login_failed',
      after: JSON.stringify({ reason: f.reason, failuresInWindow: f.slot.number }),
    },
  ];
  if (f.slot.number >= config.ADMIN_LOGIN_MAX_FAILURES) {
    rows.push({
      ...who,
      action: 'session.locked',
      after: JSON.stringify({ failuresInWindow: f.slot.number, minutes: config.ADMIN_LOCKOUT_MINUTES }),
    });
  }
  await db.insertInto('audit_log').values(rows).execute();
}

export function publicStaff(s: {
  id: string;
  username: string;
  display_name: string;
  role: string;
  created_at?: Date;
  disabled_at?: Date | null;
}) {
  return {
    id: s.id,
    username: s.username,
    displayName: s.display_name,
    role: s.role,
    createdAt: s.created_at,
    disabled: Boolean(s.disabled_at),
  };
}
