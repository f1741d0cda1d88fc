// The mini-program's message-push endpoint (开发管理 → 消息推送), XML or JSON, plain or in safe mode: GET answers the
// URL check; POST verifies the signature (and decrypts), then acts on what concerns the app — a notification
// switched off (subscribe_msg_change_event, also accepted under the name subscribe_msg_reject_event and with the
// popup wrapper the official sample wrongly uses) and the verdict of a photo check (wxa_media_check) — and answers
// `success`. Anything else is acknowledged and ignored. Both handlers are idempotent, so WeChat's retries are safe.
// https://developers.weixin.qq.com/miniprogram/dev/framework/server-ability/message-push.html
import type Router from '@koa/router';
import type { Context } from 'koa';
import { AppError } from '../../errors.js';
import { parseJsonText, readRaw } from '../../http/body.js';
import { cleanJson } from '../../../shared/text.js';
import type { Db } from '../../store/db.js';
import type { Logger } from '../../observability/logger.js';
import { openEnvelope, PushCryptoError, pushSignature, signatureMatches } from '../wechat-common/push-crypto.js';
import { parsePushXml, PushXmlError, type PushFields } from '../wechat-common/push-xml.js';
import { applyConsentChange } from '../../mp/consent-changes.js';
import { recordMediaVerdict } from '../../mp/media-check.js';

export const MP_PUSH_PATH = '/wechat/mp';

export interface MpPushDeps {
  db: Db;
  log: Logger;
  token: string;
  appId: string;
  /** EncodingAESKey set: only encrypted pushes are accepted. */
  aesKeys: Buffer[];
  windowSeconds: number;
  maxBodyBytes: number;
}

const one = (q: Context['query'], name: string): string | undefined => {
  const v = q[name];
  return typeof v === 'string' ? v : undefined;
};

function fresh(q: Context['query'], windowSeconds: number): { timestamp: string; nonce: string } {
  const timestamp = one(q, 'timestamp');
  const nonce = one(q, 'nonce');
  if (!timestamp || !/^\d{1,12}$/.test(timestamp) || !nonce || !/^[A-Za-z0-9_-]{1,64}$/.test(nonce)) {
    throw new AppError('push_signature_invalid', { detail: 'timestamp and nonce are required' });
  }
  if (Math.abs(Date.now() / 1000 - Number(timestamp)) > windowSeconds) throw new AppError('push_stale');
  return { timestamp, nonce };
}

/** A push body in either format the console offers; values stay as WeChat sent them. */
function parse(text: string): PushFields {
  const t = text.trim();
  if (t.startsWith('{')) {
    // Depth-checked first (a deep document is a 400, never a stack overflow), then as for any push: cleaned below.
    const v = parseJsonText(t);
    if (v && typeof v === 'object' && !Array.isArray(v)) return v as PushFields;
    throw new AppError('push_malformed', { detail: 'push JSON refused' });
  }
  try {
    return parsePushXml(t);
  } catch (err) {
    if (err instanceof PushXmlError)
      throw new AppError('push_malformed', { detail: `push XML refused: ${err.reason}` });
    throw err;
  }
}

function open(ctx: Context, raw: string, d: MpPushDeps): PushFields {
  const { timestamp, nonce } = fresh(ctx.query, d.windowSeconds);
  const outer = parse(raw);
  if (d.aesKeys.length > 0) {
    const encrypt = typeof outer.Encrypt === 'string' ? outer.Encrypt : undefined;
    if (one(ctx.query, 'encrypt_type') !== 'aes' || !encrypt) throw new AppError('push_encryption_required');
    if (!signatureMatches(pushSignature(d.token, timestamp, nonce, encrypt), one(ctx.query, 'msg_signature')))
      throw new AppError('push_signature_invalid');
    try {
      return parse(openEnvelope(d.aesKeys, encrypt, d.appId).message);
    } catch (err) {
      if (err instanceof PushCryptoError)
        throw new AppError('push_signature_invalid', { detail: 'the push does not decrypt for this AppID' });
      throw err;
    }
  }
  if (!signatureMatches(pushSignature(d.token, timestamp, nonce), one(ctx.query, 'signature')))
    throw new AppError('push_signature_invalid');
  return outer;
}

const str = (v: unknown): string | undefined =>
  typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;

/** The <List> items of a subscription event, under whichever wrapper (or none, in JSON) WeChat used. */
function listItems(f: PushFields): Record<string, unknown>[] {
  const wrapper = (f.SubscribeMsgChangeEvent ?? f.SubscribeMsgRejectEvent ?? f.SubscribeMsgPopupEvent ?? f) as
    Record<string, unknown> | undefined;
  const list = wrapper && typeof wrapper === 'object' ? wrapper.List : undefined;
  const items = Array.isArray(list) ? list : list && typeof list === 'object' ? [list] : [];
  return items.filter((i): i is Record<string, unknown> => !!i && typeof i === 'object');
}

async function handle(d: MpPushDeps, f: PushFields): Promise<void> {
  const event = str(f.Event);
  const openid = str(f.FromUserName);
  // A time that is no date (beyond the year 275760, or none) counts as now.
  const created = new Date(Number(str(f.CreateTime)) * 1000);
  const at = created.getTime() > 0 ? created : new Date();
  if ((event === 'subscribe_msg_change_event' || event === 'subscribe_msg_reject_event') && openid) {
    for (const item of listItems(f)) {
      const templateId = str(item.TemplateId);
      const status = str(item.SubscribeStatusString);
      if (templateId && status) await applyConsentChange(d.db, { openid, templateId, status, at });
    }
    return;
  }
  if (event === 'wxa_media_check') {
    const traceId = str(f.trace_id) ?? str(f.traceId);
    if (!traceId) return;
    const result = (f.result && typeof f.result === 'object' ? f.result : {}) as Record<string, unknown>;
    const suggest = str(result.suggest);
    // v1 answers carry isrisky (and status_code for a photo WeChat could not download) instead of a suggestion.
    const verdict =
      suggest === 'pass' || suggest === 'review' || suggest === 'risky'
        ? suggest
        : str(f.isrisky) === '1'
          ? 'risky'
          : str(f.isrisky) === '0' && !str(f.status_code)
            ? 'pass'
            : 'failed';
    const known = await recordMediaVerdict(d.db, traceId, verdict, str(result.label) ?? null);
    if (!known) d.log.warn({ traceId }, 'photo check verdict for an unknown trace id');
  }
}

export function mpPushRoutes(router: Router, d: MpPushDeps): void {
  router.get(MP_PUSH_PATH, (ctx) => {
    const { timestamp, nonce } = fresh(ctx.query, d.windowSeconds);
    const echostr = one(ctx.query, 'echostr');
    if (!echostr || !signatureMatches(pushSignature(d.token, timestamp, nonce), one(ctx.query, 'signature')))
      throw new AppError('push_signature_invalid');
    ctx.type = 'text/plain';
    ctx.body = echostr;
  });
  router.post(MP_PUSH_PATH, async (ctx) => {
    const raw = await readRaw(ctx, d.maxBodyBytes);
    // Every field is cleaned by the one text rule, as at the official account's door, before anything is stored.
    const fields = cleanJson(open(ctx, raw.toString('utf8'), d)) as PushFields;
    await handle(d, fields);
    ctx.type = 'text/plain';
    ctx.body = 'success';
  });
}
