// Identifiers the gateway issues: time-ordered letter and delivery ids (UUIDv7, RFC 9562) and the citizen's
// 6-digit extraction code, both from the CSPRNG.
import { randomInt } from 'node:crypto';

// The id generator lives in lib/ (the outbox and every feature use it); re-exported for existing callers.
export { uuidv7 } from '../lib/uuid.js';

export function extractionCode(): string {
  return randomInt(0, 1_000_000).toString().padStart(6, '0');
}
