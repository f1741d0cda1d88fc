// The WeChat access token of one AppID, shared by every gateway instance through PostgreSQL: one instance at a time
// fetches (advisory lock, re-check inside the lock), only the token that failed is replaced, and `stable_token` is
// preferred because concurrent calls to it return the same token instead of revoking each other's.
// https://developers.weixin.qq.com/doc/service/api/base/api_getstableaccesstoken.html
import { sql } from 'kysely';
import type { Db } from '../../store/db.js';
import type { Logger } from '../../observability/logger.js';

export interface StoredToken {
  accessToken: string;
  /** Epoch milliseconds. */
  expireTime: number;
}

export interface AccessTokenStore {
  /** The stored token, or null when none is stored or it is within the refresh margin of expiring. */
  read(): Promise<StoredToken | null>;
  save(token: StoredToken): Promise<void>;
  /** A fresh token; `failed` is the token WeChat refused (40001/42001): replaced unless another instance already did. */
  refresh(failed?: string): Promise<StoredToken>;
  /** The stored token's state as every instance sees it, for staff. */
  health(): Promise<TokenHealth>;
}

export interface TokenHealth {
  /** A token is stored and has not expired. */
  ok: boolean;
  expiresAt?: string;
  /** Why the latest fetch failed, when it did and no fetch has succeeded since. */
  lastError?: string;
}

export class WechatTokenError extends Error {
  constructor(
    readonly errcode: number | undefined,
    message: string,
  ) {
    super(message);
    this.name = 'WechatTokenError';
  }
}

/** Refresh this long before expiry (stable_token renews its token 5 minutes before expiry). */
const marginMs = 5 * 60_000;
// Errors /cgi-bin/token would answer the same way (configuration, whitelist, quota, busy): no second try.
const noFallback = new Set([-1, 40013, 40125, 40164, 45009, 45011]);

