// Kysely's view of the database: one interface per table, combined into `Database`. A feature that adds tables in a
// migration adds their interfaces here.
import type { ColumnType, Generated, JSONColumnType } from 'kysely';
import type { Letter } from '../../shared/letter.js';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
// JSON columns are written as JSON text (JSON.stringify) and read back parsed.
type Json<T extends object | null = object | null> = JSONColumnType<T>;

export type LetterStatus = 'received' | 'accepted' | 'in_progress' | 'replied' | 'closed' | 'rejected';
export type ForwardState = 'pending' | 'forwarded' | 'rejected';
export type DeliveryStatus = 'queued' | 'sending' | 'sent' | 'delivered' | 'failed' | 'fallback';

export interface LettersTable {
  id: string;
  channel: string;
  citizen_id: string;
  status: ColumnType<LetterStatus, LetterStatus | undefined, LetterStatus>;
  forward_state: ColumnType<ForwardState, ForwardState | undefined, ForwardState>;
  forward_attempts: Generated<number>;
  next_forward_at: Timestamp;
  last_forward_error: string | null;
  stuck_at: Timestamp | null;
  rejected_reason: string | null;
  serial: string | null;
  case_id: string | null;
  extraction_code: string;
  body: Json<Letter>;
  received_at: Timestamp;
  created_at: Timestamp;
  forwarded_at: Timestamp | null;
  status_changed_at: Timestamp;
}

export interface SourceMessagesTable {
  id: Generated<string>;
  channel: string;
  provider_message_id: string;
  letter_id: string;
  type: string;
  received_at: Timestamp;
  payload: Json;
}

export interface ForwardAttemptsTable {
  id: Generated<string>;
  letter_id: string;
  at: Timestamp;
  outcome: 'accepted' | 'retry' | 'rejected';
  http_status: number | null;
  error: string | null;
  duration_ms: number;
}

export interface DeliveriesTable {
  id: string;
  seq: Generated<string>;
  letter_id: string | null;
  channel: string;
  recipient: string;
  kind: string;
  template_key: string;
  variables: Json<Record<string, string>>;
  requires_serial: Generated<boolean>;
  status: ColumnType<DeliveryStatus, DeliveryStatus | undefined, DeliveryStatus>;
  route: string | null;
  template_version: number | null;
  rendered: Json | null;
  provider_message_id: string | null;
  attempts: Generated<number>;
  last_error: string | null;
  next_attempt_at: Timestamp;
  created_at: Timestamp;
  updated_at: Timestamp;
  sent_at: Timestamp | null;
}

export interface DeliveryAttemptsTable {
  id: Generated<string>;
  delivery_id: string;
  at: Timestamp;
  route: string;
  outcome: string;
  provider_message_id: string | null;
  error_code: string | null;
  error: string | null;
}

export interface TemplatesTable {
  id: Generated<string>;
  channel: string;
  template_key: string;
  route: string;
  version: number;
  enabled: Generated<boolean>;
  content: Json<Record<string, unknown>>;
  source: 'default' | 'file' | 'staff';
  created_at: Timestamp;
  created_by: string | null;
}

export interface ApiKeysTable {
  id: string;
  name: string;
  key_hash: string;
  scopes: string[];
  created_at: Timestamp;
  last_used_at: Timestamp | null;
  revoked_at: Timestamp | null;
}

export interface IdempotencyRecordsTable {
  principal: string;
  key: string;
  request_hash: string;
  status_code: number;
  response: Json;
  created_at: Timestamp;
}

export interface SandboxMessagesTable {
  id: Generated<string>;
  delivery_id: string | null;
  channel: string;
  route: string;
  recipient: string;
  payload: Json;
  created_at: Timestamp;
}

export interface SandboxCaseLettersTable {
  letter_id: string;
  serial: string;
  letter: Json;
  received_at: Timestamp;
  deliveries: Generated<number>;
}

export interface SandboxCaseEventsTable {
  idempotency_key: string;
  event: Json;
  received_at: Timestamp;
}

export interface AttachmentsTable {
  id: string;
  sha256: string;
  content_type: string;
  bytes: number;
  data: Buffer;
  created_at: Timestamp;
}

export interface GatewaySecretsTable {
  name: string;
  value: string;
  created_at: Timestamp;
}

export interface WechatAccessTokensTable {
  appid: string;
  access_token: string;
  expires_at: Timestamp;
  updated_at: Timestamp;
}

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

export interface WechatOaInboxTable {
  provider_message_id: string;
  openid: string;
  type: string;
  message: Json;
  received_at: Timestamp;
}

export interface Database {
  letters: LettersTable;
  source_messages: SourceMessagesTable;
  forward_attempts: ForwardAttemptsTable;
  deliveries: DeliveriesTable;
  delivery_attempts: DeliveryAttemptsTable;
  templates: TemplatesTable;
  api_keys: ApiKeysTable;
  idempotency_records: IdempotencyRecordsTable;
  sandbox_messages: SandboxMessagesTable;
  sandbox_case_letters: SandboxCaseLettersTable;
  sandbox_case_events: SandboxCaseEventsTable;
  attachments: AttachmentsTable;
  gateway_secrets: GatewaySecretsTable;
  wechat_access_tokens: WechatAccessTokensTable;
  wechat_oa_nonces: WechatOaNoncesTable;
  wechat_oa_events: WechatOaEventsTable;
  wechat_oa_followers: WechatOaFollowersTable;
  wechat_oa_consents: WechatOaConsentsTable;
  wechat_oa_inbox: WechatOaInboxTable;
}
