// What the gateway knows about each citizen on the official account: the customer-service window (48 hours and 5
// messages after each message the citizen sends; 1 minute and 3 messages after a follow) and whether they still
// follow. Kept in PostgreSQL so every instance plans routes the same way.
// https://developers.weixin.qq.com/doc/offiaccount/Message_Management/Service_Center_messages.html
import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../../store/db.js';

export const messageWindow = { seconds: 48 * 3600, quota: 5 };
export const followWindow = { seconds: 60, quota: 3 };

export type Admission = 'fresh' | 'retry' | 'replay';

export interface PushNonce {
  nonce: string;
  timestamp: string;
  bodySha256: string;
  /** The body is covered by the push's signature (safe mode's msg_signature signs the ciphertext). */
  bodySigned: boolean;
  /** For a citizen message: who wrote and when, to open their reply window. */
  message?: { openid: string; at: Date };
}

/**
 * Records push nonces and opens the reply window of each citizen who wrote (5 messages within 48 hours of their
 * latest message), a whole batch in one statement. The same nonce with the same body is WeChat retrying (or the same
 * request twice in one batch): its window was opened the first time. With another body it is a replay when the
 * signature does not cover the body (plain mode signs only timestamp and nonce, so a captured signature could carry
 * any body). A signed body is WeChat's own: two pushes may draw the same random nonce in the same second (WeChat's
 * are ten digits at most, about 32 bits: among a thousand pushes a second, two share one every couple of hours), and
 * refusing the second would lose a citizen's message, so it is admitted, and its window opened by a second statement.
 */
export async function admitNonces(db: Db, pushes: PushNonce[]): Promise<Admission[]> {
  if (pushes.length === 0) return [];
  const inserted = await sql<{ nonce: string; timestamp: string; body_sha256: string }>`
    with input as (
      select * from unnest(${pushes.map((p) => p.nonce)}::text[], ${pushes.map((p) => p.timestamp)}::bigint[],
                           ${pushes.map((p) => p.bodySha256)}::text[], ${pushes.map((p) => p.message?.openid ?? null)}::text[],
                           ${pushes.map((p) => p.message?.at ?? null)}::timestamptz[]) as i(nonce, ts, sha, openid, at)),
    n as (
      insert into wechat_oa_nonces (nonce, timestamp, body_sha256) select nonce, ts, sha from input
      on conflict do nothing returning nonce, timestamp, body_sha256),
    w as (${openWindows(sql`input i join n on n.nonce = i.nonce and n.timestamp = i.ts and n.body_sha256 = i.sha`)} returning 1)
    select nonce, timestamp::text, body_sha256 from n`.execute(db);
  const key = (n: string, t: string) => `${n}\u0000${t}`;
  const fresh = new Map(inserted.rows.map((r) => [key(r.nonce, r.timestamp), r.body_sha256]));
  const seen = new Set<string>();
  const known = new Map<string, string>();
  const missing = pushes.filter((p) => !fresh.has(key(p.nonce, p.timestamp)));
  if (missing.length > 0) {
    const rows = await db
      .selectFrom('wechat_oa_nonces')
      .select(['nonce', sql<string>`timestamp::text`.as('timestamp'), 'body_sha256'])
      .where(
        'nonce',
        'in',
        missing.map((p) => p.nonce),
      )
      .execute();
    for (const r of rows) known.set(key(r.nonce, r.timestamp), r.body_sha256);
  }
  const admissions = pushes.map((p): Admission => {
    const k = key(p.nonce, p.timestamp);
    const first = fresh.get(k);
    if (first !== undefined && !seen.has(k)) {
      seen.add(k);
      if (first === p.bodySha256) return 'fresh';
    } else if ((first ?? known.get(k)) === p.bodySha256) return 'retry';
    return p.bodySigned ? 'fresh' : 'replay';
  });
  // Signed pushes that shared a nonce with another body: their windows were not opened by the statement above.
  const shared = pushes.filter(
    (p, i) => p.message && admissions[i] === 'fresh' && fresh.get(key(p.nonce, p.timestamp)) !== p.bodySha256,
  );
  if (shared.length > 0)
    await sql`${openWindows(sql`unnest(${shared.map((p) => p.message!.openid)}::text[], ${shared.map((p) => p.message!.at)}::timestamptz[]) as i(openid, at)`)}`.execute(
      db,
    );
  return admissions;
}

/**
 * Opens (or extends) the reply window of each citizen in `source`, rows of (openid, at): the latest message counts.
 * `onlyLater` leaves a citizen alone unless `at` is later than the message the window already counts.
 */