export function createAccessTokenStore(o: {
  db: Db;
  appId: string;
  secret: string;
  apiBase: string;
  log: Logger;
  timeoutMs?: number;
}): AccessTokenStore {
  let cached: StoredToken | null = null;
  const valid = (t: StoredToken | null): t is StoredToken => t !== null && t.expireTime - marginMs > Date.now();

  const readRow = async (db: Db) => {
    const row = await db
      .selectFrom('wechat_access_tokens')
      .select(['access_token', 'expires_at'])
      .where('appid', '=', o.appId)
      .executeTakeFirst();
    return row?.access_token && row.expires_at
      ? { accessToken: row.access_token, expireTime: new Date(row.expires_at).getTime() }
      : null;
  };
  const write = async (db: Db, t: StoredToken) => {
    await db
      .insertInto('wechat_access_tokens')
      .values({
        appid: o.appId,
        access_token: t.accessToken,
        expires_at: new Date(t.expireTime),
        updated_at: new Date(),
      })
      .onConflict((oc) =>
        oc.column('appid').doUpdateSet({
          access_token: t.accessToken,
          expires_at: new Date(t.expireTime),
          updated_at: new Date(),
          last_error: null,
          last_error_at: null,
        }),
      )
      .execute();
  };
  // Outside the refresh transaction, which the failure rolls back; the stored token, if any, is kept.
  const recordError = async (err: unknown) => {
    const message = (err instanceof Error ? err.message : String(err)).slice(0, 500);
    await o.db
      .insertInto('wechat_access_tokens')
      .values({ appid: o.appId, updated_at: new Date(), last_error: message, last_error_at: new Date() })
      .onConflict((oc) => oc.column('appid').doUpdateSet({ last_error: message, last_error_at: new Date() }))
      .execute()
      .catch((e: unknown) => o.log.warn({ err: e }, 'could not record the WeChat access token error'));
  };

  const call = async (path: string, init: RequestInit): Promise<StoredToken> => {
    const res = await fetch(o.apiBase + path, { ...init, signal: AbortSignal.timeout(o.timeoutMs ?? 10_000) });
    // Messages name the endpoint without its query, which carries the AppSecret.
    const endpoint = path.split('?')[0];
    if (!res.ok) throw new WechatTokenError(undefined, `${endpoint} answered HTTP ${res.status}`);
    const body = (await res.json()) as {
      access_token?: unknown;
      expires_in?: unknown;
      errcode?: unknown;
      errmsg?: unknown;
    };
    if (typeof body.access_token === 'string' && typeof body.expires_in === 'number') {
      return { accessToken: body.access_token, expireTime: Date.now() + body.expires_in * 1000 };
    }
    const code = typeof body.errcode === 'number' ? body.errcode : undefined;
    throw new WechatTokenError(code, `${endpoint} refused: ${String(body.errcode)} ${String(body.errmsg)}`);
  };
  // `force`: WeChat refused the token. Without force_refresh stable_token hands back the same token while it has not
  // expired in WeChat's eyes, so the refused one would come straight back; forced, it issues a new one (a forced
  // refresh is limited per day, which the lock and the re-check above keep to one per refused token).
  const fetchToken = async (force: boolean): Promise<StoredToken> => {
    try {
      return await call('/cgi-bin/stable_token', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          grant_type: 'client_credential',
          appid: o.appId,
          secret: o.secret,
          force_refresh: force,
        }),
      });
    } catch (err) {
      if (err instanceof WechatTokenError && err.errcode !== undefined && noFallback.has(err.errcode)) throw err;
      o.log.warn({ err }, 'stable_token failed; fetching the access token with /cgi-bin/token');
      const q = new URLSearchParams({ grant_type: 'client_credential', appid: o.appId, secret: o.secret });
      return call(`/cgi-bin/token?${q}`, { method: 'GET' });
    }
  };

  const refreshUnderLock = async (failed: string | undefined): Promise<StoredToken> => {
    const token = await o.db
      .transaction()
      .execute(async (tx) => {
        await sql`select pg_advisory_xact_lock(hashtext(${'wechat-access-token:' + o.appId}))`.execute(tx);
        // Another instance may have refreshed while this one waited for the lock.
        const row = await readRow(tx);
        if (valid(row) && row.accessToken !== failed) return row;
        const fresh = await fetchToken(failed !== undefined);
        await write(tx, fresh);
        o.log.info({ appId: o.appId, replaced: failed !== undefined }, 'WeChat access token refreshed');
        return fresh;
      })
      .catch(async (err: unknown) => {
        await recordError(err);
        throw err;
      });
    cached = token;
    return token;
  };
  /** Refreshes under way in this instance, by the token they replace ('' for none). */
  const refreshing = new Map<string, Promise<StoredToken>>();

  const store: AccessTokenStore = {
    async read() {
      if (valid(cached)) return cached;
      const row = await readRow(o.db);
      cached = valid(row) ? row : null;
      return cached;
    },
    async save(t) {
      await write(o.db, t);
      cached = t;
    },
    refresh(failed) {
      // One refresh at a time per instance: each holds a pooled connection in its transaction for as long as WeChat
      // takes to answer, so a burst of sends finding the token expired would otherwise take the whole pool (the
      // gateway's intake included) and wait on the lock in line, one WeChat call after another.
      const key = failed ?? '';
      let running = refreshing.get(key);
      if (!running) {
        running = refreshUnderLock(failed).finally(() => refreshing.delete(key));
        refreshing.set(key, running);
      }
      return running;
    },
    async health() {
      const row = await o.db
        .selectFrom('wechat_access_tokens')
        .select(['access_token', 'expires_at', 'last_error'])
        .where('appid', '=', o.appId)
        .executeTakeFirst();
      const expires = row?.access_token && row.expires_at ? new Date(row.expires_at) : null;
      return {
        ok: expires !== null && expires.getTime() > Date.now(),
        ...(expires ? { expiresAt: expires.toISOString() } : {}),
        ...(row?.last_error ? { lastError: row.last_error } : {}),
      };
    },
  };
  return store;
}
