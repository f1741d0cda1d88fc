// Development push credentials: in development, a sandboxed official account or SMS channel without its push secrets
// gets generated ones (kept in the database, so they survive restarts), so that its push endpoint exists and can be
// tried exactly as WeChat and Aliyun call it. Never in production or tests. The running gateway also writes them to
// DATA_DIR/sandbox-push.json, where `npm run sandbox:push` reads them.
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../../../config/settings.js';
import type { Db } from '../../store/db.js';
import { sharedSecret } from '../../store/secrets.js';
import { format } from '../../i18n/catalogue.js';
import { messages } from './messages.zh-CN.js';
import { SIMULATOR_PATH } from './simulation.js';

export const PUSH_CREDENTIALS_FILE = 'sandbox-push.json';

// The official account's push path (PUSH_PATH in wechat-oa/inbound.ts), spelled here like the SMS uplink's below so
// that the sandbox does not import a channel; test/channels/sandbox/push-credentials.test.ts posts to it.
const OA_PUSH_PATH = '/wechat/oa';

export interface PushCredentials {
  url: string;
  oa?: { path: string; token: string; aesKey?: string; appId: string; allowPlain: boolean };
  sms?: { path: string; token: string };
}

const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/** Letters and digits only: valid as a WeChat Token, an EncodingAESKey and in a URL without escaping. */
const alnum = (n: number) => () => Array.from(randomBytes(n), (b) => alphabet[b % alphabet.length]).join('');
const hex = (n: number) => () => randomBytes(n).toString('hex');

/** The configuration with development push credentials filled in where they are missing (unchanged outside development). */
export async function withDevelopmentPushCredentials(
  db: Db,
  config: Config,
): Promise<{ config: Config; generated: boolean }> {
  if (config.NODE_ENV !== 'development') return { config, generated: false };
  const extra: Partial<Record<'WECHAT_OA_TOKEN' | 'WECHAT_OA_AES_KEY' | 'WECHAT_OA_APPID' | 'SMS_PUSH_TOKEN', string>> =
    {};
  const sandboxed = (ch: string) => (config.sandbox.channels as readonly string[]).includes(ch);
  if (sandboxed('wechat-oa') && config.WECHAT_OA_TOKEN === undefined) {
    extra.WECHAT_OA_TOKEN = await sharedSecret(db, 'development-oa-token', alnum(32));
    if (config.WECHAT_OA_AES_KEY === undefined)
      extra.WECHAT_OA_AES_KEY = await sharedSecret(db, 'development-oa-aes-key', alnum(43));
    if (config.WECHAT_OA_APPID === undefined)
      extra.WECHAT_OA_APPID = await sharedSecret(db, 'development-oa-appid', () => `wx${hex(8)()}`);
  }
  if (sandboxed('sms') && config.SMS_PUSH_TOKEN === undefined)
    extra.SMS_PUSH_TOKEN = await sharedSecret(db, 'development-sms-push-token', alnum(32));
  if (Object.keys(extra).length === 0) return { config, generated: false };
  return { config: Object.freeze({ ...config, ...extra }), generated: true };
}

/** What a push sender needs to reach this gateway's sandboxed push endpoints (the secrets included: development only). */
export function pushCredentials(config: Config, url: string): PushCredentials {
  const sandboxed = (ch: string) => (config.sandbox.channels as readonly string[]).includes(ch);
  const creds: PushCredentials = { url };
  if (sandboxed('wechat-oa') && config.WECHAT_OA_TOKEN && config.WECHAT_OA_APPID) {
    creds.oa = {
      path: OA_PUSH_PATH,
      token: config.WECHAT_OA_TOKEN,
      appId: config.WECHAT_OA_APPID,
      allowPlain: config.WECHAT_OA_ALLOW_PLAIN,
      ...(config.WECHAT_OA_AES_KEY ? { aesKey: config.WECHAT_OA_AES_KEY } : {}),
    };
  }
  if (sandboxed('sms') && config.SMS_PUSH_TOKEN)
    creds.sms = { path: `/sms/${config.SMS_PROVIDER}/uplink`, token: config.SMS_PUSH_TOKEN };
  return creds;
}

/** Writes the credentials where `npm run sandbox:push` finds them (readable by this user only). */
export function writePushCredentials(dataDir: string, creds: PushCredentials): string {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, PUSH_CREDENTIALS_FILE);
  writeFileSync(file, JSON.stringify(creds, null, 2) + '\n', { mode: 0o600 });
  return file;
}

/** Banner lines: the credentials and commands ready to paste. */
export function pushCredentialLines(creds: PushCredentials, file: string): string[] {
  // A citizen's first words and the word that submits, as a citizen would type them.
  const example = format(messages, 'sandbox.exampleLetter');
  const submit = format(messages, 'sandbox.exampleSubmit');
  const lines: string[] = [];
  if (!creds.oa && !creds.sms) return lines;
  lines.push(`development push credentials (generated, kept across restarts; also in ${file}):`);
  if (creds.oa) {
    lines.push(
      `  official account: POST ${creds.url}${creds.oa.path}  Token=${creds.oa.token}  AppID=${creds.oa.appId}`,
    );
    if (creds.oa.aesKey) lines.push(`    EncodingAESKey=${creds.oa.aesKey} (safe mode: pushes are encrypted)`);
    lines.push(`    try: npm run sandbox:push -- oa "${example}" && npm run sandbox:push -- oa "${submit}"`);
  }
  if (creds.sms) {
    lines.push(`  SMS uplink: POST ${creds.url}${creds.sms.path}?token=${creds.sms.token}`);
    lines.push(
      `    try: npm run sandbox:push -- sms "${example}" --from 13800138000 && npm run sandbox:push -- sms "${submit}" --from 13800138000`,
    );
    lines.push(
      `    or:  curl -X POST '${creds.url}${creds.sms.path}?token=${creds.sms.token}' -H 'content-type: application/json' -d '[{"phone_number":"13800138000","content":"${example}","dest_code":"1069","sequence_id":'$(date +%s%N)'}]'`,
    );
  }
  lines.push(
    `  replies go out through the channels' live code to the provider simulators under ${creds.url}${SIMULATOR_PATH}/ (generated AppIDs and AccessKey); what they received and answered: the console's sandbox page`,
  );
  return lines;
}
