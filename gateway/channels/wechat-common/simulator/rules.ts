// WeChat's server API as the sandbox simulates it: the rules each call is answered by, in one place, so the simulator
// answers like api.weixin.qq.com (HTTP 200, errcode/errmsg) and refuses what the real API refuses. Subscribe data is
// checked by the same field rules the staff console checks templates with (../template-fields.ts).
// https://developers.weixin.qq.com/doc/offiaccount/Getting_Started/Global_Return_Code.html
import { createHmac, timingSafeEqual } from 'node:crypto';
import { checkFieldValue } from '../template-fields.js';

export interface WechatAnswer {
  errcode: number;
  errmsg: string;
}

export const answers = {
  invalidAppid: { errcode: 40013, errmsg: 'invalid appid' },
  invalidSecret: { errcode: 40125, errmsg: 'invalid appsecret' },
  invalidToken: { errcode: 40001, errmsg: 'invalid credential, access_token is invalid or not latest' },
  expiredToken: { errcode: 42001, errmsg: 'access_token expired' },
  missingToken: { errcode: 41001, errmsg: 'access_token missing' },
  quota: { errcode: 45009, errmsg: 'reach max api daily quota limit' },
  window: { errcode: 45015, errmsg: 'response out of time limit or subscription is canceled' },
  windowCount: { errcode: 45047, errmsg: 'out of response count limit' },
  tooLong: { errcode: 45002, errmsg: 'content size out of limit' },
  consent: { errcode: 43101, errmsg: 'user refuse to accept the msg' },
  templateId: { errcode: 40037, errmsg: 'invalid template_id' },
  openid: { errcode: 40003, errmsg: 'invalid openid' },
  format: { errcode: 47001, errmsg: 'data format error' },
} satisfies Record<string, WechatAnswer>;

export const invalidArgument = (detail: string): WechatAnswer => ({
  errcode: 47003,
  errmsg: `argument invalid! ${detail}`,
});

/** Customer-service messages: 5 within 48 hours of the citizen's latest message. */
export const window = { ms: 48 * 3600_000, messages: 5 };
const tokenLifeMs = 7200_000;
const templateValueChars = 20;

/** WeChat renews a stable token 5 minutes before it expires: in those 5 minutes the old and the new one both work. */
const renewBeforeMs = 300_000;
/** Forced refreshes at most every 30 seconds; a sooner one does not refresh (and at most 20 a day, not simulated). */
export const forceRefreshSpacingMs = 30_000;

/**
 * Access tokens the simulator can check without keeping them: the AppID, the time of issue and a MAC under the
 * AppSecret. stable_token in normal mode hands back the token of the current period — periods start at the last forced
 * refresh (or the epoch) and last two hours less five minutes, so every token is handed out with at least 300 s left
 * and the previous one stays valid until its own expiry (WeChat's 5-minute overlap). A forced refresh starts a new
 * period now: its token is new, and every token issued before it stops working at once (40001), as WeChat documents.
 * https://developers.weixin.qq.com/doc/service/api/base/api_getstableaccesstoken.html
 */
export function issueToken(
  appid: string,
  secret: string,
  now: number,
  forcedAt: number | undefined,
): { token: string; expiresIn: number } {
  const base = forcedAt ?? 0;
  const period = tokenLifeMs - renewBeforeMs;
  const issued = base + Math.floor((now - base) / period) * period;
  return { token: tokenFor(appid, secret, issued), expiresIn: Math.floor((issued + tokenLifeMs - now) / 1000) };
}

/** Whether a force_refresh at `now` refreshes, given the last forced refresh. */
export const forceRefreshes = (now: number, forcedAt: number | undefined): boolean =>
  forcedAt === undefined || now - forcedAt >= forceRefreshSpacingMs;

const macOf = (appid: string, secret: string, issued: number) =>
  createHmac('sha256', secret).update(`${appid}.${issued}`).digest('base64url').slice(0, 32);
const tokenFor = (appid: string, secret: string, issued: number) =>
  `SIM.${Buffer.from(appid).toString('base64url')}.${issued}.${macOf(appid, secret, issued)}`;

/** What WeChat answers for a message call's token: 41001 when missing, 40001 when unknown or revoked, 42001 expired. */
export function tokenAnswer(
  token: string | undefined,
  issued: { expiresAt: number; revoked?: boolean } | undefined,
  now: number,
): WechatAnswer | null {
  if (!token) return answers.missingToken;
  if (!issued || issued.revoked) return answers.invalidToken;
  return issued.expiresAt > now ? null : answers.expiredToken;
}

/**
 * The AppID a token was issued to, or the answer WeChat gives for it; `forcedAtOf` gives the app's last forced
 * refresh, which revokes every token issued before it.
 */
export function checkToken(
  token: string | undefined,
  secretOf: (appid: string) => string | undefined,
  forcedAtOf: (appid: string) => number | undefined,
  now: number,
): { appid: string } | WechatAnswer {
  const issued = readToken(token, secretOf);
  const forcedAt = issued ? forcedAtOf(issued.appid) : undefined;
  const state = issued && {
    expiresAt: issued.issuedAt + tokenLifeMs,
    revoked: forcedAt !== undefined && issued.issuedAt < forcedAt,
  };
  return tokenAnswer(token, state, now) ?? { appid: issued!.appid };
}

