// The conversation module's tables: inbound messages, senders, drafts, command events, citizen preferences.
import type { ColumnType, Generated } from 'kysely';
import type { Timestamp, Json } from '../store/column-types.js';

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
  /** Incremented by every claim: a pass writes only while the sender still carries the number it claimed with. */
  claim: Generated<string>;
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
  /** `command` (the citizen's own 退订, lifted only by 订阅) or `unfollow` (lifted by following again). */
  opt_out_source: 'command' | 'unfollow' | null;
}

export interface ConversationTables {
  conversation_messages: ConversationMessagesTable;
  conversation_senders: ConversationSendersTable;
  conversation_drafts: ConversationDraftsTable;
  conversation_command_events: ConversationCommandEventsTable;
  citizen_preferences: CitizenPreferencesTable;
}
