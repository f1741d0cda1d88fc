// How a letter looks to the case store's API (and later to staff): the canonical letter, where it stands, its topic,
// region and what the case store reported (department, deadline, resolution), and every delivery with its attempts.
import type { Db } from '../store/db.js';
import { openLetter, type PiiService } from '../privacy/pii-service.js';
import { isUuid } from '../lib/uuid.js';
import { regionName, topicName } from '../classification/names.js';
import type { z } from 'zod';
import type { DeliveryKind } from '../outbox/deliveries.js';
import type { attemptOutcomes, deliveryViewSchema, letterViewSchema, Wire } from './view-schema.js';

// Re-exported for existing callers; new code imports it from lib/uuid.ts.
export { isUuid };

export async function deliveryViews(db: Db, where: { letterId?: string; deliveryId?: string }) {
  let q = db.selectFrom('deliveries').selectAll().orderBy('seq');
  if (where.letterId) q = q.where('letter_id', '=', where.letterId);
  if (where.deliveryId) q = q.where('id', '=', where.deliveryId);
  const rows = await q.execute();
  if (rows.length === 0) return [];
  const attempts = await db
    .selectFrom('delivery_attempts')
    .selectAll()
    .where(
      'delivery_id',
      'in',
      rows.map((r) => r.id),
    )
    .orderBy('id')
    .execute();
  return rows.map((d) => ({
    id: d.id,
    letterId: d.letter_id,
    channel: d.channel,
    kind: d.kind as DeliveryKind, // written only by queueDeliveries
    templateKey: d.template_key,
    templateVersion: d.template_version,
    status: d.status,
    route: d.route,
    plan: d.plan,
    planStep: d.plan_step,
    providerMessageId: d.provider_message_id,
    lastError: d.last_error,
    variables: d.variables,
    rendered: d.rendered as Record<string, unknown> | null, // a JSON object as the channel rendered it
    createdAt: d.created_at,
    sentAt: d.sent_at,
    attempts: attempts
      .filter((a) => a.delivery_id === d.id)
      .map((a) => ({
        at: a.at,
        channel: a.channel,
        route: a.route,
        outcome: a.outcome as (typeof attemptOutcomes)[number], // written by the dispatcher and by reports.ts
        providerMessageId: a.provider_message_id,
        errorCode: a.error_code,
        error: a.error,
      })),
  }));
}

/** With `pii`, the letter's encrypted personal fields come back in clear (callers mask them where staff read). */
export async function letterView(db: Db, id: string, pii?: PiiService) {
  if (!isUuid(id)) return null;
  const row = await db.selectFrom('letters').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) return null;
  return {
    id: row.id,
    channel: row.channel,
    status: row.status,
    forwardState: row.forward_state,
    serial: row.serial,
    caseId: row.case_id,
    stuck: row.stuck_at !== null,
    rejectedReason: row.rejected_reason,
    forwardAttempts: row.forward_attempts,
    lastForwardError: row.last_forward_error,
    receivedAt: row.received_at,
    forwardedAt: row.forwarded_at,
    letter: pii ? openLetter(pii, row.body) : row.body,
    topic: row.topic
      ? { code: row.topic, name: await topicName(db, row.topic), inferred: row.topic_inferred ?? false }
      : null,
    region: row.region_code
      ? {
          code: row.region_code,
          name: await regionName(row.region_code, row.body.region),
          inferred: row.region_inferred ?? false,
        }
      : null,
    department: row.department,
    deadline: row.deadline_at,
    resolved: row.resolved,
    statusHistory: await statusHistory(db, row.id, row.received_at),
    survey: await surveyView(db, row.id),
    deliveries: await deliveryViews(db, { letterId: row.id }),
  };
}

/** Every status the letter went through, oldest first, starting with its receipt (which has no row of its own). */
async function statusHistory(db: Db, letterId: string, receivedAt: Date | string) {
  const rows = await db
    .selectFrom('letter_status_history')
    .select(['status', 'note', 'at'])
    .where('letter_id', '=', letterId)
    .orderBy('id')
    .execute();
  return [{ status: 'received' as const, note: null, at: receivedAt }, ...rows.filter((r) => r.status !== 'received')];
}

/** The letter's satisfaction survey (at most one) and its result; null when none was started. */
export async function surveyView(db: Db, letterId: string) {
  const s = await db.selectFrom('surveys').selectAll().where('letter_id', '=', letterId).executeTakeFirst();
  if (!s) return null;
  return {
    id: s.id,
    state: s.state,
    trigger: s.trigger,
    startedAt: s.created_at,
    expiresAt: s.expires_at,
    remindedAt: s.reminded_at,
    answeredAt: s.answered_at,
    answerChannel: s.answer_channel,
    expiredAt: s.expired_at,
    withdrawnAt: s.withdrawn_at,
    withdrawReason: s.withdrawn_reason,
    score: s.score,
    reason: s.reason,
    reopenRequested: s.reopen,
  };
}

/** `A`, compiled only when it fits `B`. */
type Fits<A extends B, B> = A;
/**
 * The views as the API writes them, held by the compiler to the schemas the OpenAPI document shows (view-schema.ts);
 * the OpenAPI tests check the values.
 */
export type LetterViewAnswer = Fits<
  Wire<NonNullable<Awaited<ReturnType<typeof letterView>>>>,
  z.input<typeof letterViewSchema>
>;
export type DeliveryViewAnswer = Fits<
  Wire<Awaited<ReturnType<typeof deliveryViews>>[number]>,
  z.input<typeof deliveryViewSchema>
>;
