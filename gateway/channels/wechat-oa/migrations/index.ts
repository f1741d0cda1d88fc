// The official account's migrations (with the WeChat access-token table it created), gathered by
// channels/migrations.ts. A migration's name is its identity in the database: never renamed.
import type { Migration } from 'kysely';
import * as wechatOa from './0200-wechat-oa.js';

export const wechatOaMigrations: Record<string, Migration> = {
  '0200-wechat-oa': wechatOa,
};
