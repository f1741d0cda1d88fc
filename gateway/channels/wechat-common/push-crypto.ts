// WeChat push signatures and the message AES scheme shared by the official account and the mini-program:
// sha1 over the sorted strings, AES-256-CBC with the key's first 16 bytes as IV and 32-byte PKCS#7 padding.
// https://developers.weixin.qq.com/doc/oplatform/Third-party_Platforms/2.0/api/Before_Develop/Technical_Plan.html
import { createCipheriv, createDecipheriv, createHash, randomBytes, timingSafeEqual } from 'node:crypto';

const BLOCK = 32;

/** sha1 hex of the strings sorted lexicographically and joined without separator. */
export function pushSignature(...parts: string[]): string {
  return createHash('sha1')
    .update([...parts].sort().join(''))
    .digest('hex');
}

/** Constant-time comparison of a received signature with the expected one. */
export function signatureMatches(expected: string, given: string | undefined): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(given.toLowerCase(), 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

export class PushCryptoError extends Error {
  constructor(readonly reason: 'bad_key' | 'bad_ciphertext' | 'bad_padding' | 'bad_length' | 'wrong_appid') {
    super(`push decryption failed: ${reason}`);
    this.name = 'PushCryptoError';
  }
}

/** AESKey = base64decode(EncodingAESKey + "="), 32 bytes. */
export function aesKeyOf(encodingAesKey: string): Buffer {
  const key = Buffer.from(encodingAesKey + '=', 'base64');
  if (encodingAesKey.length !== 43 || key.length !== 32) throw new PushCryptoError('bad_key');
  return key;
}

/** Encrypts a message for `receiveId` (the AppID); `random16` only for reproducing published vectors. */
export function encryptMessage(
  key: Buffer,
  message: string,
  receiveId: string,
  random16: Buffer = randomBytes(16),
): string {
  const msg = Buffer.from(message, 'utf8');
  const len = Buffer.alloc(4);
  len.writeUInt32BE(msg.length, 0);
  const full = Buffer.concat([random16, len, msg, Buffer.from(receiveId, 'utf8')]);
  const pad = BLOCK - (full.length % BLOCK);
  const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16));
  // Node pads to 16 bytes; WeChat pads to 32, so padding is ours.
  cipher.setAutoPadding(false);
  return Buffer.concat([cipher.update(Buffer.concat([full, Buffer.alloc(pad, pad)])), cipher.final()]).toString(
    'base64',
  );
}

/** Decrypts and returns the message and the trailing receive id (not checked here). */
export function decryptMessage(key: Buffer, encrypted: string): { message: string; receiveId: string } {
  const data = Buffer.from(encrypted, 'base64');
  if (data.length === 0 || data.length % BLOCK !== 0) throw new PushCryptoError('bad_ciphertext');
  let plain: Buffer;
  try {
    const decipher = createDecipheriv('aes-256-cbc', key, key.subarray(0, 16));
    decipher.setAutoPadding(false);
    plain = Buffer.concat([decipher.update(data), decipher.final()]);
  } catch {
    throw new PushCryptoError('bad_ciphertext');
  }
  const pad = plain[plain.length - 1]!;
  if (pad < 1 || pad > BLOCK) throw new PushCryptoError('bad_padding');
  for (let i = plain.length - pad; i < plain.length; i++)
    if (plain[i] !== pad) throw new PushCryptoError('bad_padding');
  const content = plain.subarray(16, plain.length - pad);
  if (content.length < 4) throw new PushCryptoError('bad_length');
  const msgLen = content.readUInt32BE(0);
  if (4 + msgLen > content.length) throw new PushCryptoError('bad_length');
  return {
    message: content.subarray(4, 4 + msgLen).toString('utf8'),
    receiveId: content.subarray(4 + msgLen).toString('utf8'),
  };
}

/**
 * Decrypts with the current key, then the previous one during a key rotation, and checks the trailing AppID
 * (a ciphertext made for another account with the same key must not pass). Returns the key that worked, so a reply
 * can be encrypted with it.
 */
export function openEnvelope(keys: Buffer[], encrypted: string, appId: string): { message: string; key: Buffer } {
  // Created only when every key failed: an Error captures a stack trace, which costs more than the decryption.
  let last: PushCryptoError | undefined;
  for (const key of keys) {
    try {
      const { message, receiveId } = decryptMessage(key, encrypted);
      if (receiveId !== appId) throw new PushCryptoError('wrong_appid');
      return { message, key };
    } catch (err) {
      if (!(err instanceof PushCryptoError)) throw err;
      last = err;
    }
  }
  throw last ?? new PushCryptoError('bad_key');
}
