// The web mailbox's migrations, gathered by channels/migrations.ts. A migration's name is its identity in the database:
// never renamed.
import type { Migration } from 'kysely';
import * as webMailbox from './0810-web-mailbox.js';

export const webMigrations: Record<string, Migration> = {
  '0810-web-mailbox': webMailbox,
};
