// test-worker: alone (a long file: grouped with others, it would hold their worker back; see compile-tests.ts).
// The conversation pass over a whole claimed batch of senders: one failing sender does not hold back the others of
// its batch, and two instances claiming batches at once never handle one sender twice.
import test from 'ava';
import { startTestGateway, eventually, type TestGateway } from '../_support/gateway.js';
import { inbound, lettersOf, newSender, waitForMessage } from '../_support/conversation.js';

let gw: TestGateway;
let second: TestGateway;
test.before(async () => {
  // Never set aside within the test: the failing sender stays failing on every pass.
  const settings = { CONVERSATION_QUIET_SECONDS: '600', CONVERSATION_FAILURES_BEFORE_SET_ASIDE: '100' };
  gw = await startTestGateway(settings);
  second = await startTestGateway(settings, gw.databaseUrl);
});
test.after.always(async () => {
  await second?.stop();
  await gw?.stop();
});

async function count(g: TestGateway, recipient: string, templateKey: string): Promise<number> {
  const r = await g.services.db
    .selectFrom('deliveries')
    .select((e) => e.fn.countAll<string>().as('n'))
    .where('recipient', '=', recipient)
    .where('template_key', '=', templateKey)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

test('when one sender of a claimed batch cannot be handled, then every other sender of the batch still gets its letter', async (t) => {
  const broken = newSender();
  const others = Array.from({ length: 30 }, () => newSender());
  // One push, so that every sender is due at once and claimed in the same batch.
  await gw.services.conversation.accept([
    // A channel bug: text that is not a string.
    inbound(broken, { text: 42 as unknown as string }),
    inbound(broken, { text: '后面这条要等前面那条' }),
    ...others.map((s, i) => inbound(s, { text: `第${i}号路灯坏了 提交` })),
  ]);
  for (const s of others) {
    await waitForMessage(gw, s, 'receipt', 1, 60_000);
    const letters = await lettersOf(gw, s);
    t.is(letters.length, 1);
    t.regex(letters[0]!.body.body, /^第\d+号路灯坏了$/);
  }
  // The failing sender keeps failing (and its later message waits behind the first, in order); nothing of it is lost.
  await eventually(async () => {
    const sender = await gw.services.db
      .selectFrom('conversation_senders')
      .select('failures')
      .where('sender_id', '=', broken)
      .executeTakeFirstOrThrow();
    return sender.failures >= 2 ? true : undefined;
  }, 60_000);
  const states = await gw.services.db
    .selectFrom('conversation_messages')
    .select('state')
    .where('sender_id', '=', broken)
    .orderBy('id')
    .execute();
  t.deepEqual(
    states.map((r) => r.state),
    ['pending', 'pending'],
  );
  t.is((await lettersOf(gw, broken)).length, 0);
});

test('when dozens of senders write to two instances at once, then each sender is handled once, in order, into one letter', async (t) => {
  const senders = Array.from({ length: 60 }, () => newSender());
  const gateways = [gw, second];
  // Every sender's two parts and submit word go to alternating instances, all senders in parallel.
  await Promise.all(
    senders.map(async (s, i) => {
      for (const [k, text] of ['第一段，', '第二段。', '提交'].entries()) {
        await gateways[(i + k) % 2]!.services.conversation.accept([inbound(s, { text })]);
      }
    }),
  );
  for (const s of senders) {
    await waitForMessage(gw, s, 'receipt', 1, 90_000);
    const letters = await lettersOf(gw, s);
    t.is(letters.length, 1, 'one letter per sender');
    t.is(letters[0]!.body.body, '第一段，\n第二段。');
    t.is(letters[0]!.body.sourceMessages.length, 3);
    t.is(await count(gw, s, 'draft_started'), 1);
    t.is(await count(gw, s, 'draft_submitted'), 1);
    t.is(await count(gw, s, 'receipt'), 1);
  }
  const drafts = await gw.services.db
    .selectFrom('conversation_drafts')
    .select(['sender_id', 'state'])
    .where('sender_id', 'in', senders)
    .execute();
  t.is(drafts.length, senders.length);
  t.true(drafts.every((d) => d.state === 'submitted'));
});
