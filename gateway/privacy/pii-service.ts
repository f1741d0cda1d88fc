// The one door to field encryption for the rest of the gateway: the key ring from PII_ENCRYPTION_KEY (and the keys
// being rotated away from), and the canonical letter's personal fields sealed for storage and opened when read.
import type { Config } from '../../config/settings.js';
import type { Letter } from '../../shared/letter.js';
import type { Db } from '../store/db.js';
import { sharedSecret } from '../store/secrets.js';
import {
  decryptPii,
  encryptPii,
  isEncrypted,
  keyRing,
  lookupHash,
  lookupHashes,
  type PiiKeyRing,
} from './pii-crypto.js';

export interface PiiService {
  readonly ring: PiiKeyRing;
  encrypt(plain: string): string;
  /** Clear text of a stored value; a value without the `pii1.` prefix is an old clear one and comes back as is. */
  decrypt(value: string): string;
  /** The lookup hash stored now (current key). */
  lookupHash(plain: string): string;
  /** Every hash a stored row may carry for this value while a rotation is under way. */
  lookupHashes(plain: string): string[];
}

export function createPiiService(current: string, previous: readonly string[] = []): PiiService {
  const ring = keyRing(current, [...previous]);
  return {
    ring,
    encrypt: (plain) => (isEncrypted(plain) ? plain : encryptPii(ring, plain)),
    decrypt: (value) => decryptPii(ring, value),
    lookupHash: (plain) => lookupHash(ring.current, plain),
    lookupHashes: (plain) => lookupHashes(ring, plain),
  };
}

/** From the settings; in development without a key, one generated once and kept in the database (all instances share it). */
export async function piiServiceFor(
  db: Db,
  config: Pick<Config, 'PII_ENCRYPTION_KEY' | 'PII_PREVIOUS_KEYS'>,
): Promise<PiiService> {
  return createPiiService(
    config.PII_ENCRYPTION_KEY ?? (await sharedSecret(db, 'pii-encryption-key')),
    config.PII_PREVIOUS_KEYS,
  );
}

const e164 = /^\+[1-9]\d{6,14}$/;

/** The letter's personal fields encrypted, as it is stored in `letters.body`. */
export function sealLetter(pii: PiiService, letter: Letter): Letter {
  return { ...letter, citizen: sealCitizen(pii, letter.citizen) };
}

export function sealCitizen(pii: PiiService, c: Letter['citizen']): Letter['citizen'] {
  return {
    ...c,
    // A phone as the channel's user id (SMS, web) is as personal as the phone field; openids stay as they are.
    ...(e164.test(c.channelUserId) ? { channelUserId: pii.encrypt(c.channelUserId) } : {}),
    ...(c.phone !== undefined ? { phone: pii.encrypt(c.phone) } : {}),
    ...(c.name !== undefined ? { name: pii.encrypt(c.name) } : {}),
  };
}

/** The stored letter with its personal fields in clear again (old clear rows pass through unchanged). */
export function openLetter<T>(pii: PiiService, body: T): T {
  const citizen = (body as { citizen?: Record<string, unknown> } | null)?.citizen;
  if (!citizen || typeof citizen !== 'object') return body;
  const open = { ...citizen };
  for (const f of ['phone', 'name', 'channelUserId'] as const)
    if (typeof open[f] === 'string') open[f] = pii.decrypt(open[f]);
  return { ...(body as object), citizen: open } as T;
}
