// Identifiers: time-ordered ids (UUIDv7, RFC 9562) from the CSPRNG, and the check that a path segment is a UUID.
import { randomFillSync, randomInt } from 'node:crypto';

let lastMs = 0;
let counter = 0;

// Random bytes are drawn from the CSPRNG 4 KiB at a time, as Node's own randomUUID does: one call per id cost more
// than building the id. Each id takes 16 fresh bytes, never reused.
const pool = Buffer.alloc(4096);
let poolAt = pool.length;
const id = Buffer.alloc(16);

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
  if (poolAt + 16 > pool.length) {
    randomFillSync(pool);
    poolAt = 0;
  }
  pool.copy(id, 0, poolAt, poolAt + 16);
  poolAt += 16;
  const b = id;
  b.writeUIntBE(now, 0, 6);
  b[6] = 0x70 | (counter >> 8);
  b[7] = counter & 0xff;
  b[8] = 0x80 | (b[8]! & 0x3f);
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (s: string) => uuidPattern.test(s);
