// The sandbox's migrations (provider simulators), gathered by channels/migrations.ts. A migration's name is its
// identity in the database: never renamed.
import type { Migration } from 'kysely';
import * as sandboxProviders from './0940-sandbox-providers.js';
import * as sandboxDueReports from './0960-sandbox-due-reports.js';

export const sandboxMigrations: Record<string, Migration> = {
  '0940-sandbox-providers': sandboxProviders,
  '0960-sandbox-due-reports': sandboxDueReports,
};