function openWindows(source: RawBuilder<unknown>, onlyLater = false): RawBuilder<unknown> {
  return sql`
    insert into wechat_oa_followers (openid, subscribed, window_until, quota_left, last_message_at)
    select i.openid, true, max(i.at) + make_interval(secs => ${messageWindow.seconds}), ${messageWindow.quota}, max(i.at)
    from ${source}
    where i.openid is not null
    group by i.openid
    on conflict (openid) do update set
      subscribed = true,
      window_until = greatest(wechat_oa_followers.window_until, excluded.window_until),
      quota_left = case when excluded.last_message_at > coalesce(wechat_oa_followers.last_message_at, '-infinity')
                        then excluded.quota_left else wechat_oa_followers.quota_left end,
      last_message_at = greatest(wechat_oa_followers.last_message_at, excluded.last_message_at),
      updated_at = now()
    ${onlyLater ? sql`where excluded.last_message_at > coalesce(wechat_oa_followers.last_message_at, '-infinity')` : sql``}`;
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

/**
 * An unfollow closes the window, but only one opened before it: events are handled after the push is stored, while a
 * message opens its window at once, so a citizen who unfollows, follows again and writes may have their new window
 * open before the unfollow is handled. A window that ends later than one opened at the unfollow came after it.
 */
export async function recordUnfollow(db: Db, openid: string, at: Date): Promise<void> {
  const closesBefore = new Date(at.getTime() + messageWindow.seconds * 1000);
  await sql`
    insert into wechat_oa_followers (openid, subscribed) values (${openid}, false)
    on conflict (openid) do update set
      subscribed = wechat_oa_followers.window_until > ${closesBefore},
      quota_left = case when wechat_oa_followers.window_until <= ${closesBefore} then 0 else wechat_oa_followers.quota_left end,
      window_until = case when wechat_oa_followers.window_until <= ${closesBefore} then '-infinity' else wechat_oa_followers.window_until end,
      updated_at = now()`.execute(db);
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
  await sql`update wechat_oa_followers set quota_left = quota_left + 1 where openid = ${openid} and window_until > now()`.execute(
    db,
  );
}

/** WeChat says the window is closed (45015) or its quota used (45047): believe it. */
export async function closeWindow(db: Db, openid: string): Promise<void> {
  await sql`update wechat_oa_followers set quota_left = 0, updated_at = now() where openid = ${openid}`.execute(db);
}

/**
 * Sandbox only: opens the window of a citizen whose latest message reached the conversation without a push (the
 * console's simulator writes as a citizen that way), as admitNonces would have for a push. A push's own message is
 * already counted (same time), so its quota is not renewed twice.
 */
export async function windowFromMessages(db: Db, openid: string): Promise<void> {
  await openWindows(
    sql`(select sender_id as openid, received_at as at from conversation_messages
         where channel = 'wechat-oa' and sender_id = ${openid}) as i`,
    true,
  ).execute(db);
}

/**
 * What the delivery plans of several citizens need, in one round trip (same order; an openid may repeat): whether
 * each one's customer-service window is open and a consent held.
 */
export async function routeStates(db: Db, openids: string[]): Promise<{ customOpen: boolean; consent: boolean }[]> {
  const r = await sql<{ open: boolean | null; consent: boolean }>`
    select (select window_until > now() and quota_left > 0 from wechat_oa_followers f where f.openid = i.openid) as open,
           exists (select 1 from wechat_oa_consents c where c.openid = i.openid and c.status = 'accept') as consent
    from unnest(${openids}::text[]) with ordinality as i(openid, ord)
    order by i.ord`.execute(db);
  return r.rows.map((x) => ({ customOpen: x.open ?? false, consent: x.consent }));
}

/**
 * reserveCustom for several messages in one statement (same order). The rows are locked while the quota is read, so
 * concurrent reservations never take more than a window holds; several messages to one citizen take what is left in
 * their given order.
 */
export async function reserveCustoms(db: Db, openids: string[]): Promise<boolean[]> {
  const r = await sql<{ openid: string; taken: number }>`
    with wanted as (select openid, count(*)::int as n from unnest(${openids}::text[]) as w(openid) group by openid),
    current as (
      select f.openid, f.quota_left, w.n from wechat_oa_followers f join wanted w on w.openid = f.openid
      where f.subscribed and f.window_until > now() and f.quota_left > 0
      -- Locked in one order, so that two instances reserving for overlapping citizens cannot deadlock.
      order by f.openid
      for update of f),
    taken as (
      update wechat_oa_followers f set quota_left = c.quota_left - least(c.n, c.quota_left), updated_at = now()
      from current c where f.openid = c.openid
      returning f.openid)
    select c.openid, least(c.n, c.quota_left)::int as taken from current c join taken t on t.openid = c.openid`.execute(
    db,
  );
  const left = new Map(r.rows.map((x) => [x.openid, x.taken]));
  return openids.map((id) => {
    const n = left.get(id) ?? 0;
    if (n > 0) left.set(id, n - 1);
    return n > 0;
  });
}
