// Everything held about one citizen, found by phone or openid: exported as one JSON document (PIPL art. 45, the
// right of access) and erased on request (art. 47) — the letters pseudonymised (or emptied), messages still queued
// to the citizen cancelled, every other row with their id deleted, and the case store told by a `citizen.erased`
// event. The caller runs the erasure in its transaction together with the audit entry.
import { sql, type Transaction } from 'kysely';
import type { Db } from '../store/db.js';
import type { Database } from '../store/tables.js';
import { queueCaseEvent } from '../outbox/case-events.js';
import { citizenTables } from './citizen-tables.js';
import { pseudonymiseLetters, pseudonymSql } from './pseudonym.js';
import { openLetter, type PiiService } from './pii-service.js';
import { openSourcePayload } from './source-payload.js';
import { format } from '../i18n/catalogue.js';
import { messages } from './messages.zh-CN.js';
import { clearId, idForms, isPhoneId, isPiiToken } from './pii-ids.js';

type Executor = Db | Transaction<Database>;

/** The E.164 form of a mainland or international phone number as typed by staff, or null. */
export function phoneE164(input: string): string | null {
  const s = input.replace(/[\s\-().]/g, '');
  const m = /^(?:\+86|0086|86)?(1[3-9]\d{9})$/.exec(s);
  if (m) return `+86${m[1]}`;
  const i = /^(?:\+|00)([1-9]\d{6,14})$/.exec(s);
  return i ? `+${i[1]}` : null;
}

/**
 * The ids one citizen is known by: the one given, and a phone verified by an openid (or the openids of a phone); each
 * phone both in clear (rows written before tokens) and as its token (privacy/pii-ids.ts).
 */
export async function citizenIds(db: Executor, pii: PiiService, id: string): Promise<string[]> {
  const forms = await idForms(db, pii, id);
  const linked = await sql<{
    openid: string;
    phone: string;
  }>`select openid, phone from mp_phones where openid = any(${forms}::text[]) or phone = any(${forms}::text[])`.execute(
    db,
  );
  const all = new Set([...forms, ...linked.rows.flatMap((r) => [r.openid, r.phone])]);
  for (const v of [...all]) if (isPiiToken(v)) all.add(await clearId(db, pii, v));
  for (const v of [...all]) if (isPhoneId(v)) for (const f of await idForms(db, pii, v)) all.add(f);
  return [...all];
}

/** The citizen's letters: by sender id, by the keyed hash of the (encrypted) phone, by a clear phone of old rows, by unionid. */
async function letterRows(db: Executor, pii: PiiService, ids: string[], lock = false) {
  const hashes = ids.flatMap((id) => pii.lookupHashes(id));
  const r = await sql<{
    id: string;
    channel: string;
    serial: string | null;
    status: string;
    received_at: Date;
    extraction_code: string;
    body: unknown;
    pseudonymised_at: Date | null;
  }>`
    select id, channel, serial, status, received_at, extraction_code, body, pseudonymised_at from letters
    where citizen_id = any(${ids}::text[]) or citizen_phone_hash = any(${hashes}::text[]) or body->'citizen'->>'phone' = any(${ids}::text[]) or body->'citizen'->>'unionId' = any(${ids}::text[])
    order by received_at ${lock ? sql`for update` : sql``}`.execute(db);
  return r.rows.map((l) => ({ ...l, body: openLetter(pii, l.body) }));
}

