// The shared WeChat code's migrations (the access-token table), gathered by channels/migrations.ts. A migration's name
// is its identity in the database: never renamed.
import type { Migration } from 'kysely';
import * as wechatTokenErrors from './0201-wechat-token-errors.js';

export const wechatCommonMigrations: Record<string, Migration> = {
  '0201-wechat-token-errors': wechatTokenErrors,
};
