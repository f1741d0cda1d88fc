// The official account's tables: push nonces, events, followers (48-hour window and quota), consents.
import type { Generated } from 'kysely';
import type { Timestamp, Json } from '../../store/column-types.js';

export interface WechatOaNoncesTable {
  nonce: string;
  timestamp: string;
  body_sha256: string;
  seen_at: Timestamp;
}

export interface WechatOaEventsTable {
  id: Generated<string>;
  dedup_key: string;
  openid: string;
  event: string;
  payload: Json;
  received_at: Timestamp;
  processed_at: Timestamp | null;
  error: string | null;
}

export interface WechatOaFollowersTable {
  openid: string;
  subscribed: Generated<boolean>;
  window_until: Timestamp;
  quota_left: Generated<number>;
  last_message_at: Timestamp | null;
  updated_at: Timestamp;
}

export interface WechatOaConsentsTable {
  openid: string;
  template_id: string;
  status: string;
  updated_at: Timestamp;
}

export interface WechatOaTables {
  wechat_oa_nonces: WechatOaNoncesTable;
  wechat_oa_events: WechatOaEventsTable;
  wechat_oa_followers: WechatOaFollowersTable;
  wechat_oa_consents: WechatOaConsentsTable;
}

// The channel's tables join Kysely's `Database` from here (declaration merging), so the core never names the channel.
declare module '../../store/tables.js' {
  interface Database extends WechatOaTables {}
}
