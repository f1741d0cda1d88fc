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
  plan: Json<PlanStep[]> | null;
  plan_step: Generated<number>;
}

/** One route of a delivery plan: which channel, which of its routes, and the citizen's address there. */
export interface PlanStep {
  channel: string;
  route: string;
  recipient: string;
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
  channel: string | null;
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

export type StaffRole = 'admin' | 'operator' | 'viewer';

export interface StaffTable {
  id: string;
  username: string;
  display_name: string;
  role: StaffRole;
  password_hash: string;
  created_at: Timestamp;
  password_changed_at: Timestamp;
  disabled_at: Timestamp | null;
}

export interface StaffSessionsTable {
  token_hash: string;
  staff_id: string;
  csrf_token: string;
  created_at: Timestamp;
  last_seen_at: Timestamp;
  expires_at: Timestamp;
  ip: string | null;
  user_agent: string | null;
}

export interface LoginAttemptsTable {
  id: Generated<string>;
  username: string;
  ip: string;
  at: Timestamp;
  success: boolean;
}

export interface AuditLogTable {
  id: Generated<string>;
  at: Timestamp;
  staff_id: string | null;
  staff_username: string;
  action: string;
  target_type: string;
  target_id: string | null;
  before: Json | null;
  after: Json | null;
  ip: string | null;
}

export interface DeliveryResendsTable {
  original_id: string;
  resend_id: string;
  staff_id: string | null;
  at: Timestamp;
}

/** `failed`: set aside after handling it failed repeatedly, so the sender's later messages are not held up. */
export type ConversationMessageState = 'pending' | 'command' | 'draft' | 'failed';
export type MediaState = 'pending' | 'stored' | 'missing';

export interface ConversationMessagesTable {
  id: Generated<string>;
  channel: string;
  sender_id: string;
  provider_message_id: string;
  received_at: Timestamp;
  type: string;
  /** The InboundMessage as the channel handed it over. */
  message: Json<Record<string, unknown>>;
  state: ColumnType<ConversationMessageState, ConversationMessageState | undefined, ConversationMessageState>;
  /** For draft messages: `content` or `submit` (the submit word, kept as provenance but not as text). */
  role: 'content' | 'submit' | null;
  draft_id: string | null;
  media_state: MediaState | null;
  media_attempts: Generated<number>;
  media_next_at: Timestamp | null;
  /** AttachmentRef when stored, `{ reason }` when missing. */
  media_result: Json<Record<string, unknown>> | null;
  error: string | null;
  created_at: Timestamp;
}

export interface ConversationSendersTable {
  channel: string;
  sender_id: string;
  due_at: Timestamp | null;
  lease_until: Timestamp | null;
  inbox_version: Generated<string>;
  /** Consecutive failed passes over this sender. */
  failures: Generated<number>;
}

export type DraftState = 'open' | 'closing' | 'submitting' | 'submitted' | 'failed';

export interface ConversationDraftsTable {
  id: string;
  channel: string;
  sender_id: string;
  state: ColumnType<DraftState, DraftState | undefined, DraftState>;
  opened_at: Timestamp;
  quiet_until: Timestamp;
  close_requested_at: Timestamp | null;
  closed_at: Timestamp | null;
  letter_id: string | null;
  error: string | null;
}

export interface ConversationCommandEventsTable {
  id: Generated<string>;
  channel: string;
  sender_id: string;
  action: string;
  at: Timestamp;
}

export interface CitizenPreferencesTable {
  channel: string;
  citizen_id: string;
  opted_out_at: Timestamp | null;
  updated_at: Timestamp;
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

export interface CaseEventsTable {
  id: string;
  seq: Generated<string>;
  letter_id: string | null;
  type: string;
  payload: Json<Record<string, unknown>>;
  state: ColumnType<'pending' | 'sent' | 'rejected', 'pending' | undefined, 'pending' | 'sent' | 'rejected'>;
  attempts: Generated<number>;
  next_attempt_at: Timestamp;
  last_error: string | null;
  created_at: Timestamp;
  sent_at: Timestamp | null;
}

export interface LetterStatusHistoryTable {
  id: Generated<string>;
  letter_id: string;
  status: LetterStatus;
  note: string | null;
  at: Timestamp;
}

export interface SurveysTable {
  id: string;
  letter_id: string;
  channel: string;
  recipient: string;
  trigger: 'final_reply' | 'closed' | 'api';
  state: ColumnType<'open' | 'answered' | 'expired', 'open' | undefined, 'open' | 'answered' | 'expired'>;
  created_at: Timestamp;
  expires_at: Timestamp;
  remind_at: Timestamp | null;
  reminded_at: Timestamp | null;
  score: number | null;
  reason: string | null;
  reopen: boolean | null;
  answered_at: Timestamp | null;
  answer_channel: string | null;
  expired_at: Timestamp | null;
}

export interface SmsUplinksTable {
  id: Generated<string>;
  provider: string;
  dedup_key: string | null;
  phone: string | null;
  content: string | null;
  sent_at: Timestamp | null;
  sent_at_raw: string | null;
  status: 'accepted' | 'rejected';
  reason: string | null;
  payload: Json;
  received_at: Generated<Date>;
}

export interface SmsReportsTable {
  id: Generated<string>;
  provider: string;
  dedup_key: string | null;
  delivery_id: string | null;
  provider_message_id: string | null;
  phone: string | null;
  outcome: 'delivered' | 'failed' | null;
  error_code: string | null;
  applied_at: Timestamp | null;
  status: 'accepted' | 'rejected';
  reason: string | null;
  payload: Json;
  received_at: Generated<Date>;
}

export interface SmsUncertainSendsTable {
  delivery_id: string;
  phone: string;
  since: Generated<Date>;
}

export interface SmsRateBucketsTable {
  second: string;
  sends: number;
}

export interface SmsDailyCountsTable {
  phone: string;
  day: string;
  sends: number;
}

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
  staff: StaffTable;
  staff_sessions: StaffSessionsTable;
  login_attempts: LoginAttemptsTable;
  audit_log: AuditLogTable;
  delivery_resends: DeliveryResendsTable;
  conversation_messages: ConversationMessagesTable;
  conversation_senders: ConversationSendersTable;
  conversation_drafts: ConversationDraftsTable;
  conversation_command_events: ConversationCommandEventsTable;
  citizen_preferences: CitizenPreferencesTable;
  attachments: AttachmentsTable;
  gateway_secrets: GatewaySecretsTable;
  case_events: CaseEventsTable;
  letter_status_history: LetterStatusHistoryTable;
  surveys: SurveysTable;
  sms_uplinks: SmsUplinksTable;
  sms_reports: SmsReportsTable;
  sms_uncertain_sends: SmsUncertainSendsTable;
  sms_rate_buckets: SmsRateBucketsTable;
  sms_daily_counts: SmsDailyCountsTable;
  mp_sessions: MpSessionsTable;
  mp_consents: MpConsentsTable;
  mp_consent_results: MpConsentResultsTable;
  mailboxes: MailboxesTable;
  mp_phones: MpPhonesTable;
  mp_uploads: MpUploadsTable;
  mp_rate_limits: MpRateLimitsTable;
  wechat_access_tokens: WechatAccessTokensTable;
  wechat_oa_nonces: WechatOaNoncesTable;
  wechat_oa_events: WechatOaEventsTable;
  wechat_oa_followers: WechatOaFollowersTable;
  wechat_oa_consents: WechatOaConsentsTable;
}
