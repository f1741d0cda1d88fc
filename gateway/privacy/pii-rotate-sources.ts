// Key rotation of the personal fields sealed in source messages' raw payloads (privacy/source-payload.ts): every
// payload not yet purged whose name or phone is in clear (stored before sealing) or under a key other than the current
// one is re-encrypted under the current key. Batches of one short transaction each, rows taken with FOR UPDATE SKIP
// LOCKED; a pass ends when a batch finds nothing (rows locked by the gateway are picked up by the next run).
import { sql } from 'kysely';
import type { Db } from '../store/db.js';
import type { PiiService } from './pii-service.js';
import { sealedSourceFields, sealSourcePayload } from './source-payload.js';

export async function rotateSourcePayloads(
  db: Db,
  pii: PiiService,
  o: { batchSize: number; onBatch?: (n: number) => void },
): Promise<{ payloads: number; batches: number }> {
  const current = `pii1.${pii.ring.current.id}.%`;
  const needs = sql.join(
    sealedSourceFields.map(
      (f) =>
        sql`(jsonb_typeof(s.payload->${f}) = 'string' and s.payload->>${f} <> '' and s.payload->>${f} not like ${current})`,
    ),
    sql` or `,
  );
  const result = { payloads: 0, batches: 0 };
  let after = '0';
  for (;;) {
    const done = await db.transaction().execute(async (tx) => {
      const rows = (
        await sql<{ id: string; payload: unknown }>`
          select s.id, s.payload from source_messages s
          where s.id > ${after}::bigint and s.payload_purged_at is null and jsonb_typeof(s.payload) = 'object' and (${needs})
          order by s.id limit ${o.batchSize}
          for update skip locked`.execute(tx)
      ).rows;
      if (rows.length === 0) return 0;
      after = rows[rows.length - 1]!.id;
      // Open with the whole ring (old keys included), seal under the current key.
      const next = rows.map((r) => {
        const clear = { ...(r.payload as Record<string, unknown>) };
        for (const f of sealedSourceFields) if (typeof clear[f] === 'string') clear[f] = pii.decrypt(clear[f]);
        return { id: r.id, payload: JSON.stringify(sealSourcePayload(pii, clear)) };
      });
      await sql`
        update source_messages s set payload = v.payload
        from unnest(${next.map((x) => x.id)}::bigint[], ${next.map((x) => x.payload)}::jsonb[]) as v(id, payload)
        where s.id = v.id`.execute(tx);
      return rows.length;
    });
    if (done === 0) return result;
    result.payloads += done;
    result.batches += 1;
    o.onBatch?.(done);
  }
}
