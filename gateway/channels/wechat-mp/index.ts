// The WeChat mini-program channel: the subscribe-message adapter (against the WeChat API simulated inside the gateway
// when no AppID/secret is configured), its access token, and the app backend (gateway/mp/) mounted with the WeChat calls.
import type { ChannelAdapter, ChannelModule } from '../adapter.js';
import { letterKinds } from '../../../shared/letter.js';
import type { GatewayServices } from '../../services.js';
import { recordingSend } from '../sandbox/simulation.js';
import { sandboxWechat, type SandboxWechat } from '../wechat-common/simulator/sandbox.js';
import type { MpDeps } from '../../mp/deps.js';
import { createMpWechatApi } from './wechat-api.js';
import { createAccessTokenStore } from '../wechat-common/token-store.js';
import { createMpOutbound } from './outbound.js';
import { citizenFacingError } from './wechat-errors.js';
import { countingRefreshes } from '../wechat-common/token-metrics.js';
import { createMpApp } from '../../mp/index.js';
import { mpRoutes } from './template-routes.js';
import { aesKeyOf } from '../wechat-common/push-crypto.js';
import { mpPushRoutes } from './push.js';
import { messages } from './messages.zh-CN.js';

export function createWechatMpChannel(s: GatewayServices): ChannelAdapter {
  const sandbox = s.config.sandbox.channels.includes('wechat-mp');
  const tokens = sandbox
    ? null
    : countingRefreshes(
        createAccessTokenStore({
          db: s.db,
          appId: s.config.WECHAT_MP_APPID!,
          secret: s.config.WECHAT_MP_SECRET!,
          apiBase: s.config.WECHAT_API_BASE,
          log: s.log,
        }),
        s.metrics,
        'wechat-mp',
      );
  const api = tokens
    ? createMpWechatApi({
        appid: s.config.WECHAT_MP_APPID!,
        secret: s.config.WECHAT_MP_SECRET!,
        baseUrl: s.config.WECHAT_API_BASE,
        tokens,
      })
    : null;
  const app = createMpApp(s, { api, citizenFacingError });
  // In the sandbox the app keeps its development stand-ins (dev: login codes, no content check), while its messages take
  // the live subscribe-message code to the WeChat API simulated inside the gateway.
  const sim = sandbox ? sandboxWechat(s, 'wechat-mp') : null;
  const adapter: ChannelAdapter = api ? createMpOutbound(app.deps, api) : sandboxOutbound(s, app.deps, sim!);
  return {
    ...adapter,
    routes: mpRoutes,
    // The app shows the letter's messages; a phone is trusted for SMS only once the citizen verified it in the app.
    showsMessagesInApp: true,
    requiresVerifiedPhone: true,
    ...(tokens ? { health: async () => ({ token: await tokens.health() }) } : {}),
    ...(sim ? { health: async () => ({ token: await (await sim.tokens()).health() }) } : {}),
    mount(router) {
      app.mount(router);
      sim?.mount(router);
      // WeChat's message push for the mini-program (subscription switches, photo check verdicts): only with its Token.
      const pushToken = s.config.WECHAT_MP_PUSH_TOKEN;
      if (pushToken && s.config.WECHAT_MP_APPID) {
        mpPushRoutes(router, {
          db: s.db,
          log: s.log,
          token: pushToken,
          appId: s.config.WECHAT_MP_APPID,
          aesKeys: s.config.WECHAT_MP_AES_KEY ? [aesKeyOf(s.config.WECHAT_MP_AES_KEY)] : [],
          windowSeconds: s.config.WECHAT_OA_REPLAY_WINDOW_SECONDS,
          maxBodyBytes: s.config.WECHAT_OA_MAX_BODY_BYTES,
        });
      }
    },
    defineJobs: (jobs) => app.defineJobs(jobs),
    start: () => app.start(),
  };
}

/** The live subscribe-message adapter, its WeChat calls going to the simulator (the client is built on first use). */
function sandboxOutbound(s: GatewayServices, deps: MpDeps, sim: SandboxWechat): ChannelAdapter {
  let api: Promise<ReturnType<typeof createMpWechatApi>> | undefined;
  const connect = async () => {
    const a = await sim.app();
    return createMpWechatApi({
      appid: a.appId,
      secret: a.secret,
      get baseUrl() {
        return sim.apiBase();
      },
      tokens: await sim.tokens(),
    });
  };
  const lazy: Pick<ReturnType<typeof createMpWechatApi>, 'sendSubscribe'> = {
    sendSubscribe: async (m) => (await (api ??= connect())).sendSubscribe(m),
  };
  const live = createMpOutbound(deps, lazy);
  return {
    ...live,
    mode: 'sandbox',
    sandboxRefusals: ['consent', 'quota'],
    // A mini-program letter is written whole in the app's form, with any of the kinds.
    simulatedCitizen: { identity: 'openid', defaultId: 'o_simulated_citizen_01', kinds: letterKinds },
    send: recordingSend(s.db, 'wechat-mp', (m) => live.send(m)),
  };
}

/** The channel as the registry lists it. */
export const wechatMpChannel: ChannelModule = { create: createWechatMpChannel, routes: mpRoutes, messages };
