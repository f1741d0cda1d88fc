import test from 'ava';
import { sql } from 'kysely';
import { createTestDatabase } from '../../_support/database.js';
import { eventually, startTestGateway } from '../../_support/gateway.js';
import { sampleIntake } from '../../_support/letters.js';

// The simulated Aliyun's delivery report is a row with a due time, not a timer in the process that accepted the SMS:
// a report not pushed before a restart is pushed by the restarted gateway once due.
const env = { SMS_PUSH_TOKEN: 'sandbox-push-token-0123456789' };

test('when the gateway stops before a delivery report is pushed, then the restarted gateway pushes it once due and the delivery is delivered', async (t) => {
  const databaseUrl = await createTestDatabase();
  // The first run's report is due only in an hour: it cannot go out before the stop.
  const first = await startTestGateway({ ...env, SANDBOX_SMS_REPORT_DELAY_MS: '3600000' }, databaseUrl);
  const phone = '+8613900000051';
  const { letterId } = await first.services.intake.submit(
    sampleIntake({ citizen: { channelUserId: phone, phone, anonymous: false } }),
  );
  const call = await eventually(
    () =>
      first.services.db
        .selectFrom('sandbox_provider_calls')
        .select(['id', 'delivery_id', 'report_due_at', 'report'])
        .where('recipient', '=', '13900000051')
        .where('action', '=', 'SendSms')
        .where('report_due_at', 'is not', null)
        .executeTakeFirst(),
    30_000,
    'the SendSms call',
  );
  t.is(call.report, null);
  await first.stop();

  const second = await startTestGateway(env, databaseUrl);
  t.teardown(() => second.stop());
  const status = async () =>
    (
      await second.services.db
        .selectFrom('deliveries')
        .select('status')
        .where('id', '=', call.delivery_id!)
        .executeTakeFirstOrThrow()
    ).status;
  t.is(await status(), 'sent');
  // The hour has passed.
  await sql`update sandbox_provider_calls set report_due_at = now() - interval '1 second' where id = ${call.id}`.execute(
    second.services.db,
  );
  await eventually(async () => ((await status()) === 'delivered' ? true : undefined), 30_000, 'the delivery report');
  // The simulator clears its pending report once the push was taken, which is after the gateway recorded it.
  const row = await eventually(async () => {
    const r = await second.services.db
      .selectFrom('sandbox_provider_calls')
      .select(['report', 'report_pending', 'report_due_at'])
      .where('id', '=', call.id)
      .executeTakeFirstOrThrow();
    return r.report_pending === null ? r : undefined;
  });
  t.is(row.report_due_at, null);
  t.like(row.report, { success: true, err_code: 'DELIVERED', out_id: call.delivery_id });
  t.truthy(letterId);
});
