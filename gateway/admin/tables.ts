// The staff console's tables: staff accounts, their sessions and login attempts, the audit log, resent deliveries.
import type { Generated } from 'kysely';
import type { Timestamp, Json } from '../store/column-types.js';

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
  /** null while the password is being compared: a reserved attempt, counted as a failure until it succeeds. */
  success: boolean | null;
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
  /** Why a staff member looked at or exported personal data; required for reveal, export and erasure. */
  reason: Generated<string | null>;
}

export interface DeliveryResendsTable {
  original_id: string;
  resend_id: string;
  staff_id: string | null;
  at: Timestamp;
}

/** `failed`: set aside after handling it failed repeatedly, so the sender's later messages are not held up. */

export interface AdminTables {
  staff: StaffTable;
  staff_sessions: StaffSessionsTable;
  login_attempts: LoginAttemptsTable;
  audit_log: AuditLogTable;
  delivery_resends: DeliveryResendsTable;
}
