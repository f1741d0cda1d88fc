// Queues events for the case store (`POST {CASE_STORE_URL}/events`) inside the transaction of the change they report;
// casestore/events.ts sends them. Every feature queues here, so this file depends on nothing but the store.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../store/tables.js';
import { uuidv7 } from '../lib/uuid.js';

export type CaseEventType =
  | 'delivery.updated'
  | 'survey.answered'
  | 'survey.expired'
  | 'letter.status'
  | 'citizen.erased'
  | 'letter.followup'
  | 'alert.raised';

export async function queueCaseEvent(
  db: Kysely<Database> | Transaction<Database>,
  e: { letterId: string | null; type: CaseEventType; data: Record<string, unknown> },
): Promise<string> {
  const id = uuidv7();
  const payload = { id, type: e.type, letterId: e.letterId, occurredAt: new Date().toISOString(), data: e.data };
  await db
    .insertInto('case_events')
    .values({ id, letter_id: e.letterId, type: e.type, payload: JSON.stringify(payload) })
    .execute();
  return id;
}

/** Queues several events with one statement (the dispatcher records a whole batch of outcomes at once). */
export async function queueCaseEvents(
  db: Kysely<Database> | Transaction<Database>,
  events: { letterId: string | null; type: CaseEventType; data: Record<string, unknown> }[],
): Promise<void> {
  if (events.length === 0) return;
  const occurredAt = new Date().toISOString();
  const rows = events.map((e) => {
    const id = uuidv7();
    const payload = { id, type: e.type, letterId: e.letterId, occurredAt, data: e.data };
    return { id, letter_id: e.letterId, type: e.type, payload: JSON.stringify(payload) };
  });
  await db.insertInto('case_events').values(rows).execute();
}

/** The data of a `delivery.updated` event, the same wherever a delivery's state changes. */
export function deliveryEventData(
  id: string,
  kind: string,
  channel: string,
  route: string | null,
  status: string,
  providerMessageId: string | null,
  error: string | null,
) {
  return { deliveryId: id, kind, channel, route, status, providerMessageId, error };
}
