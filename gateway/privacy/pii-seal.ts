// Sealing and rotating `pii_ids` (privacy/pii-ids.ts): phones a migration moved there in clear, and phones encrypted
// under a key other than the current one, are encrypted and hashed under the current key. Batches of one short
// transaction each, rows taken with FOR UPDATE SKIP LOCKED; the tokens themselves never change, so no other table is
// rewritten. Run at every start (clear values never outlive it) and by `npm run pii:rotate`.
import { sql } from 'kysely';
import type { Db } from '../store/db.js';
import type { PiiService } from './pii-service.js';

export async function sealPiiIds(
  db: Db,
  pii: PiiService,
  o: { batchSize: number; onBatch?: (n: number) => void },
): Promise<{ ids: number; batches: number }> {
  const current = `pii1.${pii.ring.current.id}.%`;
  const result = { ids: 0, batches: 0 };
  let after = '';
  for (;;) {
    const done = await db.transaction().execute(async (tx) => {
      const rows = (
        await sql<{ token: string; id_enc: string }>`
          select token, id_enc from pii_ids
          where token > ${after} and (id_hash is null or id_enc not like ${current})
          order by token limit ${o.batchSize}
          for update skip locked`.execute(tx)
      ).rows;
      if (rows.length === 0) return 0;
      after = rows[rows.length - 1]!.token;
      const next = rows.map((r) => {
        const clear = pii.decrypt(r.id_enc);
        return { token: r.token, enc: pii.encrypt(clear), hash: pii.lookupHash(clear) };
      });
      await sql`
        update pii_ids p set id_enc = v.enc, id_hash = v.hash
        from unnest(${next.map((x) => x.token)}::text[], ${next.map((x) => x.enc)}::text[], ${next.map((x) => x.hash)}::text[])
          as v(token, enc, hash)
        where p.token = v.token`.execute(tx);
      return rows.length;
    });
    if (done === 0) return result;
    result.ids += done;
    result.batches += 1;
    o.onBatch?.(done);
  }
}
