// The mini-program channel's tables: sessions, consent credits, the mailbox directory, verified phones, uploads, rate limits.
import type { ColumnType, Generated } from 'kysely';
import type { Timestamp } from '../../store/column-types.js';

export interface MpSessionsTable {
  token_hash: string;
  openid: string;
  unionid: string | null;
  created_at: Timestamp;
  expires_at: Timestamp;
  last_seen_at: Timestamp;
}

export interface MpConsentsTable {
  openid: string;
  template_id: string;
  credits: number;
  updated_at: Timestamp;
}

export interface MpConsentResultsTable {
  id: Generated<string>;
  openid: string;
  template_id: string;
  result: string;
  at: Timestamp;
}

export interface MailboxesTable {
  id: string;
  parent_id: string | null;
  name: string;
  level: string;
  region_code: string | null;
  region_name: string | null;
  /** 市委书记信箱 / 市长信箱 / 市级部门 / 区（市）县 / 乡镇（街道） for the statistics (migration 0830). */
  office_level: ColumnType<string | null, string | null | undefined, string | null>;
  sort: number;
  source: string;
  updated_at: Timestamp;
}

export interface MpPhonesTable {
  openid: string;
  phone: string;
  verified_at: Timestamp;
}

export interface MpUploadsTable {
  id: string;
  openid: string;
  attachment_id: string;
  content_type: string;
  bytes: number;
  sha256: string;
  created_at: Timestamp;
}

export interface MpRateLimitsTable {
  bucket: string;
  window_start: Timestamp;
  count: number;
}

export interface WechatMpTables {
  mp_sessions: MpSessionsTable;
  mp_consents: MpConsentsTable;
  mp_consent_results: MpConsentResultsTable;
  mailboxes: MailboxesTable;
  mp_phones: MpPhonesTable;
  mp_uploads: MpUploadsTable;
  mp_rate_limits: MpRateLimitsTable;
}
