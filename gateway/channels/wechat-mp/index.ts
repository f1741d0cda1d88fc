// The WeChat mini-program channel: the `/mp/…` API the app talks to (mounted in live and sandbox mode alike) and the
// subscribe-message adapter (the sandbox adapter records messages instead when no AppID/secret is configured).
import type Router from '@koa/router';
import type { ChannelAdapter } from '../adapter.js';
import type { GatewayServices } from '../../services.js';
import { createSandboxAdapter } from '../sandbox/index.js';
import { createMpWechatApi } from './wechat-api.js';
import { createDbTokenStore } from './token-store.js';
import { createMailboxDirectory, readMailboxFile, sampleMailboxFile } from './mailboxes.js';
import { createMpOutbound } from './outbound.js';
import type { MpDeps } from './deps.js';
import { purgeSessions, requireSession, sessionRoutes } from './session.js';
import { uploadRoutes } from './uploads.js';
import { letterRoutes } from './letters.js';
import { queryRoutes } from './query.js';
import { consentRoutes } from './consent.js';
import { mailboxRoutes } from './mailbox-routes.js';
import { purgeRateLimits } from './rate-limit.js';

export function createWechatMpChannel(s: GatewayServices): ChannelAdapter {
  const sandbox = s.config.sandbox.channels.includes('wechat-mp');
  const api = sandbox
    ? null
    : createMpWechatApi({
        appid: s.config.WECHAT_MP_APPID!,
        secret: s.config.WECHAT_MP_SECRET!,
        baseUrl: s.config.WECHAT_API_BASE,
        tokens: createDbTokenStore(s.db, s.config.WECHAT_MP_APPID!),
      });
  const d: MpDeps = { ...s, api, mailboxes: createMailboxDirectory(s.db) };
  const adapter = api ? createMpOutbound(d, api) : createSandboxAdapter('wechat-mp', s.db, ['subscribe']);
  return {
    ...adapter,
    mount(router: Router) {
      const auth = requireSession(d);
      sessionRoutes(router, d);
      mailboxRoutes(router, d);
      uploadRoutes(router, d, auth);
      letterRoutes(router, d, auth);
      queryRoutes(router, d, auth);
      consentRoutes(router, d, auth);
    },
    defineJobs(jobs) {
      jobs.define('wechat-mp-purge', async () => {
        await purgeSessions(d);
        await purgeRateLimits(s.db);
      });
      void jobs.every('1 hour', 'wechat-mp-purge');
    },
    async start() {
      const file = s.config.MP_MAILBOXES_FILE ?? sampleMailboxFile;
      const n = await d.mailboxes.load(readMailboxFile(file), s.config.MP_MAILBOXES_FILE ? 'file' : 'sample');
      s.log.info({ mailboxes: n, file }, 'mini-program mailbox directory loaded');
    },
  };
}
