import test from 'ava';
import { phoneToken } from '../_support/pii.js';
import { startTestGateway, eventually, type TestGateway } from '../_support/gateway.js';
import { inbound, lettersOf, newSender, waitForMessage } from '../_support/conversation.js';

let gw: TestGateway;
let second: TestGateway;
test.before(async () => {
  gw = await startTestGateway({ CONVERSATION_QUIET_SECONDS: '600' });
  second = await startTestGateway({ CONVERSATION_QUIET_SECONDS: '600' }, gw.databaseUrl);
});
test.after.always(async () => {
  await second?.stop();
  await gw?.stop();
});

async function sourceOrder(g: TestGateway, sender: string): Promise<string[]> {
  const rows = await g.services.db
    .selectFrom('conversation_messages')
    .select('provider_message_id')
    .where('sender_id', '=', await phoneToken(g, sender))
    .orderBy('id')
    .execute();
  return rows.map((r) => r.provider_message_id);
}

test('when a thousand SMS parts arrive in one push, then they are stored in one call and become one letter per sender', async (t) => {
  const senders = Array.from({ length: 10 }, () => newSender('sms'));
  const parts = Array.from({ length: 100 }, (_, i) =>
    senders.map((s) => inbound(s, { channel: 'sms', text: `第${i + 1}段。` })),
  ).flat();
  // How fast is the benchmarks' business; here one call takes all thousand.
  const r = await gw.services.conversation.accept(parts);
  t.deepEqual(r, { accepted: 1000, duplicates: 0 });
  await gw.services.conversation.accept(senders.map((s) => inbound(s, { channel: 'sms', text: '提交' })));
  for (const s of senders) {
    await waitForMessage(gw, s, 'receipt', 1, 50_000);
    const letters = await lettersOf(gw, s);
    t.is(letters.length, 1);
    const letter = letters[0]!.body;
    t.is(letter.sourceMessages.length, 101);
    t.deepEqual(
      letter.sourceMessages.map((m) => m.providerMessageId),
      await sourceOrder(gw, s),
    );
    t.true(letter.body.startsWith('第1段。\n第2段。\n第3段。'));
    t.true(letter.body.endsWith('第100段。'));
  }
});

test('when one sender writes to two instances at once, then one worker at a time builds one letter in arrival order', async (t) => {
  const sender = newSender();
  const burst = Array.from({ length: 20 }, (_, i) => inbound(sender, { text: `消息${i + 1}` }));
  await Promise.all(burst.map((m, i) => (i % 2 === 0 ? gw : second).services.conversation.accept([m])));
  await eventually(async () => {
    const rows = await gw.services.db
      .selectFrom('conversation_messages')
      .select('id')
      .where('sender_id', '=', sender)
      .where('state', '=', 'pending')
      .execute();
    return rows.length === 0 ? true : undefined;
  });
  await second.services.conversation.accept([inbound(sender, { text: '提交' })]);
  const received = await waitForMessage(gw, sender, 'receipt', 1, 20_000);
  t.deepEqual(
    received.map((m) => m.templateKey),
    ['draft_started', 'draft_submitted', 'receipt'],
  );
  const letters = await lettersOf(gw, sender);
  t.is(letters.length, 1);
  const order = await sourceOrder(gw, sender);
  t.deepEqual(
    letters[0]!.body.sourceMessages.map((m) => m.providerMessageId),
    order,
  );
  const texts = new Map(burst.map((m) => [m.providerMessageId, m.text!]));
  t.is(
    letters[0]!.body.body,
    order
      .slice(0, 20)
      .map((id) => texts.get(id))
      .join('\n'),
  );
  const drafts = await gw.services.db
    .selectFrom('conversation_drafts')
    .select('state')
    .where('sender_id', '=', sender)
    .execute();
  t.deepEqual(
    drafts.map((d) => d.state),
    ['submitted'],
  );
});
