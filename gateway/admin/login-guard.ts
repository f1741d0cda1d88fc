// Password guessing limits that hold under parallel requests: an attempt is reserved (an attempt row with no outcome
// yet) under per-address and per-account advisory locks BEFORE the password is compared, and a reserved attempt
// counts as a failure until it turns out right. So however many arrive at once, at most ADMIN_LOGIN_MAX_FAILURES wrong
// passwords are ever compared for one account within ADMIN_LOCKOUT_MINUTES, on every instance of the gateway.
import { sql } from 'kysely';
import type { Config } from '../../config/settings.js';
import type { Db } from '../store/db.js';
import { AppError } from '../errors.js';
import { format } from '../i18n/catalogue.js';
import { messages } from './messages.zh-CN.js';

// Advisory lock classes (the two-key form, apart from the single-key locks used elsewhere).
const ipLockClass = 640_001;
const accountLockClass = 640_002;

export interface LoginSlot {
  id: string;
  /** 1 for the first attempt counted in the window, ADMIN_LOGIN_MAX_FAILURES for the last one allowed. */
  number: number;
}

/** How long a login waits for other in-flight attempts on the same account to settle before it is turned away. */
const settleWaitMs = 10_000;
/** An attempt still without an outcome after this long belongs to a process that died: it stays a failure. */
const abandonedAfterSeconds = 60;

/** Reserves one attempt for `username` from `ip`, or refuses: 429 for a throttled address, 423 for a locked account. */
export async function reserveLoginAttempt(db: Db, config: Config, username: string, ip: string): Promise<LoginSlot> {
  // Attempts still being compared count against the limit, so parallel guesses can never exceed it; but they are not
  // failures yet, so a login that only meets other in-flight ones (a staff member's two tabs, a retry) waits for them
  // to settle instead of being told the account is locked.
  const deadline = Date.now() + settleWaitMs;
  for (;;) {
    const outcome = await tryReserve(db, config, username, ip);
    if (outcome !== 'busy') return outcome;
    if (Date.now() > deadline)
      throw new AppError('rate_limited', { detail: format(messages, 'admin.loginRateLimited') });
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function tryReserve(db: Db, config: Config, username: string, ip: string): Promise<LoginSlot | 'busy'> {
  const windowMinutes = config.ADMIN_LOCKOUT_MINUTES;
  return db.transaction().execute(async (tx) => {
    // Always the address first, then the account: every transaction takes them in the same order.
    await sql`select pg_advisory_xact_lock(${ipLockClass}, hashtext(${ip}))`.execute(tx);
    await sql`select pg_advisory_xact_lock(${accountLockClass}, hashtext(${username}))`.execute(tx);
    const byIp = await sql<{ n: string }>`
      select count(*) as n from login_attempts
      where ip = ${ip} and success is not true and at > now() - make_interval(mins => ${windowMinutes})`.execute(tx);
    // Failures per address (any username) within the window before the address is throttled.
    if (Number(byIp.rows[0]?.n ?? 0) >= config.ADMIN_LOGIN_MAX_FAILURES_PER_ADDRESS)
      throw new AppError('rate_limited', { detail: format(messages, 'admin.loginTooManyAttempts') });

    const recent = await sql<{ at: Date; pending: boolean }>`
      select at, (success is null and at > now() - make_interval(secs => ${abandonedAfterSeconds})) as pending
      from login_attempts
      where username = ${username} and success is not true and at > now() - make_interval(mins => ${windowMinutes})
      order by at desc`.execute(tx);
    const failures = recent.rows.filter((r) => !r.pending);
    if (failures.length >= config.ADMIN_LOGIN_MAX_FAILURES) {
      // Unlocked once the oldest of the counted failures leaves the window.
      const oldest = failures[config.ADMIN_LOGIN_MAX_FAILURES - 1]!.at;
      const until = new Date(new Date(oldest).getTime() + windowMinutes * 60_000).toISOString();
      throw new AppError('account_locked', {
        detail: format(messages, 'admin.accountLockedUntil', { until }),
        lockedUntil: until,
      });
    }
    if (recent.rows.length >= config.ADMIN_LOGIN_MAX_FAILURES) return 'busy';
    const row = await tx
      .insertInto('login_attempts')
      .values({ username, ip, success: null })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { id: row.id, number: recent.rows.length + 1 };
  });
}

/** Records the outcome: a right password gives its slot back, a wrong one keeps it counted as a failure. */
export async function settleLoginAttempt(db: Db, slot: LoginSlot, ok: boolean): Promise<void> {
  await db.updateTable('login_attempts').set({ success: ok }).where('id', '=', slot.id).execute();
}
