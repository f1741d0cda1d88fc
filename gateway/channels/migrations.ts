// Every channel's migrations, gathered for the store, as settings.ts gathers their settings. A channel keeps its
// migrations in its folder's migrations/ (exported by its index.ts there); those files import nothing but migrations,
// so the store loads this list without loading any channel code. Folder → its migrations by name.
import type { Migration } from 'kysely';
import { wechatCommonMigrations } from './wechat-common/migrations/index.js';
import { wechatOaMigrations } from './wechat-oa/migrations/index.js';
import { wechatMpMigrations } from './wechat-mp/migrations/index.js';
import { smsMigrations } from './sms/migrations/index.js';
import { webMigrations } from './web/migrations/index.js';
import { sandboxMigrations } from './sandbox/migrations/index.js';

export const channelMigrations: Readonly<Record<string, Readonly<Record<string, Migration>>>> = {
  'wechat-common': wechatCommonMigrations,
  'wechat-oa': wechatOaMigrations,
  'wechat-mp': wechatMpMigrations,
  sms: smsMigrations,
  web: webMigrations,
  sandbox: sandboxMigrations,
};
