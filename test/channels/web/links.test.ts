import test from 'ava';
import { startTestGateway, eventually, type TestGateway } from '../../_support/gateway.js';
import { Citizen, newPhone, writeLetter } from './_web.js';

// The link in the web mailbox's SMS follows PUBLIC_BASE_URL as set when the message is sent, not as it was when the
// templates were first seeded.
let gw: TestGateway | undefined;
test.after.always(async () => {
  await gw?.stop();
});

test('when PUBLIC_BASE_URL changes after the templates were seeded, then the SMS link uses the new address', async (t) => {
  const first = await startTestGateway({ PUBLIC_BASE_URL: 'https://old.example.gov.cn' });
  const databaseUrl = first.databaseUrl;
  await first.stop();
  gw = await startTestGateway({ PUBLIC_BASE_URL: 'https://new.example.gov.cn' }, databaseUrl);
  const db = gw.services.db;
  const phone = newPhone();
  const id = await writeLetter(new Citizen(gw), phone);
  const delivery = await eventually(
    () =>
      db
        .selectFrom('deliveries')
        .select(['id', 'rendered', 'status', 'last_error'])
        .where('letter_id', '=', id)
        .where('kind', '=', 'receipt')
        .where('status', 'in', ['sent', 'delivered', 'failed'])
        .executeTakeFirst(),
    30_000,
    'the receipt sent',
  );
  t.not(delivery.status, 'failed', delivery.last_error ?? '');
  const text = (delivery.rendered as { text: string }).text;
  t.true(text.includes(`https://new.example.gov.cn/web/letters/\${id}`), text);
  t.false(text.includes('old.example.gov.cn'));
  // What the simulated provider shows the citizen has the new address and the letter's id.
  const call = await eventually(
    () =>
      db.selectFrom('sandbox_provider_calls').select('shown').where('delivery_id', '=', delivery.id).executeTakeFirst(),
    30_000,
    'the SendSms call',
  );
  t.true(call.shown?.includes(`https://new.example.gov.cn/web/letters/${id}`), call.shown ?? '');
});
