// Where the gateway keeps rows about one citizen outside their letters, by the column holding the citizen's id
// (E.164 phone or openid): what an export lists and an erasure deletes. Secrets (session token hashes) are left out
// of exports. A feature adding a table with a citizen's id adds one line here.
export interface CitizenTable {
  table: string;
  column: string;
  /** Columns shown in an export; all when absent. */
  columns?: string[];
}

export const citizenTables: CitizenTable[] = [
  { table: 'conversation_messages', column: 'sender_id' },
  { table: 'conversation_drafts', column: 'sender_id' },
  { table: 'conversation_senders', column: 'sender_id' },
  { table: 'conversation_command_events', column: 'sender_id' },
  { table: 'citizen_preferences', column: 'citizen_id' },
  { table: 'sms_uplinks', column: 'phone' },
  { table: 'sms_reports', column: 'phone' },
  { table: 'sms_uncertain_sends', column: 'phone' },
  { table: 'sms_daily_counts', column: 'phone' },
  {
    table: 'mp_sessions',
    column: 'openid',
    columns: ['openid', 'unionid', 'created_at', 'expires_at', 'last_seen_at'],
  },
  { table: 'mp_consents', column: 'openid' },
  { table: 'mp_consent_results', column: 'openid' },
  { table: 'mp_uploads', column: 'openid' },
  { table: 'mp_phones', column: 'openid' },
  { table: 'mp_phones', column: 'phone' },
  { table: 'wechat_oa_followers', column: 'openid' },
  { table: 'wechat_oa_consents', column: 'openid' },
  { table: 'wechat_oa_events', column: 'openid' },
  { table: 'sandbox_messages', column: 'recipient' },
  { table: 'sandbox_provider_calls', column: 'recipient' },
];