/** A token's AppID and time of issue when its MAC is the simulator's own. */
export function readToken(
  token: string | undefined,
  secretOf: (appid: string) => string | undefined,
): { appid: string; issuedAt: number } | undefined {
  const [tag, app, issued, mac] = (token ?? '').split('.');
  if (tag !== 'SIM' || !app || !issued || !/^\d+$/.test(issued) || !mac) return undefined;
  const appid = Buffer.from(app, 'base64url').toString('utf8');
  const secret = secretOf(appid);
  if (!secret) return undefined;
  const expected = macOf(appid, secret, Number(issued));
  if (mac.length !== expected.length || !timingSafeEqual(Buffer.from(mac), Buffer.from(expected))) return undefined;
  return { appid, issuedAt: Number(issued) };
}

export type Data = Record<string, { value: string }>;

/** Template and subscribe data: `{ key: { value } }` with string values, else 47001. */
export function parseData(data: unknown): Data | WechatAnswer {
  if (!data || typeof data !== 'object' || Array.isArray(data)) return answers.format;
  const out: Data = {};
  for (const [k, v] of Object.entries(data as Record<string, unknown>)) {
    const value = v && typeof v === 'object' ? (v as { value?: unknown }).value : undefined;
    if (typeof value !== 'string') return answers.format;
    out[k] = { value };
  }
  return out;
}

/** A subscribe message's values against their key types' limits: the first bad one fails the send with 47003. */
export function checkSubscribeData(data: Data): WechatAnswer | null {
  for (const [key, { value }] of Object.entries(data)) {
    if (checkFieldValue(key, value)) return invalidArgument(`data.${key}.value invalid`);
  }
  return null;
}

/**
 * The customer-service window: `lastInteractionAt` is the citizen's latest message (or follow, scan, menu click),
 * `sentSince` the messages already accepted since then: 45015 outside 48 hours, 45047 after the fifth message.
 */
export function windowAnswer(
  lastInteractionAt: number | undefined,
  sentSince: number,
  now: number,
): WechatAnswer | null {
  if (lastInteractionAt === undefined || lastInteractionAt + window.ms < now) return answers.window;
  return sentSince >= window.messages ? answers.windowCount : null;
}

/** A mini-program subscribe send needs a consent not yet spent (one message per acceptance): else 43101. */
export const consentAnswer = (creditsLeft: number): WechatAnswer | null => (creditsLeft > 0 ? null : answers.consent);

/** A message call's request as WeChat checks it before anything else: the answer to give, or what the citizen reads. */
export type MessageCheck = { answer: WechatAnswer } | { touser: string; templateId?: string; shown: string };

export const MESSAGE_PATHS = {
  custom: '/cgi-bin/message/custom/send',
  template: '/cgi-bin/message/template/send',
  bizsend: '/cgi-bin/message/subscribe/bizsend',
  subscribe: '/cgi-bin/message/subscribe/send',
} as const;

/** The checks of the request itself (recipient, content, template id, data and its field limits) for each send. */
export function checkMessage(path: string, body: Record<string, unknown>): MessageCheck {
  const touser = typeof body.touser === 'string' && body.touser !== '' ? body.touser : undefined;
  if (!touser) return { answer: answers.openid };
  if (path === MESSAGE_PATHS.custom) {
    if (body.msgtype !== 'text') return { answer: invalidArgument('msgtype') };
    const text = (body.text as { content?: unknown } | undefined)?.content;
    if (typeof text !== 'string' || text === '') return { answer: answers.format };
    if (textTooLong(text)) return { answer: answers.tooLong };
    return { touser, shown: text };
  }
  if (typeof body.template_id !== 'string' || body.template_id === '') return { answer: answers.templateId };
  const data = parseData(body.data);
  if (isAnswer(data)) return { answer: data };
  if (path === MESSAGE_PATHS.template) return { touser, templateId: body.template_id, shown: shownTemplate(data) };
  const bad = checkSubscribeData(data);
  if (bad) return { answer: bad };
  return { touser, templateId: body.template_id, shown: shownData(data) };
}

/**
 * Template messages are not refused for overlong values: since 2023 WeChat shows each keyword value with at most 20
 * characters, cut with an ellipsis, so the citizen reads the cut value.
 */
export function shownTemplate(data: Data): string {
  const cut: Data = {};
  for (const [k, { value }] of Object.entries(data)) {
    const chars = [...value];
    cut[k] = { value: chars.length > templateValueChars ? `${chars.slice(0, templateValueChars).join('')}…` : value };
  }
  return shownData(cut);
}

/** What the citizen reads: the fields of a card, one per line, or a text. */
export const shownData = (data: Data): string =>
  Object.entries(data)
    .map(([k, v]) => `${k}: ${v.value}`)
    .join('\n');

/** The customer-service text limit is 2048 bytes. */
export const textTooLong = (text: string): boolean => Buffer.byteLength(text, 'utf8') > 2048;

export const isAnswer = (v: unknown): v is WechatAnswer =>
  v !== null && typeof v === 'object' && typeof (v as { errcode?: unknown }).errcode === 'number';
