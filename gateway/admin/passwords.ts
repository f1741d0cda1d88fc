// Staff password hashing with scrypt from node:crypto (memory-hard, no native module to build): each hash carries its
// own salt and cost parameters so they can be raised later without invalidating stored hashes.
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { format } from '../i18n/catalogue.js';
import { messages } from './messages.zh-CN.js';

/** scrypt's cost as log2(N) (ADMIN_PASSWORD_COST): 15 takes about 0.1 s and 32 MB per check. */
export const DEFAULT_PASSWORD_COST = 15;
const keyLength = 32;
const costOf = (log2N: number) => ({ N: 2 ** log2N, r: 8, p: 1 });

function derive(password: string, salt: Buffer, o: { N: number; r: number; p: number }): Promise<Buffer> {
  const options: ScryptOptions = { ...o, maxmem: 256 * o.N * o.r + 1024 * 1024 };
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFC'), salt, keyLength, options, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

export async function hashPassword(password: string, log2N = DEFAULT_PASSWORD_COST): Promise<string> {
  const salt = randomBytes(16);
  const cost = costOf(log2N);
  const key = await derive(password, salt, cost);
  return ['scrypt', cost.N, cost.r, cost.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  const expected = Buffer.from(parts[5]!, 'base64url');
  const key = await derive(password, Buffer.from(parts[4]!, 'base64url'), { N, r, p });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** Spends the same time as a real check, so unknown usernames cannot be told apart by timing. */
const dummies = new Map<number, Promise<string>>();
export async function verifyNothing(password: string, log2N = DEFAULT_PASSWORD_COST): Promise<false> {
  let dummy = dummies.get(log2N);
  if (!dummy) dummies.set(log2N, (dummy = hashPassword(randomBytes(12).toString('hex'), log2N)));
  await verifyPassword(password, await dummy);
  return false;
}

/** Staff passwords: at least 12 characters, not only one kind of character. */
export function passwordProblem(password: string): string | null {
  if ([...password].length < 12) return format(messages, 'admin.passwordTooShort');
  if ([...password].length > 200) return format(messages, 'admin.passwordTooLong');
  if (/^(\d+|[a-z]+|[A-Z]+)$/.test(password)) return format(messages, 'admin.passwordOneClass');
  return null;
}

export function randomPassword(): string {
  return randomBytes(15).toString('base64url');
}
