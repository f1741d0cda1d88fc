// Tables shared by the WeChat channels: access tokens, one row per AppID.
import type { Timestamp } from '../../store/column-types.js';

export interface WechatAccessTokensTable {
  appid: string;
  /** Null while no fetch has succeeded yet. */
  access_token: string | null;
  expires_at: Timestamp | null;
  updated_at: Timestamp;
  /** Why the latest fetch failed; cleared by the next successful one. */
  last_error: string | null;
  last_error_at: Timestamp | null;
}

export interface WechatCommonTables {
  wechat_access_tokens: WechatAccessTokensTable;
}

// The channel's tables join Kysely's `Database` from here (declaration merging), so the core never names the channel.
declare module '../../store/tables.js' {
  interface Database extends WechatCommonTables {}
}
