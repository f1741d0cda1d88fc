// BACKGROUND_WORK=false: an instance that only takes HTTP, beside one that does the work, on one database.
import test from 'ava';
import { createTestDatabase } from '../_support/database.js';
import { eventually, startTestGateway } from '../_support/gateway.js';
import { postSmsUplink } from '../_support/sms-uplink.js';
import { SMS_PUSH_TOKEN } from '../channels/sandbox/_sandbox.js';

test('when an instance leaves the background work to others, then it stores and acknowledges, and an instance that works drafts, forwards and answers', async (t) => {
  const database = await createTestDatabase();
  const door = await startTestGateway({ SMS_PUSH_TOKEN, BACKGROUND_WORK: 'false' }, database);
  t.teardown(() => door.stop());
  t.is((await fetch(`${door.url}/readyz`)).status, 200);
  const phone = '13900007701';
  t.is((await postSmsUplink(door.url, SMS_PUSH_TOKEN, phone, '投诉：小区门口的路灯坏了一个月')).status, 200);
  t.is((await postSmsUplink(door.url, SMS_PUSH_TOKEN, phone, '提交')).status, 200);
  // Alone, it drafts nothing: several of its polls (500 ms) and its wake-ups go by with both messages still waiting.
  await new Promise((r) => setTimeout(r, 2000));
  const waiting = await door.services.db.selectFrom('conversation_messages').select('state').execute();
  t.deepEqual(
    waiting.map((m) => m.state),
    ['pending', 'pending'],
  );
  const worker = await startTestGateway({ SMS_PUSH_TOKEN }, database);
  t.teardown(() => worker.stop());
  // The worker takes what the door stored: one letter, at the case store, and its receipt sent.
  const letter = await eventually(
    async () =>
      (await worker.services.db
        .selectFrom('letters')
        .select(['id', 'serial'])
        .where('serial', 'is not', null)
        .executeTakeFirst()) ?? undefined,
    30_000,
    'the letter at the case store',
  );
  await eventually(
    async () =>
      (await worker.services.db
        .selectFrom('deliveries')
        .select('status')
        .where('letter_id', '=', letter.id)
        .where('kind', '=', 'receipt')
        .where('status', '=', 'sent')
        .executeTakeFirst()) ?? undefined,
    30_000,
    'the receipt sent',
  );
  t.is((await worker.services.db.selectFrom('letters').select('id').execute()).length, 1);
});
