// Identifiers: time-ordered ids (UUIDv7, RFC 9562) from the CSPRNG, and the check that a path segment is a UUID.
import { randomBytes, randomInt } from 'node:crypto';

let lastMs = 0;
let counter = 0;

/** UUIDv7: 48-bit Unix ms, then a 12-bit counter (monotonic within one ms in this process) and random bits. */
export function uuidv7(now = Date.now()): string {
  if (now <= lastMs) {
    counter = (counter + 1) & 0xfff;
    if (counter === 0) lastMs += 1; // counter wrapped: borrow the next millisecond to stay ordered
    now = lastMs;
  } else {
    lastMs = now;
    counter = randomInt(0, 0x800);
  }
  const b = randomBytes(16);
  b.writeUIntBE(now, 0, 6);
  b[6] = 0x70 | (counter >> 8);
  b[7] = counter & 0xff;
  b[8] = 0x80 | (b[8]! & 0x3f);
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (s: string) => uuidPattern.test(s);
