// Citizen ids that are phone numbers are never stored in clear: every table holding a citizen's id (sender, recipient,
// citizen, SMS uplinks and reports…) stores an opaque token (`pid_…`) instead, and one table, `pii_ids`, maps the token
// to the phone encrypted (AES-256-GCM) and to its keyed hash (HMAC) for lookups by phone. Tokens are random, not
// derived from the key, so a key rotation rewrites `pii_ids` only, never the tables that hold tokens. Ids that are
// not E.164 phone numbers (openids) pass through unchanged: the rule is about the value, not the channel.
import { sql, type Kysely, type Transaction } from 'kysely';
import { randomBytes } from 'node:crypto';
import type { Database } from '../store/tables.js';
import type { PiiService } from './pii-service.js';

type Executor = Kysely<Database> | Transaction<Database>;

const e164 = /^\+[1-9]\d{6,14}$/;
const tokenPattern = /^pid_[0-9a-f]{32}$/;

/** Whether an id must be stored as a token: an E.164 phone number. */
export const isPhoneId = (id: string): boolean => e164.test(id);
/** Whether a stored id is a token standing for a phone. */
export const isPiiToken = (v: string): boolean => tokenPattern.test(v);

const newToken = () => `pid_${randomBytes(16).toString('hex')}`;

/** The token of rows already holding this value: by the keyed hash under any key, or by a clear value not yet sealed. */
async function existing(db: Executor, pii: PiiService, phone: string): Promise<string | undefined> {
  return (await tokensOf(db, pii, [phone])).get(phone);
}

/** Tokens of these phones, where they have one. */
async function tokensOf(db: Executor, pii: PiiService, phones: readonly string[]): Promise<Map<string, string>> {
  const byHash = new Map<string, string>();
  for (const p of phones) for (const h of pii.lookupHashes(p)) byHash.set(h, p);
  const r = await sql<{ token: string; id_hash: string | null; id_enc: string }>`
    select token, id_hash, id_enc from pii_ids
    where id_hash = any(${[...byHash.keys()]}::text[]) or (id_hash is null and id_enc = any(${phones}::text[]))`.execute(
    db,
  );
  const found = new Map<string, string>();
  for (const row of r.rows) {
    const phone = row.id_hash === null ? row.id_enc : byHash.get(row.id_hash);
    if (phone !== undefined) found.set(phone, row.token);
  }
  return found;
}

/** The id as stored: a phone's token (created on first sight, one per phone however many ask at once), else the id. */
export async function storedId(db: Executor, pii: PiiService, id: string): Promise<string> {
  return (await storedIds(db, pii, [id]))[0]!;
}

/** The stored forms of several ids at once (same order), in two or three statements whatever their number. */
export async function storedIds(db: Executor, pii: PiiService, ids: readonly string[]): Promise<string[]> {
  const phones = [...new Set(ids.filter(isPhoneId))];
  if (phones.length === 0) return [...ids];
  let tokens = await tokensOf(db, pii, phones);
  const missing = phones.filter((p) => !tokens.has(p));
  if (missing.length > 0) {
    // The unique index on the hash keeps one token per phone when several requests meet the same new number.
    await sql`
      insert into pii_ids (token, id_hash, id_enc)
      select * from unnest(${missing.map(() => newToken())}::text[], ${missing.map((p) => pii.lookupHash(p))}::text[],
                           ${missing.map((p) => pii.encrypt(p))}::text[])
      on conflict (id_hash) where id_hash is not null do nothing`.execute(db);
    tokens = await tokensOf(db, pii, phones);
  }
  return ids.map((id) => {
    if (!isPhoneId(id)) return id;
    const t = tokens.get(id);
    if (!t) throw new Error('pii_ids: token neither inserted nor found');
    return t;
  });
}

/**
 * The citizen id to show (masked by the caller) for a letter: a token stands for the phone, which the letter's body
 * holds encrypted as its `channelUserId`, so a list needs no lookup per row.
 */
export function shownCitizenId(pii: PiiService, citizenId: string, bodyUserId: string | null): string {
  return isPiiToken(citizenId) && bodyUserId !== null ? pii.decrypt(bodyUserId) : citizenId;
}

/** The clear id behind a stored one: a token's phone; anything else (openids, old clear rows) as it is. */
export async function clearId(db: Executor, pii: PiiService, stored: string): Promise<string> {
  if (!isPiiToken(stored)) return stored;
  const r = await sql<{ id_enc: string }>`select id_enc from pii_ids where token = ${stored}`.execute(db);
  const enc = r.rows[0]?.id_enc;
  // A token whose row was erased stands for nobody any more: it stays what it is and reaches no one.
  return enc === undefined ? stored : pii.decrypt(enc);
}

/** Every form an id may be stored under, for lookups: the id itself and, for a phone, its token when it has one. */
export async function idForms(db: Executor, pii: PiiService, id: string): Promise<string[]> {
  if (!isPhoneId(id)) return [id];
  const token = await existing(db, pii, id);
  return token ? [id, token] : [id];
}
