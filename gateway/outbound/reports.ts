// Applies a provider's later word on a delivery (SMS delivery report, WeChat TEMPLATESENDJOBFINISH): found by our
// delivery id when the provider echoes it, else by its message id. Reports may arrive before our own "sent" is
// recorded, repeated, or for deliveries we do not know; none of that is an error.
import type { Db } from '../store/db.js';
import type { DeliveryReport } from '../channels/adapter.js';
import { isUuid } from '../letters/view.js';

export async function applyDeliveryReport(db: Db, report: DeliveryReport): Promise<{ found: boolean; deliveryId?: string }> {
  let q = db.selectFrom('deliveries').select(['id', 'status', 'route']).where('channel', '=', report.channel);
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
        route: delivery.route ?? 'report',
        outcome: `report:${report.outcome}`,
        provider_message_id: report.providerMessageId ?? null,
        error_code: report.errorCode ?? null,
        error: report.outcome === 'failed' ? `provider reported failure${report.errorCode ? ` ${report.errorCode}` : ''}` : null,
      })
      .execute();
    // Only a delivery on its way may change; a final "delivered" is never undone by a late or repeated report.
    await tx
      .updateTable('deliveries')
      .set({
        status: report.outcome,
        last_error: report.outcome === 'failed' ? `provider: ${report.errorCode ?? 'failed'}` : null,
        updated_at: new Date(),
      })
      .where('id', '=', delivery.id)
      .where('status', 'in', ['sending', 'sent'])
      .execute();
  });
  return { found: true, deliveryId: delivery.id };
}
