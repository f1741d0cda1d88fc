// Kysely's view of the database: the core tables here, each feature's tables in its own folder (`tables.ts` beside
// its code), all combined into `Database`. A feature that adds tables in a migration adds their interfaces there and
// its interface to the `extends` list below; a channel adds its own to `Database` from its folder (declaration
// merging in its `tables.ts`), so the core never names a channel.
import type { ColumnType, Generated } from 'kysely';
import type { Letter } from '../../shared/letter.js';
import type { Json, Timestamp } from './column-types.js';
import type { AdminTables } from '../admin/tables.js';
import type { ConversationTables } from '../conversation/tables.js';
import type { WechatMpTables } from '../mp/tables.js';
import type { ClassificationTables } from '../classification/tables.js';
import type { FiguresTables } from '../figures/tables.js';
import type { RegistrationTables } from '../registrations/tables.js';

export type * from '../admin/tables.js';
export type * from '../conversation/tables.js';
export type * from '../mp/tables.js';
export type * from '../registrations/tables.js';

export type LetterStatus = 'received' | 'accepted' | 'in_progress' | 'replied' | 'closed' | 'rejected';
/** `external`: registered by the case store itself (it already has the letter), so never forwarded. */
export type ForwardState = 'pending' | 'forwarded' | 'rejected' | 'external';
export type DeliveryStatus = 'queued' | 'sending' | 'sent' | 'delivered' | 'failed' | 'fallback';

export interface LettersTable {
  id: string;
  channel: string;
  citizen_id: string;
  status: ColumnType<LetterStatus, LetterStatus | undefined, LetterStatus>;
  forward_state: ColumnType<ForwardState, ForwardState | undefined, ForwardState>;
  forward_attempts: Generated<number>;
  next_forward_at: Timestamp;
  /** Equal to next_forward_at while the letter waits out a back-off (not a claim's lease). */
  forward_backoff_until: Timestamp | null;
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
  /** When the retention job or an erasure replaced the citizen's personal fields (privacy/retention.ts). */
  pseudonymised_at: Generated<Date | null>;
  /** Keyed hash of the citizen's phone (the phone itself is encrypted in `body`), for lookups by phone. */
  citizen_phone_hash: Generated<string | null>;
  /** The phone's last four digits, for staff searching by what a caller reads out (migration 0922). */
  citizen_phone_tail: Generated<string | null>;
  /** Topic code (classification taxonomy), GB/T 2260 region code and how they were found (migration 0830). */
  topic: Maybe<string>;
  region_code: Maybe<string>;
  topic_inferred: Maybe<boolean>;
  region_inferred: Maybe<boolean>;
  classification_evidence: ColumnType<object | null, string | null | undefined, string | null>;
  /** What only the case store knows: handling department, deadline, resolution; replied_at set by a trigger. */
  department: Maybe<string>;
  deadline_at: Maybe<Date, Date | string>;
  resolved: Maybe<boolean>;
  replied_at: Maybe<Date, Date | string>;
}

/** A nullable column that inserts may leave out. */
type Maybe<T, W = T> = ColumnType<T | null, W | null | undefined, W | null>;

export interface SourceMessagesTable {
  id: Generated<string>;
  channel: string;
  provider_message_id: string;
  letter_id: string;
  type: string;
  received_at: Timestamp;
  payload: Json;
  payload_purged_at: Generated<Date | null>;
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
  body_purged_at: Generated<Date | null>;
  /** A held message about the draft that began with this message: dropped unsent when a later step makes it pointless
   *  (outbox/deliveries.ts dropHeldMessages). */
  held_for_draft: Generated<string | null>;
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
  /** Created at start-up for one run without CORE_API_KEY; revoked at the next start. */
  development: Generated<boolean>;
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
  /** Equal to next_attempt_at while the event waits out a back-off (not a claim's lease). */
  backoff_until: Timestamp | null;
}

export interface LetterStatusHistoryTable {
  id: Generated<string>;
  letter_id: string;
  status: LetterStatus;
  note: string | null;
  at: Timestamp;
}

/** `withdrawn`: the case store took the survey back before it was answered (surveys/withdraw.ts). */
export type SurveyState = 'open' | 'answered' | 'expired' | 'withdrawn';

export interface SurveysTable {
  id: string;
  letter_id: string;
  channel: string;
  recipient: string;
  trigger: 'final_reply' | 'closed' | 'api';
  state: ColumnType<SurveyState, 'open' | undefined, SurveyState>;
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
  withdrawn_at: Timestamp | null;
  withdrawn_reason: string | null;
}

export interface Database
  extends AdminTables, ConversationTables, WechatMpTables, RegistrationTables, ClassificationTables, FiguresTables {
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
  case_events: CaseEventsTable;
  letter_status_history: LetterStatusHistoryTable;
  surveys: SurveysTable;
}
