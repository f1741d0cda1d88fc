// Field encryption for personal data at rest: AES-256-GCM with a random 96-bit nonce, the key id stored with each
// value (`pii1.<kid>.<nonce>.<tag>.<ciphertext>`, base64url) so keys can rotate while old values stay readable, and
// a keyed hash (HMAC-SHA256 under a separate derived key) for equality lookups without decrypting.
import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  hkdfSync,
  randomBytes,
  timingSafeEqual,
} from 'node:crypto';

const PREFIX = 'pii1';

export interface PiiKey {
  /** Short id stored with every value: the first 8 hex digits of the key's SHA-256. */
  id: string;
  encKey: Buffer;
  macKey: Buffer;
}

/** A key from its 32-byte secret (base64 or hex); encryption and lookup keys are derived apart with HKDF. */
export function piiKey(secret: string): PiiKey {
  const raw = /^[0-9a-f]{64}$/i.test(secret) ? Buffer.from(secret, 'hex') : Buffer.from(secret, 'base64url');
  if (raw.length !== 32) throw new Error('PII key must be 32 bytes (64 hex digits or 43 base64url characters)');
  const derive = (info: string) => Buffer.from(hkdfSync('sha256', raw, Buffer.alloc(0), info, 32));
  return {
    id: createHash('sha256').update(raw).digest('hex').slice(0, 8),
    encKey: derive('pii-encryption'),
    macKey: derive('pii-lookup'),
  };
}

export interface PiiKeyRing {
  current: PiiKey;
  /** Keys values may still be encrypted with (rotation in progress), by id. */
  byId: Map<string, PiiKey>;
}

export function keyRing(current: string, previous: string[] = []): PiiKeyRing {
  const cur = piiKey(current);
  const byId = new Map<string, PiiKey>([[cur.id, cur]]);
  for (const p of previous) {
    const k = piiKey(p);
    if (!byId.has(k.id)) byId.set(k.id, k);
  }
  return { current: cur, byId };
}

export const isEncrypted = (v: string) => v.startsWith(`${PREFIX}.`);

export function encryptPii(ring: PiiKeyRing, plain: string): string {
  const nonce = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', ring.current.encKey, nonce);
  // The key id is authenticated too: a value cannot be relabelled to another key.
  c.setAAD(Buffer.from(ring.current.id));
  const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
  return [
    PREFIX,
    ring.current.id,
    nonce.toString('base64url'),
    c.getAuthTag().toString('base64url'),
    body.toString('base64url'),
  ].join('.');
}

export function decryptPii(ring: PiiKeyRing, value: string): string {
  if (!isEncrypted(value)) return value;
  const [, kid, nonce, tag, body] = value.split('.');
  const key = kid ? ring.byId.get(kid) : undefined;
  if (!key || nonce === undefined || tag === undefined || body === undefined)
    throw new Error(`PII value under unknown key ${kid ?? '?'}`);
  const d = createDecipheriv('aes-256-gcm', key.encKey, Buffer.from(nonce, 'base64url'));
  d.setAAD(Buffer.from(key.id));
  d.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([d.update(Buffer.from(body, 'base64url')), d.final()]).toString('utf8');
}

/** The lookup hash of a value under one key (hex); look up under every key of the ring while rotating. */
export function lookupHash(key: PiiKey, plain: string): string {
  return createHmac('sha256', key.macKey).update(plain, 'utf8').digest('hex');
}

export function lookupHashes(ring: PiiKeyRing, plain: string): string[] {
  return [...ring.byId.values()].map((k) => lookupHash(k, plain));
}

/** Whether a value is encrypted under a key other than the current one (what rotation re-encrypts). */
export function needsRotation(ring: PiiKeyRing, value: string): boolean {
  if (!isEncrypted(value)) return true;
  const kid = value.split('.')[1] ?? '';
  return !timingSafeEqual(Buffer.from(kid.padEnd(8).slice(0, 8)), Buffer.from(ring.current.id));
}
