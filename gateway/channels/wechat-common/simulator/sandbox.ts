// A sandboxed WeChat channel's connection: its development app, the shared token store and WeChat client of the live
// code pointed at the simulator in this gateway (built on the first call, once the port is known), and the
// simulator's routes. The base URL names the delivery being sent so the simulator files each call under it.
import type Router from '@koa/router';
import type { GatewayServices } from '../../../services.js';
import { simulatorBase } from '../../sandbox/simulation.js';
import { createAccessTokenStore, type AccessTokenStore } from '../token-store.js';
import { createWechatApiClient, type WechatApiClient } from '../api-client.js';
import { countingRefreshes } from '../token-metrics.js';
import { developmentApp } from './credentials.js';
import { mountWechatSimulator, type SimulatedApp } from './routes.js';

export interface SandboxWechat {
  app(): Promise<SimulatedApp>;
  /** The simulator's base URL (read per call). */
  apiBase(): string;
  tokens(): Promise<AccessTokenStore>;
  client: WechatApiClient;
  mount(router: Router): void;
}

export function sandboxWechat(s: GatewayServices, channel: string, appId?: string): SandboxWechat {
  const app = developmentApp(s.db, channel, appId);
  const apiBase = simulatorBase(() => s.selfUrl(), 'wechat');
  let built: Promise<{ tokens: AccessTokenStore; client: WechatApiClient }> | undefined;
  const build = async () => {
    const a = await app();
    const tokens = countingRefreshes(
      createAccessTokenStore({
        db: s.db,
        appId: a.appId,
        secret: a.secret,
        get apiBase() {
          return apiBase();
        },
        log: s.log,
      }),
      s.metrics,
      channel,
    );
    const client = createWechatApiClient({
      appId: a.appId,
      secret: a.secret,
      get apiBase() {
        return apiBase();
      },
      tokens,
    });
    return { tokens, client };
  };
  const get = () => (built ??= build());
  return {
    app,
    apiBase,
    tokens: async () => (await get()).tokens,
    client: {
      postJson: async (path, body) => (await get()).client.postJson(path, body),
      token: async (failed) => (await get()).client.token(failed),
    },
    mount: (router) => mountWechatSimulator(router, s.db, channel, app),
  };
}
