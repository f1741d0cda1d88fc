// The web mailbox's tables: letters being written (drafts, until submitted), phone verification codes, and the
// shared counters that rate-limit code requests per phone and per client address.
import type { Generated } from 'kysely';
import type { Json, Timestamp } from '../../store/column-types.js';

export interface WebDraftsTable {
  id: string;
  /** What the citizen wrote, already cleaned; the photos are attachment ids. */
  content: Json;
  /** The official account openid, when the page was opened from its menu (recorded, never required). */
  oa_openid: string | null;
  letter_id: string | null;
  created_at: Generated<Date>;
}

export interface WebPhoneCodesTable {
  /** Keyed hash of the E.164 phone: no phone is stored in clear. */
  phone_hash: string;
  code_hash: string;
  attempts: Generated<number>;
  sent_at: Timestamp;
  expires_at: Timestamp;
}

export interface WebRateCountsTable {
  key: string;
  window_start: Timestamp;
  hits: number;
}

export type WebTables = {
  web_drafts: WebDraftsTable;
  web_phone_codes: WebPhoneCodesTable;
  web_rate_counts: WebRateCountsTable;
};
