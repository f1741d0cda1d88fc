// Applies a provider's later word on a delivery (SMS delivery report, WeChat TEMPLATESENDJOBFINISH): found by our
// delivery id when the provider echoes it, else by its message id. Reports may arrive before our own "sent" is
// recorded, repeated, or for deliveries we do not know; none of that is an error. A delivery keeps the channel of
// its letter while its plan may have carried it on another (an SMS sent as fallback for a WeChat message): the
// report's channel is matched against the channel of the plan step it went out on, not the letter's.
import { sql } from 'kysely';
import type { Db } from '../store/db.js';
import type { DeliveryReport } from '../channels/adapter.js';
import { isUuid } from '../lib/uuid.js';
import { deliveryEventData, queueCaseEvent } from '../outbox/case-events.js';

export async function applyDeliveryReport(
  db: Db,
  report: DeliveryReport,
): Promise<{ found: boolean; deliveryId?: string }> {
  let q = db
    .selectFrom('deliveries')
    .select(['id', 'status', 'route', 'letter_id', 'kind', 'provider_message_id'])
    .where(sql<boolean>`coalesce(plan -> plan_step ->> 'channel', channel) = ${report.channel}`);
  if (report.deliveryId && isUuid(report.deliveryId)) q = q.where('id', '=', report.deliveryId);
  else if (report.providerMessageId) q = q.where('provider_message_id', '=', report.providerMessageId);
  else return { found: false };
  const delivery = await q.executeTakeFirst();
  if (!delivery) return { found: false };
  await db.transaction().execute(async (tx) => {
    await tx
      .insertInto('delivery_attempts')
      .values({
        delivery_id: delivery.id,
        at: report.at,
        channel: report.channel,
        route: delivery.route ?? 'report',
        outcome: `report:${report.outcome}`,
        provider_message_id: report.providerMessageId ?? null,
        error_code: report.errorCode ?? null,
        error:
          report.outcome === 'failed'
            ? `provider reported failure${report.errorCode ? ` ${report.errorCode}` : ''}`
            : null,
      })
      .execute();
    // Only a delivery on its way may change; a final "delivered" is never undone by a late or repeated report.
    const error = report.outcome === 'failed' ? `provider: ${report.errorCode ?? 'failed'}` : null;
    const changed = await tx
      .updateTable('deliveries')
      .set({ status: report.outcome, last_error: error, updated_at: new Date() })
      .where('id', '=', delivery.id)
      .where('status', 'in', ['sending', 'sent'])
      .executeTakeFirst();
    if (delivery.letter_id && Number(changed.numUpdatedRows) > 0) {
      await queueCaseEvent(tx, {
        letterId: delivery.letter_id,
        type: 'delivery.updated',
        data: deliveryEventData(
          delivery.id,
          delivery.kind,
          report.channel,
          delivery.route,
          report.outcome,
          report.providerMessageId ?? delivery.provider_message_id,
          error,
        ),
      });
    }
  });
  return { found: true, deliveryId: delivery.id };
}
