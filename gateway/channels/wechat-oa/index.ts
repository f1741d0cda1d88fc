// The official-account channel: push endpoint in, customer-service/template/subscription messages out, with the
// access token shared through PostgreSQL. Without credentials the same code sends to the WeChat API simulated inside
// the gateway; the push endpoint is mounted whenever a push Token is configured.
import type Router from '@koa/router';
import type { ChannelAdapter, ChannelModule } from '../adapter.js';
import type { GatewayServices } from '../../services.js';
import { splitText } from '../../lib/text.js';
import { recordingSend } from '../sandbox/simulation.js';
import { sandboxWechat } from '../wechat-common/simulator/sandbox.js';
import { aesKeyOf } from '../wechat-common/push-crypto.js';
import { createAccessTokenStore } from '../wechat-common/token-store.js';
import { createWechatApiClient, type WechatApiClient } from '../wechat-common/api-client.js';
import { housekeeping, mountInbound, PUSH_PATH, type InboundDeps } from './inbound.js';
import { countVerificationFailures } from '../push-verification.js';
import { countingRefreshes } from '../wechat-common/token-metrics.js';
import { reserveCustoms, routeStates, windowFromMessages } from './followers.js';
import { coalesce } from '../../lib/coalesce.js';
import { sendOa } from './outbound.js';
import { fetchOaMedia } from './media.js';
import { oaRoutes } from './template-routes.js';
import { messages } from './messages.zh-CN.js';

/** Characters per customer-service text part: WeChat's text limit is 2048 bytes, Chinese takes 3 bytes each. */
export const OA_PART_CHARS = 600;

export function createWechatOaChannel(s: GatewayServices): ChannelAdapter {
  const c = s.config;
  const conversation = s.conversation;
  const events = { db: s.db, onQueued: () => s.wakeup.wake('deliveries') };
  const inbound: InboundDeps | undefined = c.WECHAT_OA_TOKEN
    ? {
        auth: {
          token: c.WECHAT_OA_TOKEN,
          appId: c.WECHAT_OA_APPID,
          aesKeys: [c.WECHAT_OA_AES_KEY, c.WECHAT_OA_PREVIOUS_AES_KEY]
            .filter((k): k is string => k !== undefined)
            .map(aesKeyOf),
          allowPlain: c.WECHAT_OA_ALLOW_PLAIN,
          windowSeconds: c.WECHAT_OA_REPLAY_WINDOW_SECONDS,
        },
        db: s.db,
        log: s.log,
        maxBodyBytes: c.WECHAT_OA_MAX_BODY_BYTES,
        maxTextChars: c.INTAKE_ITEM_MAX_CHARS,
        conversation,
        events,
      }
    : undefined;
  const shared = {
    routes: oaRoutes,
    replyParts: (text: string) => splitText(text, OA_PART_CHARS),
    ...(inbound
      ? {
          mount: (router: Router) => {
            router.use(PUSH_PATH, countVerificationFailures(s.metrics, 'wechat-oa'));
            mountInbound(router, inbound);
          },
          defineJobs: (jobs: Parameters<NonNullable<ChannelAdapter['defineJobs']>>[0]) => {
            jobs.define('wechat-oa-housekeeping', () => housekeeping(inbound, inbound.auth.windowSeconds), {
              lockLifetimeMs: 60_000,
            });
            void jobs.every('1 minute', 'wechat-oa-housekeeping');
          },
        }
      : {}),
  };

  // The dispatcher plans and sends dozens of messages at once: their window look-ups and reservations go together.
  const routeStateOf = coalesce((openids: string[]) => routeStates(s.db, openids));
  const reserve = coalesce((openids: string[]) => reserveCustoms(s.db, openids));
  // Surveys and notices to citizens who unfollowed are stopped by the dispatcher (the unfollow is an opt-out).
  const planRoutes = async (ctx: { recipient: string }) => {
    const state = await routeStateOf(ctx.recipient);
    const routes = state.customOpen ? ['custom', 'template'] : ['template'];
    return state.consent ? [...routes, 'subscribe'] : routes;
  };

  if (c.sandbox.channels.includes('wechat-oa') || !c.WECHAT_OA_APPID || !c.WECHAT_OA_SECRET) {
    // The live sending code, against the WeChat API simulated inside the gateway.
    conversation.registerChannel({ channel: 'wechat-oa', partChars: OA_PART_CHARS });
    const sim = sandboxWechat(s, 'wechat-oa', c.WECHAT_OA_APPID);
    return {
      channel: 'wechat-oa',
      mode: 'sandbox',
      ...shared,
      sandboxRefusals: ['window', 'consent', 'quota'],
      simulatedCitizen: { identity: 'openid', defaultId: 'o_simulated_citizen_01' },
      mount: (router: Router) => {
        shared.mount?.(router);
        sim.mount(router);
      },
      // Messages that reached the sandbox without a push (the console's simulator, tests) open the window a push would.
      planRoutes: async (ctx) => {
        await windowFromMessages(s.db, ctx.recipient);
        return planRoutes(ctx);
      },
      send: recordingSend(s.db, 'wechat-oa', (m) => sendOa(s.db, sim.client, m, c.WECHAT_MP_APPID, reserve)),
      health: async () => ({ token: await (await sim.tokens()).health() }),
    };
  }

  const tokens = countingRefreshes(
    createAccessTokenStore({
      db: s.db,
      appId: c.WECHAT_OA_APPID,
      secret: c.WECHAT_OA_SECRET,
      apiBase: c.WECHAT_API_BASE,
      log: s.log,
    }),
    s.metrics,
    'wechat-oa',
  );
  const client: WechatApiClient = createWechatApiClient({
    appId: c.WECHAT_OA_APPID,
    secret: c.WECHAT_OA_SECRET,
    apiBase: c.WECHAT_API_BASE,
    tokens,
  });
  const media = { apiBase: c.WECHAT_API_BASE, client, attachments: s.attachments, maxBytes: c.ATTACHMENT_MAX_BYTES };
  conversation.registerChannel({
    channel: 'wechat-oa',
    partChars: OA_PART_CHARS,
    fetchMedia: (m) => fetchOaMedia(media, m),
  });

  return {
    channel: 'wechat-oa',
    mode: 'live',
    ...shared,
    planRoutes,
    send: (m) => sendOa(s.db, client, m, c.WECHAT_MP_APPID, reserve),
    health: async () => ({ token: await tokens.health() }),
  };
}

/** The channel as the registry lists it. */
export const wechatOaChannel: ChannelModule = { create: createWechatOaChannel, routes: oaRoutes, messages };
