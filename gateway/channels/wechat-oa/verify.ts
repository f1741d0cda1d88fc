// Authenticating official-account pushes. The mode comes from our configuration, never from the request: with an
// EncodingAESKey every push must be encrypted and carry a valid msg_signature (plain pushes only when the
// compatibility setting allows them); without one, pushes are plain and verified by `signature`. Timestamps outside
// the window are refused here; nonces are checked against the database by the caller.
// https://developers.weixin.qq.com/doc/subscription/guide/dev/push/encryption.html
import { AppError } from '../../errors.js';
import { openEnvelope, PushCryptoError, pushSignature, signatureMatches } from '../wechat-common/push-crypto.js';
import { field, parsePushXml, PushXmlError, type PushFields } from '../wechat-common/push-xml.js';

export interface PushAuth {
  token: string;
  appId: string | undefined;
  /** Current EncodingAESKey first, then the previous one during a rotation; empty: plain mode. */
  aesKeys: Buffer[];
  allowPlain: boolean;
  windowSeconds: number;
}

export type PushQuery = Record<string, string | string[] | undefined>;

export interface OpenedPush {
  fields: PushFields;
  encrypted: boolean;
  timestamp: string;
  nonce: string;
}

const one = (q: PushQuery, name: string): string | undefined => {
  const v = q[name];
  return typeof v === 'string' ? v : undefined;
};

/** Checks timestamp and nonce shape and freshness; returns them. */
function fresh(q: PushQuery, auth: PushAuth, nowSeconds: number): { timestamp: string; nonce: string } {
  const timestamp = one(q, 'timestamp');
  const nonce = one(q, 'nonce');
  if (!timestamp || !/^\d{1,12}$/.test(timestamp) || !nonce || !/^[A-Za-z0-9_-]{1,64}$/.test(nonce)) {
    throw new AppError('push_signature_invalid', { detail: 'timestamp and nonce are required' });
  }
  if (Math.abs(nowSeconds - Number(timestamp)) > auth.windowSeconds) throw new AppError('push_stale');
  return { timestamp, nonce };
}

/** URL verification (GET): the echostr to answer verbatim when the signature matches. */
export function verifyUrl(q: PushQuery, auth: PushAuth, nowSeconds = Date.now() / 1000): string {
  const { timestamp, nonce } = fresh(q, auth, nowSeconds);
  const echostr = one(q, 'echostr');
  if (!echostr || !signatureMatches(pushSignature(auth.token, timestamp, nonce), one(q, 'signature'))) {
    throw new AppError('push_signature_invalid');
  }
  return echostr;
}

/** Verifies a POST push and returns its (decrypted) fields. */
export function openPush(q: PushQuery, body: string, auth: PushAuth, nowSeconds = Date.now() / 1000): OpenedPush {
  const { timestamp, nonce } = fresh(q, auth, nowSeconds);
  const outer = parse(body);
  if (auth.aesKeys.length > 0 && one(q, 'encrypt_type') === 'aes') {
    const encrypt = field(outer, 'Encrypt');
    if (!encrypt || !signatureMatches(pushSignature(auth.token, timestamp, nonce, encrypt), one(q, 'msg_signature'))) {
      throw new AppError('push_signature_invalid');
    }
    let inner: string;
    try {
      inner = openEnvelope(auth.aesKeys, encrypt, auth.appId ?? '').message;
    } catch (err) {
      if (!(err instanceof PushCryptoError)) throw err;
      throw new AppError('push_signature_invalid', {
        detail: err.reason === 'wrong_appid' ? 'the push was encrypted for another AppID' : 'the push does not decrypt',
      });
    }
    return { fields: parse(inner), encrypted: true, timestamp, nonce };
  }
  if (auth.aesKeys.length > 0 && !auth.allowPlain) throw new AppError('push_encryption_required');
  if (!signatureMatches(pushSignature(auth.token, timestamp, nonce), one(q, 'signature')))
    throw new AppError('push_signature_invalid');
  return { fields: outer, encrypted: false, timestamp, nonce };
}

function parse(xml: string): PushFields {
  try {
    return parsePushXml(xml);
  } catch (err) {
    if (err instanceof PushXmlError)
      throw new AppError('push_malformed', { detail: `push XML refused: ${err.reason}` });
    throw err;
  }
}
