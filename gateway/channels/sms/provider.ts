// The SMS provider interface: everything vendor-specific (push shapes, acknowledgement, send API, error codes) sits
// behind it, one folder per provider under providers/. The channel code above it only sees these types.
import type Router from '@koa/router';
import type { Config } from '../../../config/settings.js';
import type { Db } from '../../store/db.js';
import type { Logger } from '../../observability/logger.js';

/** One uplink item parsed from a provider push; `problem` set means the item is recorded as rejected. */
export interface ParsedUplink {
  phone: string | null;
  content: string | null;
  /** Provider id of the message (Aliyun `sequence_id`), as a string. */
  messageId: string | null;
  sentAt: Date | null;
  sentAtRaw: string | null;
  problem?: string;
  raw: unknown;
}

export interface ParsedReport {
  phone: string | null;
  /** Our delivery id, echoed by the provider (Aliyun `out_id`). */
  deliveryId: string | null;
  /** The provider's send id (Aliyun `biz_id`). */
  providerMessageId: string | null;
  outcome: 'delivered' | 'failed' | null;
  errorCode: string | null;
  reportedAt: Date | null;
  reportedAtRaw: string | null;
  problem?: string;
  raw: unknown;
}

/** Parsing and acknowledging the provider's pushes; needs no credentials, so sandbox mode mounts it too. */
export interface SmsPushFormat {
  /** Items of an uplink push body (already JSON-parsed). */
  uplinks(body: unknown): ParsedUplink[];
  reports(body: unknown): ParsedReport[];
  /** The body the provider expects once every item is stored. */
  ack: Record<string, unknown>;
}

export interface SmsSendRequest {
  phone: string;
  signName: string;
  templateCode: string;
  params: Record<string, string>;
  /** Our delivery id, echoed in delivery reports and send-detail lookups. */
  outId: string;
}

export type SmsSendOutcome =
  | { outcome: 'accepted'; providerMessageId?: string }
  /** The provider never answered: the SMS may or may not have been sent. */
  | { outcome: 'unknown'; error: string }
  | { outcome: 'retry'; errorCode: string; error: string; retryAfterMs?: number }
  | { outcome: 'failed'; errorCode: string; error: string };

export type SmsLookup =
  | { found: false }
  | { found: true; status: 'sent' | 'delivered' | 'failed'; errorCode?: string; providerMessageId?: string };

/** The provider's send API, built from credentials. */
export interface SmsClient {
  send(req: SmsSendRequest): Promise<SmsSendOutcome>;
  /** Looks up a send by our out id (after a timeout), so a citizen never gets the same SMS twice. */
  lookup(q: { phone: string; outId: string; since: Date }): Promise<SmsLookup>;
}

export interface SmsProvider {
  /** Appears in push URLs: /sms/{name}/uplink, /sms/{name}/report. */
  name: string;
  push: SmsPushFormat;
  /** The default signature (签名) when a template does not name one. */
  defaultSignName(config: Config): string | undefined;
  createClient(config: Config): SmsClient;
  /** The provider simulated inside the gateway, which the live client talks to in sandbox mode. */
  simulator?: SmsSimulator;
}

export interface SmsSimulator {
  /** The settings (generated credentials, the simulator's URL under `selfUrl`) that point the client at it. */
  clientSettings(db: Db, selfUrl: string): Promise<Partial<Config>>;
  mount(
    router: Router,
    o: {
      db: Db;
      log: Logger;
      channel: string;
      /** The gateway's report push URL with its token, or undefined when no push token is set. */
      reportUrl: () => string | undefined;
      reportDelayMs: number;
      /** Template codes the operator configured in settings (e.g. the verification code's), approved as well. */
      configuredTemplates: readonly string[];
      /** The gateway's public address now: links in approved wording are approved for it. */
      publicBaseUrl: () => string;
    },
  ): { stop(): void };
}
