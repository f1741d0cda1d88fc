import test from 'ava';
import { startTestGateway, eventually } from '../_support/gateway.js';
import { fakeCaseStore, CASE_STORE_SECRET } from '../_support/case-store.js';
import { sampleIntake } from '../_support/letters.js';

test('when the case store fails for a while, then delivery events arrive once each, in order per letter, signed', async (t) => {
  const cs = await fakeCaseStore();
  await cs.start();
  cs.script.push({ path: '/events', status: 503 }, { path: '/events', drop: true });
  const gw = await startTestGateway({ CASE_STORE_URL: cs.url, CASE_STORE_SECRET });
  t.teardown(async () => {
    await gw.stop();
    await cs.close();
  });
  const { letterId } = await gw.services.intake.submit(sampleIntake());
  await eventually(async () =>
    (await gw.services.db.selectFrom('letters').select('serial').where('id', '=', letterId).executeTakeFirstOrThrow())
      .serial
      ? true
      : undefined,
  );
  const replies: string[] = [];
  for (const text of ['第一次答复。', '第二次答复。']) {
    const res = await gw.api(`/api/v1/letters/${letterId}/replies`, { method: 'POST', json: { text } });
    replies.push(((await res.json()) as { deliveryId: string }).deliveryId);
  }
  const events = await eventually(
    async () => {
      const rows = await gw.services.db
        .selectFrom('case_events')
        .selectAll()
        .where('letter_id', '=', letterId)
        .orderBy('seq')
        .execute();
      return rows.length === 3 && rows.every((r) => r.state === 'sent') ? rows : undefined;
    },
    30_000,
    'three events sent',
  );
  const posted = cs.received.filter((r) => r.path === '/events');
  t.true(posted.every((r) => r.signatureValid));
  // The first event was tried three times with the same key; each event was accepted exactly once, in order.
  const keys = posted.map((r) => r.idempotencyKey);
  t.deepEqual(keys, [events[0]!.id, events[0]!.id, events[0]!.id, events[1]!.id, events[2]!.id]);
  const data = posted.slice(2).map((r) => r.body.data as { deliveryId: string; kind: string; status: string });
  t.deepEqual(
    data.map((d) => d.kind),
    ['receipt', 'reply', 'reply'],
  );
  t.deepEqual(
    data.slice(1).map((d) => d.deliveryId),
    replies,
  );
  t.true(data.every((d) => d.status === 'sent'));
  t.is(posted[2]!.body.type, 'delivery.updated');
});
