// What the mini-program's routes and adapter share: the gateway services they use and the WeChat client (absent in
// sandbox mode, where no AppID is configured).
import type { GatewayServices } from '../../services.js';
import type { MpWechatApi } from './wechat-api.js';
import type { MailboxDirectory } from './mailboxes.js';

export type MpDeps = Pick<GatewayServices, 'config' | 'db' | 'log' | 'intake' | 'attachments' | 'templates' | 'wakeup'> & {
  api: MpWechatApi | null;
  mailboxes: MailboxDirectory;
};
