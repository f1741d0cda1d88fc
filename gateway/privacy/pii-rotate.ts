// Key rotation of the personal data encrypted at rest: every letter whose phone or name is in clear (written before
// encryption) or under a key other than the current one is re-encrypted under the current key, its lookup hash
// recomputed. Batches of one short transaction each, rows taken with FOR UPDATE SKIP LOCKED, so the gateway keeps
// running: a letter it is busy with is skipped and picked up by a later pass.
import { sql } from 'kysely';
import type { Db } from '../store/db.js';
import type { PiiService } from './pii-service.js';
import { isEncrypted } from './pii-crypto.js';

export interface RotationResult {
  /** Letters rewritten under the current key. */
  letters: number;
  /** Batches (transactions) it took. */
  batches: number;
}

interface Row {
  id: string;
  phone: string | null;
  name: string | null;
  /** The channel's user id when it is a phone (clear, before its encryption) or encrypted; openids are not read. */
  uid: string | null;
}

/** Whether a stored value still needs this rotation: clear text, or a key id other than the current one. */
const stale = (pii: PiiService, v: string | null) =>
  v !== null && (!isEncrypted(v) || !v.startsWith(`pii1.${pii.ring.current.id}.`));

export async function rotateLetters(
  db: Db,
  pii: PiiService,
  o: { batchSize: number; onBatch?: (n: number) => void; maxWaitMs?: number },
): Promise<RotationResult> {
  const current = `pii1.${pii.ring.current.id}.%`;
  const uid = sql`(case when l.body->'citizen'->>'channelUserId' ~ '^(\\+[1-9][0-9]{6,14}|pii1\\..*)$'
                        then l.body->'citizen'->>'channelUserId' end)`;
  const needs = sql`((l.body->'citizen'->>'phone' is not null and l.body->'citizen'->>'phone' not like ${current})
                  or (l.body->'citizen'->>'name' is not null and l.body->'citizen'->>'name' not like ${current})
                  or (${uid} is not null and ${uid} not like ${current}))`;
  const result: RotationResult = { letters: 0, batches: 0 };
  const deadline = Date.now() + (o.maxWaitMs ?? 60_000);
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const done = await db.transaction().execute(async (tx) => {
      const rows = (
        await sql<Row>`
        select l.id, l.body->'citizen'->>'phone' as phone, l.body->'citizen'->>'name' as name, ${uid} as uid from letters l
        where l.id > ${after}::uuid and ${needs}
        order by l.id limit ${o.batchSize}
        for update skip locked`.execute(tx)
      ).rows;
      if (rows.length === 0) return 0;
      after = rows[rows.length - 1]!.id;
      // Decrypt with the whole ring (old keys included), encrypt and hash under the current key.
      const next = rows.map((r) => {
        const phone = r.phone === null ? null : pii.decrypt(r.phone);
        const name = r.name === null ? null : pii.decrypt(r.name);
        return {
          id: r.id,
          phone: phone === null ? null : stale(pii, r.phone) ? pii.encrypt(phone) : r.phone,
          name: name === null ? null : stale(pii, r.name) ? pii.encrypt(name) : r.name,
          uid: r.uid === null ? null : stale(pii, r.uid) ? pii.encrypt(pii.decrypt(r.uid)) : r.uid,
          hash: phone === null ? null : pii.lookupHash(phone),
        };
      });
      await sql`
        update letters l set
          body = (select case when v.uid is null then y.b else jsonb_set(y.b, '{citizen,channelUserId}', to_jsonb(v.uid)) end
                  from (select case when v.name is null then x.b else jsonb_set(x.b, '{citizen,name}', to_jsonb(v.name)) end as b
                  from (select case when v.phone is null then l.body else jsonb_set(l.body, '{citizen,phone}', to_jsonb(v.phone)) end as b) x) y),
          citizen_phone_hash = v.hash
        from unnest(${next.map((x) => x.id)}::uuid[], ${next.map((x) => x.phone)}::text[], ${next.map((x) => x.name)}::text[],
                    ${next.map((x) => x.hash)}::text[], ${next.map((x) => x.uid)}::text[]) as v(id, phone, name, hash, uid)
        where l.id = v.id`.execute(tx);
      return rows.length;
    });
    if (done > 0) {
      result.letters += done;
      result.batches += 1;
      o.onBatch?.(done);
      continue;
    }
    // End of one pass: letters the gateway held locked were skipped; go round again until none is left.
    const left = Number(
      (await sql<{ n: string }>`select count(*) as n from letters l where ${needs}`.execute(db)).rows[0]?.n ?? 0,
    );
    if (left === 0) return result;
    if (Date.now() > deadline)
      throw new Error(`${left} letters could not be re-encrypted (still locked); run the rotation again`);
    after = '00000000-0000-0000-0000-000000000000';
    await new Promise((r) => setTimeout(r, 200));
  }
}
