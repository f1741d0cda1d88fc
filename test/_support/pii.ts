// Phones as the gateway stores them: the citizen's token (gateway/privacy/pii-ids.ts), for tests that look rows up
// by phone or read a stored phone back.
import { sql } from 'kysely';
import type { TestGateway } from './gateway.js';
import type { Db } from '../../gateway/store/db.js';
import { clearId, storedId } from '../../gateway/privacy/pii-ids.js';

/** The token every table holds in place of `phone` (created when the gateway has not seen the number yet). */
export const phoneToken = (gw: TestGateway, phone: string): Promise<string> =>
  storedId(gw.services.db, gw.services.pii, phone);

/** The phone behind a stored token (anything else as it is). */
export const phoneOf = (gw: TestGateway, stored: string): Promise<string> =>
  clearId(gw.services.db, gw.services.pii, stored);

/**
 * `table.column: value` for every text, varchar and json(b) column of every table that holds one of `digits` in
 * clear, except the `allowed` ones.
 */
export async function clearPhoneHits(db: Db, digits: string[], allowed: string[] = []): Promise<string[]> {
  const columns = await sql<{ table_name: string; column_name: string }>`
    select c.table_name, c.column_name from information_schema.columns c
    join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
    where c.table_schema = 'public' and t.table_type = 'BASE TABLE'
      and c.data_type in ('text', 'character varying', 'character', 'jsonb', 'json', 'ARRAY')
    order by 1, 2`.execute(db);
  const found: string[] = [];
  for (const { table_name: table, column_name: column } of columns.rows) {
    if (allowed.includes(`${table}.${column}`)) continue;
    for (const d of digits) {
      const hit = await sql<{ v: string }>`
        select ${sql.ref(column)}::text as v from ${sql.table(table)} where ${sql.ref(column)}::text like ${`%${d}%`}
        limit 1`.execute(db);
      if (hit.rows[0]) found.push(`${table}.${column}: ${hit.rows[0].v.slice(0, 600)}`);
    }
  }
  return found;
}
