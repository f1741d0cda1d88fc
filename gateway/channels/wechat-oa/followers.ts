// What the gateway knows about each citizen on the official account: the customer-service window (48 hours and 5
// messages after each message the citizen sends; 1 minute and 3 messages after a follow) and whether they still
// follow. Kept in PostgreSQL so every instance plans routes the same way.
// https://developers.weixin.qq.com/doc/offiaccount/Message_Management/Service_Center_messages.html
import { sql } from 'kysely';
import type { Db } from '../../store/db.js';

export const messageWindow = { seconds: 48 * 3600, quota: 5 };
export const followWindow = { seconds: 60, quota: 3 };

export type Admission = 'fresh' | 'retry' | 'replay';

/**
 * Records the push nonce (replay protection) and, for a fresh citizen message, opens its reply window, in one
 * statement. The same nonce with the same body is WeChat retrying; with another body it is a replay.
 */
export async function admitPush(
  db: Db,
  p: { nonce: string; timestamp: string; bodySha256: string; message?: { openid: string; at: Date } },
): Promise<Admission> {
  const openid = p.message?.openid ?? null;
  const at = p.message?.at ?? null;
  const r = await sql<{ fresh: boolean; known: string | null }>`
    with n as (
      insert into wechat_oa_nonces (nonce, timestamp, body_sha256) values (${p.nonce}, ${p.timestamp}, ${p.bodySha256})
      on conflict do nothing returning 1),
    f as (
      insert into wechat_oa_followers (openid, subscribed, window_until, quota_left, last_message_at)
      select ${openid}::text, true, ${at}::timestamptz + make_interval(secs => ${messageWindow.seconds}), ${messageWindow.quota}, ${at}::timestamptz
      where ${openid}::text is not null and exists (select 1 from n)
      on conflict (openid) do update set
        subscribed = true,
        window_until = greatest(wechat_oa_followers.window_until, excluded.window_until),
        quota_left = case when excluded.last_message_at > coalesce(wechat_oa_followers.last_message_at, '-infinity')
                          then excluded.quota_left else wechat_oa_followers.quota_left end,
        last_message_at = greatest(wechat_oa_followers.last_message_at, excluded.last_message_at),
        updated_at = now()
      returning 1)
    select exists (select 1 from n) as fresh,
           (select body_sha256 from wechat_oa_nonces where nonce = ${p.nonce} and timestamp = ${p.timestamp}) as known`.execute(db);
  const row = r.rows[0]!;
  if (row.fresh) return 'fresh';
  return row.known === p.bodySha256 ? 'retry' : 'replay';
}

/** A follow opens a short window (welcome message). */
export async function recordFollow(db: Db, openid: string, at: Date): Promise<void> {
  const until = new Date(at.getTime() + followWindow.seconds * 1000);
  await sql`
    insert into wechat_oa_followers (openid, subscribed, window_until, quota_left) values (${openid}, true, ${until}, ${followWindow.quota})
    on conflict (openid) do update set
      subscribed = true,
      quota_left = case when wechat_oa_followers.window_until > now() then greatest(wechat_oa_followers.quota_left, excluded.quota_left) else excluded.quota_left end,
      window_until = greatest(wechat_oa_followers.window_until, excluded.window_until),
      updated_at = now()`.execute(db);
}

export async function recordUnfollow(db: Db, openid: string): Promise<void> {
  await sql`
    insert into wechat_oa_followers (openid, subscribed) values (${openid}, false)
    on conflict (openid) do update set subscribed = false, window_until = '-infinity', quota_left = 0, updated_at = now()`.execute(db);
}

export interface FollowerState {
  subscribed: boolean;
  customOpen: boolean;
}

export async function followerState(db: Db, openid: string): Promise<FollowerState> {
  const row = await db
    .selectFrom('wechat_oa_followers')
    .select(['subscribed', sql<boolean>`window_until > now() and quota_left > 0`.as('open')])
    .where('openid', '=', openid)
    .executeTakeFirst();
  // Unknown citizens (the table starts empty) are followers whose window we have not seen open.
  return { subscribed: row?.subscribed ?? true, customOpen: row?.open ?? false };
}

/** Takes one customer-service message from the window's quota; false when the window is closed or used up. */
export async function reserveCustom(db: Db, openid: string): Promise<boolean> {
  const r = await sql`
    update wechat_oa_followers set quota_left = quota_left - 1, updated_at = now()
    where openid = ${openid} and subscribed and window_until > now() and quota_left > 0`.execute(db);
  return Number(r.numAffectedRows ?? 0) > 0;
}

/** Gives back a reserved message that was not sent. */
export async function refundCustom(db: Db, openid: string): Promise<void> {
  await sql`update wechat_oa_followers set quota_left = quota_left + 1 where openid = ${openid} and window_until > now()`.execute(db);
}

/** WeChat says the window is closed (45015) or its quota used (45047): believe it. */
export async function closeWindow(db: Db, openid: string): Promise<void> {
  await sql`update wechat_oa_followers set quota_left = 0, updated_at = now() where openid = ${openid}`.execute(db);
}
