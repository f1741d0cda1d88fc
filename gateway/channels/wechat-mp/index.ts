// The WeChat mini-program channel: the `/mp/…` API the app talks to (mounted in live and sandbox mode alike) and the
// subscribe-message adapter (the sandbox adapter records messages instead when no AppID/secret is configured).
import type Router from '@koa/router';
import type { ChannelAdapter } from '../adapter.js';
import type { GatewayServices } from '../../services.js';
import { createSandboxAdapter } from '../sandbox/index.js';
import { createMpWechatApi } from './wechat-api.js';
import { createAccessTokenStore } from '../wechat-common/token-store.js';
import { createMailboxDirectory, readMailboxFile, sampleMailboxFile } from './mailboxes.js';
import { createMpOutbound } from './outbound.js';
import type { MpDeps } from './deps.js';
import { purgeSessions, requireSession, sessionOf, sessionRoutes } from './session.js';
import { uploadRoutes } from './uploads.js';
import { letterRoutes } from './letters.js';
import { queryRoutes } from './query.js';
import { consentRoutes } from './consent.js';
import { mailboxRoutes } from './mailbox-routes.js';
import { satisfactionRoutes } from './satisfaction.js';
import { purgeRateLimits } from './rate-limit.js';
import { fetchCaseStoreMailboxes } from './mailbox-sync.js';
import { countingRefreshes } from '../wechat-common/token-metrics.js';
import { aesKeyOf } from '../wechat-common/push-crypto.js';
import { mpPushRoutes } from '../../mp/push.js';
import { retryMediaChecks, startMediaCheck, type MediaCheckDeps } from '../../mp/media-check.js';
import { messageRoutes } from '../../mp/messages.js';
import { followupRoutes } from '../../mp/followups.js';

export function createWechatMpChannel(s: GatewayServices): ChannelAdapter {
  const sandbox = s.config.sandbox.channels.includes('wechat-mp');
  const tokens = sandbox
    ? null
    : countingRefreshes(
        createAccessTokenStore({ db: s.db, appId: s.config.WECHAT_MP_APPID!, secret: s.config.WECHAT_MP_SECRET!, apiBase: s.config.WECHAT_API_BASE, log: s.log }),
        s.metrics,
        'wechat-mp',
      );
  const api = tokens
    ? createMpWechatApi({ appid: s.config.WECHAT_MP_APPID!, secret: s.config.WECHAT_MP_SECRET!, baseUrl: s.config.WECHAT_API_BASE, tokens })
    : null;
  const d: MpDeps = { ...s, api, mailboxes: createMailboxDirectory(s.db) };
  const adapter = api ? createMpOutbound(d, api) : createSandboxAdapter('wechat-mp', s.db, ['subscribe']);
  // Photos are checked only when WeChat can push the verdict back (a push URL with its Token is configured).
  const pushToken = s.config.WECHAT_MP_PUSH_TOKEN;
  const mediaChecks: MediaCheckDeps | null = api && pushToken ? { db: s.db, log: s.log, attachments: s.attachments, api } : null;

  /** The case store's directory when it offers one, else the file; while the case store is unreachable, what is loaded stays. */
  const refreshMailboxes = async (atStart: boolean) => {
    let remote: unknown = null;
    if (s.config.CASE_STORE_URL && s.config.CASE_STORE_SECRET) {
      remote = await fetchCaseStoreMailboxes({ baseUrl: s.config.CASE_STORE_URL, secret: s.config.CASE_STORE_SECRET, timeoutMs: s.config.CASE_STORE_TIMEOUT_MS })
        .catch((err: unknown) => {
          s.log.warn({ err }, 'mailbox directory not refreshed from the case store');
          return undefined;
        });
    }
    if (remote) {
      // A directory that does not match the expected shape must not stop the gateway: keep what is loaded.
      const n = await d.mailboxes.load(remote, 'case-store').catch((err: unknown) => {
        s.log.warn({ err }, 'the case store answered GET /mailboxes with an invalid directory; keeping the current one');
        return undefined;
      });
      if (n !== undefined) {
        s.log.info({ mailboxes: n }, 'mailbox directory loaded from the case store');
        return;
      }
      remote = undefined;
    }
    if (!atStart) return;
    // The case store is unreachable right now: keep the directory we have, if any.
    if (remote === undefined && (await s.db.selectFrom('mailboxes').select('id').limit(1).executeTakeFirst())) return;
    const file = s.config.MP_MAILBOXES_FILE ?? sampleMailboxFile;
    const n = await d.mailboxes.load(readMailboxFile(file), s.config.MP_MAILBOXES_FILE ? 'file' : 'sample');
    s.log.info({ mailboxes: n, file }, 'mailbox directory loaded from a file');
  };
  return {
    ...adapter,
    ...(tokens ? { health: async () => ({ token: await tokens.health() }) } : {}),
    mount(router: Router) {
      const auth = requireSession(d);
      sessionRoutes(router, d);
      mailboxRoutes(router, d);
      uploadRoutes(router, d, auth, mediaChecks ? (id) => void startMediaCheck(mediaChecks, id) : undefined);
      if (pushToken && s.config.WECHAT_MP_APPID) {
        mpPushRoutes(router, {
          db: s.db, log: s.log, token: pushToken, appId: s.config.WECHAT_MP_APPID,
          aesKeys: s.config.WECHAT_MP_AES_KEY ? [aesKeyOf(s.config.WECHAT_MP_AES_KEY)] : [],
          windowSeconds: s.config.WECHAT_OA_REPLAY_WINDOW_SECONDS, maxBodyBytes: s.config.WECHAT_OA_MAX_BODY_BYTES,
        });
      }
      letterRoutes(router, d, auth);
      queryRoutes(router, d, auth);
      consentRoutes(router, d, auth);
      satisfactionRoutes(router, d, auth);
      messageRoutes(router, s.db, auth, (ctx) => sessionOf(ctx).openid);
      followupRoutes(router, s, auth, (ctx) => sessionOf(ctx).openid);
    },
    defineJobs(jobs) {
      // Idempotent (one load under an advisory lock), so the default short lock is enough even if a run is slow.
      jobs.define('wechat-mp-mailboxes', () => refreshMailboxes(false));
      if (s.config.CASE_STORE_URL) void jobs.every('1 hour', 'wechat-mp-mailboxes');
      jobs.define('wechat-mp-purge', async () => {
        await purgeSessions(d);
        await purgeRateLimits(s.db);
      });
      void jobs.every('1 hour', 'wechat-mp-purge');
      if (mediaChecks) {
        jobs.define('wechat-mp-media-check', () => retryMediaChecks(mediaChecks).then(() => undefined));
        void jobs.every('5 minutes', 'wechat-mp-media-check');
      }
    },
    async start() {
      await refreshMailboxes(true);
    },
  };
}
