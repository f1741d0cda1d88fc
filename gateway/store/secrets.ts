// Secrets the gateway generates itself when none is configured, created once in the database so that every instance
// uses the same one (the first instance to ask wins the insert).
import { randomBytes } from 'node:crypto';
import type { Db } from './db.js';

export async function sharedSecret(
  db: Db,
  name: string,
  generate: () => string = () => randomBytes(32).toString('base64url'),
): Promise<string> {
  await db
    .insertInto('gateway_secrets')
    .values({ name, value: generate() })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  const row = await db.selectFrom('gateway_secrets').select('value').where('name', '=', name).executeTakeFirstOrThrow();
  return row.value;
}
