// Where the mini-program's access_token lives: one row per AppID in PostgreSQL, so every instance uses the same token
// and one instance's refresh does not silently revoke another's. Kept behind this small interface so it can move to
// the shared WeChat token store without touching the callers.
import type { Db } from '../../store/db.js';

/** co-wechat-api's token shape: the token and its expiry in epoch milliseconds. */
export interface StoredToken {
  accessToken: string;
  expireTime: number;
}

export interface TokenStore {
  get(): Promise<StoredToken | null>;
  /** `null` drops the token WeChat refused (40001/42001), so the next call fetches a fresh one. */
  save(token: StoredToken | null): Promise<void>;
}

export function createDbTokenStore(db: Db, appid: string): TokenStore {
  return {
    async get() {
      const row = await db.selectFrom('mp_access_tokens').select(['access_token', 'expires_at']).where('appid', '=', appid).executeTakeFirst();
      return row ? { accessToken: row.access_token, expireTime: new Date(row.expires_at).getTime() } : null;
    },
    async save(token) {
      if (token === null) {
        await db.deleteFrom('mp_access_tokens').where('appid', '=', appid).execute();
        return;
      }
      const expires = new Date(token.expireTime);
      await db
        .insertInto('mp_access_tokens')
        .values({ appid, access_token: token.accessToken, expires_at: expires })
        .onConflict((oc) => oc.column('appid').doUpdateSet({ access_token: token.accessToken, expires_at: expires, updated_at: new Date() }))
        .execute();
    },
  };
}
