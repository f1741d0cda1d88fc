// Opened from the official account's menu, the page asks WeChat for the citizen's openid silently (OAuth scope
// `snsapi_base`: no consent screen) and records it beside the letter. Never required: any failure just goes on.
// https://developers.weixin.qq.com/doc/offiaccount/OA_Web_Apps/Wechat_webpage_authorization.html
import type { Context } from 'koa';
import type { Config } from '../../../config/settings.js';
import type { Logger } from '../../observability/logger.js';
import type { WebSessions } from './session.js';

export const OAUTH_AUTHORIZE = 'https://open.weixin.qq.com/connect/oauth2/authorize';

/** Only our own pages are redirect targets (no open redirect). */
export function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/web\/[A-Za-z0-9/_?=&.%-]*$/.test(next) && !next.startsWith('//')
    ? next
    : '/web/';
}

export function createOauth(config: Config, log: Logger, publicBaseUrl: () => string) {
  const enabled = Boolean(config.WECHAT_OA_APPID && config.WECHAT_OA_SECRET);
  return {
    /** The WeChat authorize URL to send this request to first, or null (not in WeChat, not configured, already tried). */
    redirectFor(ctx: Context, sessions: WebSessions): string | null {
      if (!enabled || ctx.method !== 'GET' || !/MicroMessenger/i.test(ctx.get('user-agent'))) return null;
      if (sessions.openidOf(ctx) !== null) return null;
      const back = `${publicBaseUrl()}/web/oauth?next=${encodeURIComponent(safeNext(ctx.originalUrl))}`;
      const q = new URLSearchParams({
        appid: config.WECHAT_OA_APPID!,
        redirect_uri: back,
        response_type: 'code',
        scope: 'snsapi_base',
        state: 'web',
      });
      return `${OAUTH_AUTHORIZE}?${q.toString()}#wechat_redirect`;
    },
    /** The callback: trades the code for the openid; remembers '' when that fails so the citizen is not sent round again. */
    async callback(ctx: Context, sessions: WebSessions): Promise<string> {
      const code =
        typeof ctx.query.code === 'string' && /^[A-Za-z0-9_-]{1,128}$/.test(ctx.query.code) ? ctx.query.code : null;
      let openid = '';
      if (enabled && code) {
        const q = new URLSearchParams({
          appid: config.WECHAT_OA_APPID!,
          secret: config.WECHAT_OA_SECRET!,
          code,
          grant_type: 'authorization_code',
        });
        try {
          const r = await fetch(`${config.WECHAT_API_BASE}/sns/oauth2/access_token?${q.toString()}`, {
            signal: AbortSignal.timeout(5000),
          });
          const body = (await r.json()) as { openid?: unknown; errcode?: unknown };
          if (typeof body.openid === 'string' && /^[A-Za-z0-9_-]{1,128}$/.test(body.openid)) openid = body.openid;
          else log.warn({ errcode: body.errcode }, 'official account OAuth gave no openid');
        } catch (err) {
          log.warn({ err }, 'official account OAuth failed; the page goes on without an openid');
        }
      }
      sessions.rememberOpenid(ctx, openid);
      return safeNext(ctx.query.next);
    },
  };
}

export type Oauth = ReturnType<typeof createOauth>;
