// Citizen preferences the outbound side must respect: after an opt-out only messages about the citizen's own open
// letters (receipt, reply) are sent; surveys and notices are not.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../store/tables.js';

export async function isOptedOut(db: Kysely<Database> | Transaction<Database>, channel: string, citizenId: string): Promise<boolean> {
  const row = await db
    .selectFrom('citizen_preferences')
    .select('opted_out_at')
    .where('channel', '=', channel)
    .where('citizen_id', '=', citizenId)
    .executeTakeFirst();
  return row?.opted_out_at != null;
}
