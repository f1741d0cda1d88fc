// The SMS channel's tables: stored uplinks and reports, uncertain sends, shared rate and daily-cap counters. Every
// `phone` column holds the citizen's token (`pid_…`, privacy/pii-ids.ts), never the number: protect.ts swaps it in
// (and in dedup keys and raw items) before a push is stored; outbound.ts turns it back into the number to send.
import type { Generated } from 'kysely';
import type { Timestamp, Json } from '../../store/column-types.js';

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
  /** The item as the provider sent it (JSON text), when cleaning changed it; null otherwise. */
  raw_text: string | null;
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

export interface SmsTables {
  sms_uplinks: SmsUplinksTable;
  sms_reports: SmsReportsTable;
  sms_uncertain_sends: SmsUncertainSendsTable;
  sms_rate_buckets: SmsRateBucketsTable;
  sms_daily_counts: SmsDailyCountsTable;
}

// The channel's tables join Kysely's `Database` from here (declaration merging), so the core never names the channel.
declare module '../../store/tables.js' {
  interface Database extends SmsTables {}
}
