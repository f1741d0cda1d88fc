// Phones leave a push before anything of it is stored: each item's phone becomes the citizen's token (the same one
// every other table holds, privacy/pii-ids.ts), and inside the raw item every value that is that number, in any of
// the forms a provider writes it, becomes the token too. Dedup keys, provider message ids and raw payloads built from
// the item then hold no phone.
import type { Db } from '../../store/db.js';
import type { PiiService } from '../../privacy/pii-service.js';
import { storedIds } from '../../privacy/pii-ids.js';
import { normalizePhone } from '../../lib/phone.js';

/** `raw` with every string or number that normalizes to `phone` replaced by `token`. */
export function scrubPhone(raw: unknown, phone: string, token: string): unknown {
  if (Array.isArray(raw)) return raw.map((v) => scrubPhone(v, phone, token));
  if (raw !== null && typeof raw === 'object')
    return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, scrubPhone(v, phone, token)]));
  if ((typeof raw === 'string' || typeof raw === 'number') && normalizePhone(raw) === phone) return token;
  return raw;
}

export async function protectPhones<T extends { phone: string | null; raw: unknown }>(
  db: Db,
  pii: PiiService,
  items: T[],
): Promise<T[]> {
  const phones = items.flatMap((i) => (i.phone ? [i.phone] : []));
  const tokens = new Map<string, string>();
  const stored = await storedIds(db, pii, [...new Set(phones)]);
  [...new Set(phones)].forEach((p, i) => tokens.set(p, stored[i]!));
  return items.map((i) => {
    const token = i.phone ? tokens.get(i.phone) : undefined;
    return token && i.phone ? { ...i, phone: token, raw: scrubPhone(i.raw, i.phone, token) } : i;
  });
}
