// What the web mailbox's routes use: the gateway's services (with the channel's own tables typed in), the mailbox
// directory the mini-program uses too, the SMS path, OAuth, static assets, and what needs the database's secret.
import type { Kysely } from 'kysely';
import type { GatewayServices } from '../../services.js';
import type { Database } from '../../store/tables.js';
import type { MailboxDirectory } from '../../mp/mailboxes.js';
import type { Codes } from './codes.js';
import type { Oauth } from './oauth.js';
import type { WebSessions } from './session.js';
import type { SmsPath } from './sms-path.js';
import type { WebTables } from './tables.js';

export interface WebDeps extends GatewayServices {
  /** The same database, with the web channel's own tables typed in. */
  webDb: Kysely<Database & WebTables>;
  mailboxes: MailboxDirectory;
  sms: SmsPath;
  oauth: Oauth;
  assets: ReadonlyMap<string, { type: string; body: Buffer }>;
  /** Sessions and codes need the shared secret, read once from the database. */
  ready(): Promise<{ sessions: WebSessions; codes: Codes }>;
}
