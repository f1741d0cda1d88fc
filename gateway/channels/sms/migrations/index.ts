// The SMS channel's migrations, gathered by channels/migrations.ts. A migration's name is its identity in the database:
// never renamed.
import type { Migration } from 'kysely';
import * as sms from './0300-sms.js';
import * as rawUplinkText from './0600-raw-uplink-text.js';
import * as smsPii from './0921-sms-pii.js';

export const smsMigrations: Record<string, Migration> = {
  '0300-sms': sms,
  '0600-raw-uplink-text': rawUplinkText,
  '0921-sms-pii': smsPii,
};
