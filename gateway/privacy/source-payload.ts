// A source message's raw payload (what the channel received, kept until the retention purge) with the citizen's
// personal fields sealed like the letter's: a name or phone the citizen typed in a form (the mini-program's `name`) is
// stored encrypted, and opened again only for those who read it (the letter's story, the citizen's own export).
import type { PiiService } from './pii-service.js';

/** Top-level payload fields that hold what the citizen typed about themselves; rotated by `npm run pii:rotate`. */
export const sealedSourceFields = ['name', 'phone'] as const;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The payload as stored: its personal fields encrypted (values already encrypted stay as they are). */
export function sealSourcePayload(pii: PiiService, payload: unknown): unknown {
  if (!isRecord(payload)) return payload;
  const out = { ...payload };
  for (const f of sealedSourceFields) {
    const v = out[f];
    if (typeof v === 'string' && v !== '') out[f] = pii.encrypt(v);
  }
  return out;
}

/**
 * The stored payload with its personal fields in clear again (payloads stored before sealing pass through); `name`
 * shapes the name for its reader (staff see it masked, as the letter's citizen).
 */
export function openSourcePayload(
  pii: PiiService,
  payload: unknown,
  o: { name?: (clear: string) => string } = {},
): unknown {
  if (!isRecord(payload)) return payload;
  const out = { ...payload };
  for (const f of sealedSourceFields) {
    const v = out[f];
    if (typeof v !== 'string') continue;
    const clear = pii.decrypt(v);
    out[f] = f === 'name' && o.name ? o.name(clear) : clear;
  }
  return out;
}
