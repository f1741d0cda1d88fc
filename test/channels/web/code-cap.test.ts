import test from 'ava';
import { startTestGateway, eventually, type TestGateway } from '../../_support/gateway.js';
import { phoneToken } from '../../_support/pii.js';
import { Citizen, codeSentTo, newPhone, writeLetter } from './_web.js';

// Verification codes have their own per-phone and per-address limits; SMS_DAILY_CAP_PER_NUMBER is the day's SMS for
// a number's letters, so codes neither count against it nor wait for it.
let gw: TestGateway;
test.before(async () => {
  gw = await startTestGateway({ SMS_DAILY_CAP_PER_NUMBER: '1' });
});
test.after.always(async () => {
  await gw?.stop();
});

const sendsToday = async (phone: string) =>
  (
    await gw.services.db
      .selectFrom('sms_daily_counts')
      .select('sends')
      .where('phone', '=', await phoneToken(gw, phone))
      .executeTakeFirst()
  )?.sends ?? 0;

test('when a citizen verifies by code and writes, then the code leaves the daily cap to the receipt, and a code still comes once the cap is used', async (t) => {
  const phone = newPhone();
  const e164 = `+86${phone}`;
  const id = await writeLetter(new Citizen(gw), phone);
  const receipt = await eventually(
    () =>
      gw.services.db
        .selectFrom('deliveries')
        .select(['status', 'last_error'])
        .where('letter_id', '=', id)
        .where('kind', '=', 'receipt')
        .where('status', 'in', ['sent', 'delivered'])
        .executeTakeFirst(),
    30_000,
    'the receipt sent within a cap of one SMS a day',
  );
  t.truthy(receipt);
  t.is(await sendsToday(e164), 1, 'only the receipt counts');

  // The day's one SMS is used; signing in again on another browser still gets a code.
  const last = await gw.services.db
    .selectFrom('sandbox_messages')
    .select('id')
    .where('recipient', '=', e164)
    .orderBy('id', 'desc')
    .executeTakeFirstOrThrow();
  const other = new Citizen(gw);
  await other.get('/web/');
  t.is((await other.post('/web/verify/send', { phone, next: '/web/' })).status, 200);
  const again = await codeSentTo(gw, e164, Number(last.id));
  t.regex(again.code, /^\d{6}$/);
  t.is(await sendsToday(e164), 1);
});
