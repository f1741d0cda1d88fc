// The provider simulators' tables (migration 0940): calls the live adapters made to a simulated provider, and the
// refusals staff switched on. They join Kysely's `Database` from here (declaration merging).
import type { Generated } from 'kysely';
import type { Json, Timestamp } from '../../store/column-types.js';

export interface SandboxProviderCallsTable {
  id: Generated<string>;
  /** The delivery the call carried, when the adapter sent one (null for token fetches and lookups). */
  delivery_id: string | null;
  channel: string;
  /** `wechat` or `aliyun`. */
  provider: string;
  /** The API path (WeChat) or action (Aliyun) called. */
  action: string;
  /** openid or phone as the provider received it (in clear: this stands in for the provider's side of the wire). */
  recipient: string | null;
  /** WeChat template_id or Aliyun TemplateCode. */
  template: string | null;
  request: Json;
  answer: Json;
  /** `0`/`OK` for a success, else the errcode or Code. */
  code: string;
  /** The message as the citizen reads it, when the provider accepted it. */
  shown: string | null;
  /** The delivery report the provider pushed back (Aliyun). */
  report: Json | null;
  /** A delivery report not pushed yet (migration 0960), and when it is due (again, while a push is under way). */
  report_pending: Json | null;
  report_due_at: Timestamp | null;
  created_at: Timestamp;
}

export interface SandboxRefusalsTable {
  channel: string;
  kind: string;
  set_by: string;
  set_at: Timestamp;
}

export interface SandboxProviderTables {
  sandbox_provider_calls: SandboxProviderCallsTable;
  sandbox_refusals: SandboxRefusalsTable;
}

declare module '../../store/tables.js' {
  interface Database extends SandboxProviderTables {}
}
