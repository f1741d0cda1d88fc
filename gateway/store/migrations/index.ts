// The ordered list of migrations. Names sort in the order they run; each channel or feature adds its own file and
// one line here.
import type { Migration } from 'kysely';
import * as foundation from './0001-foundation.js';
import * as attachments from './0002-attachments.js';
import * as wechatOa from './0200-wechat-oa.js';
import * as wechatOaInbox from './0201-wechat-oa-inbox.js';

export const migrations: Record<string, Migration> = {
  '0001-foundation': foundation,
  '0002-attachments': attachments,
  '0200-wechat-oa': wechatOa,
  '0201-wechat-oa-inbox': wechatOaInbox,
};