export async function exportCitizen(db: Executor, pii: PiiService, ids: string[]): Promise<Record<string, unknown>> {
  const letters = await letterRows(db, pii, ids);
  const letterIds = letters.map((l) => l.id);
  const [sources, deliveries, surveys] = await Promise.all([
    sql<
      Record<string, unknown>
    >`select letter_id, channel, provider_message_id, type, received_at, payload from source_messages where letter_id = any(${letterIds}::uuid[]) order by id`.execute(
      db,
    ),
    sql`select id, letter_id, channel, recipient, kind, template_key, status, route, variables, rendered, created_at, sent_at from deliveries
        where letter_id = any(${letterIds}::uuid[]) or recipient = any(${ids}::text[]) order by seq`.execute(db),
    sql`select id, letter_id, channel, recipient, state, score, reason, created_at, answered_at from surveys
        where letter_id = any(${letterIds}::uuid[]) or recipient = any(${ids}::text[])`.execute(db),
  ]);
  const other: Record<string, unknown[]> = {};
  for (const t of citizenTables) {
    const cols = t.columns ? sql.join(t.columns.map((c) => sql.ref(c))) : sql`*`;
    const r =
      await sql`select ${cols} from ${sql.table(t.table)} where ${sql.ref(t.column)} = any(${ids}::text[])`.execute(db);
    if (r.rows.length > 0) other[t.table] = [...(other[t.table] ?? []), ...r.rows];
  }
  return {
    exportedAt: new Date().toISOString(),
    citizenIds: ids,
    letters,
    // The citizen's own data in clear: what they typed about themselves is opened from its seal.
    sourceMessages: sources.rows.map((r) => ({ ...r, payload: openSourcePayload(pii, r.payload) })),
    deliveries: deliveries.rows,
    surveys: surveys.rows,
    records: other,
  };
}

export interface ErasureResult {
  letters: number;
  cancelledDeliveries: number;
  deletedRows: number;
  eventId: string | null;
}

/** Erases one citizen inside the caller's transaction. `eraseContent` also removes the letters' text. */
export async function eraseCitizen(
  tx: Transaction<Database>,
  pii: PiiService,
  salt: string,
  ids: string[],
  o: { eraseContent: boolean },
): Promise<ErasureResult> {
  const letters = await letterRows(tx, pii, ids, true);
  const letterIds = letters.map((l) => l.id);
  const cancelled = await sql`
    update deliveries set status = 'failed', last_error = ${format(messages, 'privacy.deliveryCancelled')}, updated_at = now()
    where status in ('queued', 'sending') and (recipient = any(${ids}::text[]) or letter_id = any(${letterIds}::uuid[]))`.execute(
    tx,
  );
  await pseudonymiseLetters(tx, salt, letterIds, { eraseContent: o.eraseContent });
  // Messages to the citizen that belong to no letter (welcome, reminders) keep no trace of them either.
  const dp = pseudonymSql(salt, sql.ref('channel'), sql.ref('recipient'));
  await sql`update deliveries set recipient = ${dp}, variables = '{}'::jsonb, rendered = null, plan = null, body_purged_at = coalesce(body_purged_at, now())
            where recipient = any(${ids}::text[])`.execute(tx);
  const sp = pseudonymSql(salt, sql.ref('channel'), sql.ref('recipient'));
  await sql`update surveys set recipient = ${sp} where recipient = any(${ids}::text[])`.execute(tx);
  let deleted = 0;
  // The phone behind the citizen's token goes last: rows still holding the token stand for nobody any more.
  const tokens = ids.filter(isPiiToken);
  for (const t of citizenTables) {
    const r = await sql`delete from ${sql.table(t.table)} where ${sql.ref(t.column)} = any(${ids}::text[])`.execute(tx);
    deleted += Number(r.numAffectedRows ?? 0);
  }
  await sql`delete from pii_ids where token = any(${tokens}::text[])`.execute(tx);
  const eventId =
    letterIds.length > 0
      ? await queueCaseEvent(tx, {
          letterId: null,
          type: 'citizen.erased',
          data: {
            letterIds,
            serials: letters.map((l) => l.serial).filter((x): x is string => x !== null),
            contentErased: o.eraseContent,
            erasedAt: new Date().toISOString(),
          },
        })
      : null;
  return {
    letters: letterIds.length,
    cancelledDeliveries: Number(cancelled.numAffectedRows ?? 0),
    deletedRows: deleted,
    eventId,
  };
}
