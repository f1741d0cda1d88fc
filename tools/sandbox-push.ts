// `npm run sandbox:push -- oa|sms "text" [--from <openid|phone>]`: sends one citizen message to a running development
// gateway exactly as the provider would — an official-account push signed (and, with an EncodingAESKey, encrypted)
// like WeChat's, or an Aliyun SMS uplink batch with the push token. Credentials come from the gateway's
// DATA_DIR/sandbox-push.json or from flags (--url, --token, --aes-key, --app-id, --mode plain|safe, --data-dir).
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { aesKeyOf, encryptMessage, pushSignature } from '../gateway/channels/wechat-common/push-crypto.js';
import { PUSH_CREDENTIALS_FILE, type PushCredentials } from '../gateway/channels/sandbox/push-credentials.js';

const usage =
  'usage: npm run sandbox:push -- oa|sms "text" [--from <openid|phone>] [--url http://127.0.0.1:8080] [--data-dir ./data] [--token …] [--aes-key …] [--app-id …] [--mode plain|safe]';

const { values: flags, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    from: { type: 'string' },
    url: { type: 'string' },
    'data-dir': { type: 'string' },
    token: { type: 'string' },
    'aes-key': { type: 'string' },
    'app-id': { type: 'string' },
    mode: { type: 'string' },
  },
});

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

function savedCredentials(): PushCredentials | undefined {
  const file = join(flags['data-dir'] ?? process.env.DATA_DIR ?? './data', PUSH_CREDENTIALS_FILE);
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as PushCredentials;
  } catch {
    return undefined;
  }
}

const cdata = (v: string) => `<![CDATA[${v}]]>`;

/** An official-account text push as WeChat sends it: signature over token/timestamp/nonce, msg_signature over the ciphertext too. */
function officialAccountPush(saved: PushCredentials | undefined, text: string): { url: string; init: RequestInit } {
  const base =
    flags.url ?? saved?.url ?? fail(`no running gateway found: start it (npm start) or pass --url\n${usage}`);
  const token =
    flags.token ??
    saved?.oa?.token ??
    fail('no official-account Token: pass --token (the gateway prints it at start-up)');
  const appId = flags['app-id'] ?? saved?.oa?.appId ?? 'wx0000000000000000';
  const aesKey = flags['aes-key'] ?? saved?.oa?.aesKey;
  const mode = flags.mode ?? (aesKey ? 'safe' : 'plain');
  if (mode !== 'plain' && mode !== 'safe') fail(`--mode must be plain or safe\n${usage}`);
  if (mode === 'safe' && !aesKey) fail('safe mode needs --aes-key (the EncodingAESKey)');
  const openid = flags.from ?? 'oSandboxNewcomer000000000001';
  const now = Math.floor(Date.now() / 1000);
  const msgId = (BigInt(now) * 1_000_000n + BigInt(randomBytes(2).readUInt16BE(0))).toString();
  const account = 'gh_sandbox00000';
  const xml = `<xml><ToUserName>${cdata(account)}</ToUserName>\n<FromUserName>${cdata(openid)}</FromUserName>\n<CreateTime>${now}</CreateTime>\n<MsgType>${cdata('text')}</MsgType>\n<Content>${cdata(text)}</Content>\n<MsgId>${msgId}</MsgId>\n</xml>`;
  const timestamp = String(now);
  const nonce = String(randomBytes(4).readUInt32BE(0));
  const q = new URLSearchParams({ signature: pushSignature(token, timestamp, nonce), timestamp, nonce, openid });
  let body = xml;
  if (mode === 'safe') {
    const encrypted = encryptMessage(aesKeyOf(aesKey!), xml, appId);
    q.set('encrypt_type', 'aes');
    q.set('msg_signature', pushSignature(token, timestamp, nonce, encrypted));
    body = `<xml><ToUserName>${cdata(account)}</ToUserName><Encrypt>${cdata(encrypted)}</Encrypt></xml>`;
  }
  const path = saved?.oa?.path ?? '/wechat/oa';
  return { url: `${base}${path}?${q}`, init: { method: 'POST', headers: { 'content-type': 'text/xml' }, body } };
}

/** An Aliyun uplink push: a JSON array of items, the token in the query string. */
function smsPush(saved: PushCredentials | undefined, text: string): { url: string; init: RequestInit } {
  const base =
    flags.url ?? saved?.url ?? fail(`no running gateway found: start it (npm start) or pass --url\n${usage}`);
  const token =
    flags.token ?? saved?.sms?.token ?? fail('no SMS push token: pass --token (the gateway prints it at start-up)');
  const phone = flags.from ?? '13800138000';
  // Aliyun's send_time is Beijing time, `yyyy-MM-dd HH:mm:ss`.
  const sendTime = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
  const item = {
    phone_number: phone,
    send_time: sendTime,
    content: text,
    dest_code: '1069',
    sequence_id: Date.now() * 1000 + randomBytes(1)[0]!,
  };
  const path = saved?.sms?.path ?? '/sms/aliyun/uplink';
  return {
    url: `${base}${path}?token=${encodeURIComponent(token)}`,
    init: { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify([item]) },
  };
}

async function main(): Promise<void> {
  const [channel, text] = positionals;
  if ((channel !== 'oa' && channel !== 'sms') || !text) fail(usage);
  const saved = savedCredentials();
  const { url, init } = channel === 'oa' ? officialAccountPush(saved, text) : smsPush(saved, text);
  const res = await fetch(url, init).catch((err: unknown) =>
    fail(`cannot reach the gateway: ${err instanceof Error ? err.message : String(err)}`),
  );
  const answer = await res.text();
  console.log(`${res.status} ${answer}`);
  if (!res.ok) process.exit(1);
}

void main();
