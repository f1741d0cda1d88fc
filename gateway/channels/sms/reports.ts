// Delivery reports: each item is stored first (deduplicated by provider message id + phone + report time), then
// applied to its delivery; items stored but not yet applied (a failure half-way) are applied when the push repeats.
import { sql } from 'kysely';
import type { Db } from '../../store/db.js';
import { applyDeliveryReport } from '../../outbound/reports.js';
import type { ParsedReport } from './provider.js';

export async function storeAndApplyReports(
  db: Db,
  provider: string,
  items: ParsedReport[],
  now = new Date(),
): Promise<{ applied: number; rejected: number }> {
  const rows = items.map((r) => ({
    provider,
    dedup_key: r.problem ? null : `${r.providerMessageId ?? r.deliveryId}:${r.phone}:${r.reportedAtRaw ?? ''}`,
    delivery_id: r.deliveryId,
    provider_message_id: r.providerMessageId,
    phone: r.phone,
    outcome: r.outcome,
    error_code: r.errorCode,
    status: r.problem ? ('rejected' as const) : ('accepted' as const),
    reason: r.problem ?? null,
    payload: JSON.stringify(r.raw ?? null),
  }));
  if (rows.length === 0) return { applied: 0, rejected: 0 };
  await db
    .insertInto('sms_reports')
    .values(rows)
    .onConflict((oc) => oc.columns(['provider', 'dedup_key']).where('dedup_key', 'is not', null).doNothing())
    .execute();
  const keys = rows.flatMap((r) => (r.dedup_key ? [r.dedup_key] : []));
  const pending =
    keys.length === 0
      ? []
      : await db
          .selectFrom('sms_reports')
          .select(['id', 'delivery_id', 'provider_message_id', 'outcome', 'error_code'])
          .where('provider', '=', provider)
          .where('dedup_key', 'in', keys)
          .where('applied_at', 'is', null)
          .execute();
  const at = new Map(items.map((r) => [r.providerMessageId ?? r.deliveryId, r.reportedAt ?? now]));
  for (const p of pending) {
    await applyDeliveryReport(db, {
      channel: 'sms',
      ...(p.delivery_id ? { deliveryId: p.delivery_id } : {}),
      ...(p.provider_message_id ? { providerMessageId: p.provider_message_id } : {}),
      outcome: p.outcome ?? 'failed',
      ...(p.error_code && p.error_code !== 'DELIVERED' ? { errorCode: p.error_code } : {}),
      at: at.get(p.provider_message_id ?? p.delivery_id) ?? now,
    });
    await db
      .updateTable('sms_reports')
      .set({ applied_at: sql`now()` })
      .where('id', '=', p.id)
      .execute();
  }
  return { applied: pending.length, rejected: rows.length - keys.length };
}
