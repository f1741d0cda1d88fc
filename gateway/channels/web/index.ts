// The web mailbox channel (网页版, /web/): citizens pick a mailbox, write, verify their phone by SMS code and submit
// through the core's intake; receipts, replies and surveys reach them by SMS (route `sms` of this channel, through
// the SMS channel's sending path) with a link to the letter's page, where they read the timeline and answer the survey.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ChannelAdapter, ChannelModule } from '../adapter.js';
import type { GatewayServices } from '../../services.js';
import { sharedSecret } from '../../store/secrets.js';
import { createMailboxDirectory, readMailboxFile, sampleMailboxFile } from '../../mp/mailboxes.js';
import { createCodes } from './codes.js';
import type { WebDeps } from './deps.js';
import { createOauth } from './oauth.js';
import { webRoutes } from './routes.js';
import { createWebSessions } from './session.js';
import { createSmsPath } from './sms-path.js';
import type { WebTables } from './tables.js';
import { webTemplates } from './templates.js';
import { webTemplateRoutes } from './template-routes.js';
import { webSimulatedCitizen } from './simulated-citizen.js';
import { messages } from './messages.zh-CN.js';

const asset = (name: string, type: string) =>
  [name, { type, body: readFileSync(fileURLToPath(new URL(`./static/${name}`, import.meta.url))) }] as const;

export function createWebChannel(s: GatewayServices): ChannelAdapter {
  const db = s.db.withTables<WebTables>();
  const sms = createSmsPath(s);
  let secret: Promise<string> | undefined;
  let ready: ReturnType<WebDeps['ready']> | undefined;
  const d: WebDeps = {
    ...s,
    webDb: db,
    mailboxes: createMailboxDirectory(s.db),
    sms,
    assets: new Map([asset('web.css', 'text/css; charset=utf-8'), asset('web.js', 'text/javascript; charset=utf-8')]),
    oauth: createOauth(s.config, s.log, () => s.publicBaseUrl()),
    ready() {
      ready ??= (async () => {
        secret ??= sharedSecret(s.db, 'web-session');
        const key = await secret;
        const sessions = createWebSessions(key, s.config.WEB_SESSION_HOURS, s.pii);
        const codes = createCodes(db, sessions.mac, {
          ttlSeconds: s.config.WEB_CODE_TTL_SECONDS,
          resendSeconds: s.config.WEB_CODE_RESEND_SECONDS,
          perPhonePerDay: s.config.WEB_CODES_PER_PHONE_PER_DAY,
          perAddressPerHour: s.config.WEB_CODES_PER_ADDRESS_PER_HOUR,
          maxAttempts: s.config.WEB_CODE_MAX_ATTEMPTS,
        });
        return { sessions, codes };
      })();
      // A failed first read (database briefly away) is tried again by the next request.
      ready.catch(() => {
        ready = undefined;
        secret = undefined;
      });
      return ready;
    },
  };
  return {
    channel: 'web',
    mode: sms.mode,
    // Always SMS, to the verified phone the letter was written with.
    planRoutes: async () => ['sms'],
    send: (m) => sms.send(m),
    routes: webTemplateRoutes,
    // In the sandbox, staff play a citizen with a verified phone; live, the simulator is not offered.
    ...(sms.mode === 'sandbox' ? { simulatedCitizen: webSimulatedCitizen(d) } : {}),
    mount(router) {
      webRoutes(router, d);
    },
    defineJobs(jobs) {
      jobs.define('web-purge', async () => {
        await (await d.ready()).codes.purge();
        await db
          .deleteFrom('web_drafts')
          .where('created_at', '<', new Date(Date.now() - 7 * 86_400_000))
          .execute();
      });
      void jobs.every('1 hour', 'web-purge');
    },
    async start() {
      await s.templates.seed(webTemplates());
      // The directory is the mini-program's; a gateway serving only the web channel loads the sample once.
      if (!(await s.db.selectFrom('mailboxes').select('id').limit(1).executeTakeFirst())) {
        await d.mailboxes.load(
          readMailboxFile(s.config.MP_MAILBOXES_FILE ?? sampleMailboxFile),
          s.config.MP_MAILBOXES_FILE ? 'file' : 'sample',
        );
      }
    },
  };
}

/** The channel as the registry lists it. */
export const webChannel: ChannelModule = { create: createWebChannel, routes: webTemplateRoutes, messages };
