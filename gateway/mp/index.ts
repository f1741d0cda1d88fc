// The mini-program's app backend: the `/mp/…` API the app talks to (sessions, letters, uploads, query, consents,
// satisfaction, the mailbox directory, the pickers' topics and regions, the message centre, follow-ups, the public letters board) and its jobs (incl. WeChat's photo checks). Mounted by the wechat-mp channel in live and sandbox mode alike;
// the channel hands in the WeChat calls the app needs (none in sandbox mode).
import type Router from '@koa/router';
import type { GatewayServices } from '../services.js';
import type { Scheduler } from '../jobs/scheduler.js';
import { createMailboxDirectory, readMailboxFile, sampleMailboxFile } from './mailboxes.js';
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
import { retryMediaChecks, startMediaCheck, type MediaCheckDeps } from './media-check.js';
import { messageRoutes } from './messages.js';
import { followupRoutes } from './followups.js';
import { classificationRoutes } from './classification-routes.js';
import { boardRoutes } from './board.js';

export interface MpApp {
  deps: MpDeps;
  mount(router: Router): void;
  defineJobs(jobs: Scheduler): void;
  start(): Promise<void>;
}

export function createMpApp(s: GatewayServices, wechat: Pick<MpDeps, 'api' | 'citizenFacingError'>): MpApp {
  const d: MpDeps = { ...s, ...wechat, mailboxes: createMailboxDirectory(s.db) };
  // Photos are checked only when WeChat can push the verdict back (a push URL with its Token is configured).
  const mediaChecks: MediaCheckDeps | null =
    d.api && s.config.WECHAT_MP_PUSH_TOKEN ? { db: s.db, log: s.log, attachments: s.attachments, api: d.api } : null;

  /** The case store's directory when it offers one, else the file; while the case store is unreachable, what is loaded stays. */
  const refreshMailboxes = async (atStart: boolean) => {
    let remote: unknown = null;
    if (s.config.CASE_STORE_URL && s.config.CASE_STORE_SECRET) {
      remote = await fetchCaseStoreMailboxes({
        baseUrl: s.config.CASE_STORE_URL,
        secret: s.config.CASE_STORE_SECRET,
        timeoutMs: s.config.CASE_STORE_TIMEOUT_MS,
      }).catch((err: unknown) => {
        s.log.warn({ err }, 'mailbox directory not refreshed from the case store');
        return undefined;
      });
    }
    if (remote) {
      // A directory that does not match the expected shape must not stop the gateway: keep what is loaded.
      const n = await d.mailboxes.load(remote, 'case-store').catch((err: unknown) => {
        s.log.warn(
          { err },
          'the case store answered GET /mailboxes with an invalid directory; keeping the current one',
        );
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
    deps: d,
    mount(router: Router) {
      const auth = requireSession(d);
      sessionRoutes(router, d);
      mailboxRoutes(router, d);
      classificationRoutes(router, d);
      uploadRoutes(router, d, auth, mediaChecks ? (id) => void startMediaCheck(mediaChecks, id) : undefined);
      letterRoutes(router, d, auth);
      queryRoutes(router, d, auth);
      consentRoutes(router, d, auth);
      satisfactionRoutes(router, d, auth);
      messageRoutes(router, s.db, auth, (ctx) => sessionOf(ctx).openid);
      followupRoutes(router, s, auth, (ctx) => sessionOf(ctx).openid);
      boardRoutes(router, s.db, auth);
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
