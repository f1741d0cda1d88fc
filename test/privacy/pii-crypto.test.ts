import test from 'ava';
import { randomBytes } from 'node:crypto';
import {
  decryptPii,
  encryptPii,
  keyRing,
  lookupHash,
  lookupHashes,
  needsRotation,
} from '../../gateway/privacy/pii-crypto.js';

const k1 = randomBytes(32).toString('base64url');
const k2 = randomBytes(32).toString('hex');

test('when a phone is encrypted, then it reads back, carries its key id and never shows in clear', (t) => {
  const ring = keyRing(k1);
  const a = encryptPii(ring, '+8613912345678');
  const b = encryptPii(ring, '+8613912345678');
  t.not(a, b, 'a fresh nonce each time');
  t.notRegex(a, /13912345678/);
  t.true(a.startsWith(`pii1.${ring.current.id}.`));
  t.is(decryptPii(ring, a), '+8613912345678');
  t.is(decryptPii(ring, '+8613900000000'), '+8613900000000', 'values written before encryption still read');
});

test('when a value or its key id is tampered with, then decryption fails', (t) => {
  const ring = keyRing(k1);
  const v = encryptPii(ring, '王小明');
  const parts = v.split('.');
  const flipped = [
    ...parts.slice(0, 4),
    Buffer.from('x' + Buffer.from(parts[4]!, 'base64url').toString('latin1').slice(1), 'latin1').toString('base64url'),
  ].join('.');
  t.throws(() => decryptPii(ring, flipped));
  t.throws(() => decryptPii(keyRing(k2), v), { message: /unknown key/ });
});

test('when the key rotates, then old values still decrypt, lookups match under either key, and rotation finds them', (t) => {
  const old = keyRing(k1);
  const v = encryptPii(old, '+8613912345678');
  const rotated = keyRing(k2, [k1]);
  t.is(decryptPii(rotated, v), '+8613912345678');
  t.true(needsRotation(rotated, v));
  const fresh = encryptPii(rotated, '+8613912345678');
  t.false(needsRotation(rotated, fresh));
  t.true(lookupHashes(rotated, '+8613912345678').includes(lookupHash(old.current, '+8613912345678')));
  t.not(lookupHash(old.current, '+8613912345678'), lookupHash(rotated.current, '+8613912345678'));
});
