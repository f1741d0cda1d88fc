// The WeChat mini-program channel: the subscribe-message adapter (the sandbox adapter records messages instead when
// no AppID/secret is configured), its access token, and the app backend (gateway/mp/) mounted with the WeChat calls.
import type { ChannelAdapter } from '../adapter.js';
import type { GatewayServices } from '../../services.js';
import { createSandboxAdapter } from '../sandbox/index.js';
import { createMpWechatApi } from './wechat-api.js';
import { createAccessTokenStore } from '../wechat-common/token-store.js';
import { createMpOutbound } from './outbound.js';
import { citizenFacingError } from './wechat-errors.js';
import { countingRefreshes } from '../wechat-common/token-metrics.js';
import { createMpApp } from '../../mp/index.js';
import { mpRoutes } from './template-routes.js';
import { aesKeyOf } from '../wechat-common/push-crypto.js';
import { mpPushRoutes } from './push.js';

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
  const adapter = api ? createMpOutbound(app.deps, api) : createSandboxAdapter('wechat-mp', s.db, ['subscribe']);
  return {
    ...adapter,
    routes: mpRoutes,
    // The app shows the letter's messages; a phone is trusted for SMS only once the citizen verified it in the app.
    showsMessagesInApp: true,
    requiresVerifiedPhone: true,
    ...(tokens ? { health: async () => ({ token: await tokens.health() }) } : {}),
    mount(router) {
      app.mount(router);
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
