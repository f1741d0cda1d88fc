// Builds official-account pushes exactly as WeChat sends them: signed query string, plaintext or encrypted body with
// fresh timestamps, and posts them to a running gateway.
import { randomBytes } from 'node:crypto';
import { aesKeyOf, encryptMessage, pushSignature } from '../../gateway/channels/wechat-common/push-crypto.js';

export const OA = {
  appId: 'wx2c2769f8efd9abc2',
  secret: 'oa-app-secret-for-tests',
  token: 'spamtest',
  aesKey: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG',
  previousAesKey: 'ZYXWVUTSRQPONMLKJIHGFEDCBA9876543210zyxwvut',
  account: 'gh_10f6c3c3ac5a',
};

/** Gateway settings for a live official account whose API is faked by nock. */
export function oaEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    CHANNELS: 'wechat-oa',
    WECHAT_OA_APPID: OA.appId,
    WECHAT_OA_SECRET: OA.secret,
    WECHAT_OA_TOKEN: OA.token,
    WECHAT_OA_AES_KEY: OA.aesKey,
    WECHAT_API_BASE: 'https://api.weixin.qq.com',
    ...extra,
  };
}

let seq = 0;
/** A 64-bit MsgId beyond Number.MAX_SAFE_INTEGER, unique per call. */
export function msgId(): string {
  return (6054768590064713728n + BigInt(Date.now()) * 1000n + BigInt(seq++)).toString();
}

const cdata = (v: string) => `<![CDATA[${v}]]>`;

/** The plaintext push XML (strings in CDATA, numbers bare), as WeChat formats it. */
export function pushXml(fields: Record<string, string | number>): string {
  const inner = Object.entries(fields)
    .map(([k, v]) => `<${k}>${typeof v === 'number' || /^\d+$/.test(v) ? v : cdata(v)}</${k}>`)
    .join('\n');
  return `<xml><ToUserName>${cdata(OA.account)}</ToUserName>\n${inner}\n</xml>`;
}

export function textMessage(openid: string, content: string, id = msgId(), at = Math.floor(Date.now() / 1000)): string {
  return pushXml({ FromUserName: openid, CreateTime: at, MsgType: 'text', Content: content, MsgId: id });
}

export interface PushOptions {
  mode?: 'plain' | 'compatible' | 'safe';
  timestamp?: number;
  nonce?: string;
  aesKey?: string;
  appId?: string;
  token?: string;
}

/** The URL query and body WeChat would send for `xml`. */
export function signedPush(xml: string, o: PushOptions = {}): { query: string; body: string } {
  const mode = o.mode ?? 'safe';
  const timestamp = String(o.timestamp ?? Math.floor(Date.now() / 1000));
  const nonce = o.nonce ?? String(randomBytes(4).readUInt32BE(0));
  const token = o.token ?? OA.token;
  const q = new URLSearchParams({
    signature: pushSignature(token, timestamp, nonce),
    timestamp,
    nonce,
    openid: 'o-ignored',
  });
  if (mode === 'plain') return { query: q.toString(), body: xml };
  const encrypt = encryptMessage(aesKeyOf(o.aesKey ?? OA.aesKey), xml, o.appId ?? OA.appId);
  q.set('encrypt_type', 'aes');
  q.set('msg_signature', pushSignature(token, timestamp, nonce, encrypt));
  const envelope = `<xml><ToUserName>${cdata(OA.account)}</ToUserName><Encrypt>${cdata(encrypt)}</Encrypt></xml>`;
  if (mode === 'safe') return { query: q.toString(), body: envelope };
  return { query: q.toString(), body: xml.replace('</xml>', `<Encrypt>${cdata(encrypt)}</Encrypt></xml>`) };
}

export async function postPush(baseUrl: string, xml: string, o: PushOptions = {}): Promise<Response> {
  const { query, body } = signedPush(xml, o);
  return fetch(`${baseUrl}/wechat/oa?${query}`, { method: 'POST', headers: { 'content-type': 'text/xml' }, body });
}
