// The mini-program channel's migrations (its access token), gathered by channels/migrations.ts; the app backend's
// tables are the core's (store/migrations/). A migration's name is its identity in the database: never renamed.
import type { Migration } from 'kysely';
import * as mpSharedToken from './0401-mp-shared-token.js';

export const wechatMpMigrations: Record<string, Migration> = {
  '0401-mp-shared-token': mpSharedToken,
};
