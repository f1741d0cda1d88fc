// What the composition root builds once and hands to every part of the gateway: channels, routes and jobs take
// what they need from here instead of importing singletons or reading the environment.
import type pg from 'pg';
import type { Config } from '../config/settings.js';
import type { Db } from './store/db.js';
import type { Logger } from './observability/logger.js';
import type { Metrics } from './observability/metrics.js';
import type { Intake } from './letters/intake.js';
import type { TemplateStore } from './templates/store.js';
import type { Wakeup } from './jobs/wakeup.js';
import type { Scheduler } from './jobs/scheduler.js';
import type { CaseStoreClient } from './casestore/client.js';
import type { Conversation } from './conversation/types.js';
import type { AttachmentStore } from './attachments/store.js';
import type { PiiService } from './privacy/pii-service.js';

export interface GatewayServices {
  config: Config;
  db: Db;
  pool: pg.Pool;
  log: Logger;
  metrics: Metrics;
  intake: Intake;
  templates: TemplateStore;
  wakeup: Wakeup;
  scheduler: Scheduler;
  caseStore: CaseStoreClient;
  /** Official-account and SMS messages in: channels register themselves and hand their parsed messages over. */
  conversation: Conversation;
  attachments: AttachmentStore;
  /** Encryption of citizens' phone numbers and names at rest, and their lookup hashes. */
  pii: PiiService;
  /** Where citizens and the case store reach this gateway (signed links). Known once the server listens. */
  publicBaseUrl(): string;
  /** This instance's own address (127.0.0.1 and its port): the sandbox's provider simulators are reached there. */
  selfUrl(): string;
}
