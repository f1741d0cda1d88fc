// test-worker: alone (a long file: grouped with others, it would hold their worker back; see compile-tests.ts).
// The held submit confirmation (CONVERSATION_CONFIRM_HOLD_SECONDS): when the case store accepts the letter within the
// hold, the citizen gets the receipt alone (one message fewer per letter); when it does not, the confirmation goes
// once the hold is over and the receipt follows when the letter is accepted. Never both dropped, never doubled.
// The "keep writing" notice of a new draft is held the same way (CONVERSATION_NOTICE_HOLD_SECONDS), and dropped when
// the draft is submitted first.
import test, { type ExecutionContext } from 'ava';
import { startTestGateway, eventually, type TestGateway } from '../_support/gateway.js';
import { fakeCaseStore, CASE_STORE_SECRET } from '../_support/case-store.js';
import { inbound, lettersOf, newSender, receivedBy, waitForMessage } from '../_support/conversation.js';

/** A gateway whose case store is not listening until the test starts it (`cs.start()`). */
async function withCaseStoreDown(t: ExecutionContext, settings: Record<string, string>) {
  const cs = await fakeCaseStore();
  const gw = await startTestGateway({
    CONVERSATION_QUIET_SECONDS: '600',
    ...settings,
    CASE_STORE_URL: cs.url,
    CASE_STORE_SECRET,
    CASE_STORE_TIMEOUT_MS: '3000',
  });
  t.teardown(async () => {
    await gw.stop();
    await cs.close();
  });
  return { gw, cs };
}

async function deliveriesOf(gw: TestGateway, recipient: string, templateKey: string) {
  return gw.services.db
    .selectFrom('deliveries')
    .select(['status', 'attempts'])
    .where('recipient', '=', recipient)
    .where('template_key', '=', templateKey)
    .execute();
}

/** Forty citizens write and submit at once across two instances on one database (either may forward a letter while
 *  the other sends its messages); each must get exactly `expected`, and no dropped message may wait to go later. */
async function dozensOnTwoInstances(t: ExecutionContext, settings: Record<string, string>, expected: string[]) {
  const gw = await startTestGateway({ CONVERSATION_QUIET_SECONDS: '600', ...settings });
  const second = await startTestGateway({ CONVERSATION_QUIET_SECONDS: '600', ...settings }, gw.databaseUrl);
  t.teardown(async () => {
    await second.stop();
    await gw.stop();
  });
  const senders = Array.from({ length: 40 }, () => newSender());
  await Promise.all(
    senders.map(async (s, i) => {
      const g = i % 2 === 0 ? gw : second;
      await g.services.conversation.accept([inbound(s, { text: `第${i}号井盖松动` })]);
      await g.services.conversation.accept([inbound(s, { text: '提交' })]);
    }),
  );
  for (const s of senders) {
    const received = await waitForMessage(gw, s, 'receipt', 1, 60_000);
    t.deepEqual(
      received.map((m) => m.templateKey),
      expected,
    );
    const [letter] = await lettersOf(gw, s);
    t.true(String(received.at(-1)!.rendered.text).includes(letter!.serial!));
    // Dropped, not waiting: they can never go out later.
    t.deepEqual(await deliveriesOf(gw, s, 'draft_submitted'), []);
    if (!expected.includes('draft_started')) t.deepEqual(await deliveriesOf(gw, s, 'draft_started'), []);
    t.is((await deliveriesOf(gw, s, 'receipt')).length, 1);
  }
}

test('when the case store accepts letters within the hold, then each of dozens of citizens gets the receipt alone and no confirmation', async (t) => {
  await dozensOnTwoInstances(t, { CONVERSATION_CONFIRM_HOLD_SECONDS: '120' }, ['draft_started', 'receipt']);
});

test('when dozens of citizens submit within the notice hold too, then each gets only the receipt, on either instance', async (t) => {
  await dozensOnTwoInstances(t, { CONVERSATION_CONFIRM_HOLD_SECONDS: '120', CONVERSATION_NOTICE_HOLD_SECONDS: '120' }, [
    'receipt',
  ]);
});

test('when the case store does not answer within the hold, then the confirmation goes after it and the receipt follows once the letter is accepted', async (t) => {
  const { gw, cs } = await withCaseStoreDown(t, { CONVERSATION_CONFIRM_HOLD_SECONDS: '1' });
  const sender = newSender();
  await gw.services.conversation.accept([
    inbound(sender, { text: '菜市场门口积水严重' }),
    inbound(sender, { text: '提交' }),
  ]);
  // The case store is not listening yet: the letter waits, and the citizen is told it was received.
  const first = await waitForMessage(gw, sender, 'draft_submitted');
  t.deepEqual(
    first.map((m) => m.templateKey),
    ['draft_started', 'draft_submitted'],
  );
  t.is(first[1]!.rendered.text, '已收到您的来信：1段文字，正在登记，稍后发送受理流水号和提取码。');
  const pending = await eventually(async () => (await lettersOf(gw, sender))[0]);
  t.is(pending.serial, null);
  await cs.start();
  const all = await waitForMessage(gw, sender, 'receipt', 1, 60_000);
  t.deepEqual(
    all.map((m) => m.templateKey),
    ['draft_started', 'draft_submitted', 'receipt'],
  );
  t.is((await deliveriesOf(gw, sender, 'draft_submitted')).length, 1);
  t.is((await receivedBy(gw, sender)).length, 3);
});

test('when a draft is submitted within the notice hold, then its "keep writing" notice is never sent, even while the case store is down; a draft left open gets it once the hold ends', async (t) => {
  const { gw, cs } = await withCaseStoreDown(t, { CONVERSATION_NOTICE_HOLD_SECONDS: '2' });
  const [inOnePass, inTwoPasses, leftOpen] = [newSender(), newSender(), newSender()];
  const openDraft = (s: string) =>
    gw.services.db
      .selectFrom('conversation_drafts')
      .select('id')
      .where('sender_id', '=', s)
      .where('state', '=', 'open')
      .executeTakeFirst();
  const started = Date.now();
  await gw.services.conversation.accept([
    inbound(inOnePass, { text: '路口红绿灯不亮' }),
    inbound(inOnePass, { text: '提交' }),
  ]);
  // The draft is open, its notice queued and held, before the submit arrives: the submit drops it.
  await gw.services.conversation.accept([inbound(inTwoPasses, { text: '小区门口占道经营' })]);
  await eventually(async () => openDraft(inTwoPasses), 10_000, 'the draft to open');
  t.is((await deliveriesOf(gw, inTwoPasses, 'draft_started')).length, 1);
  await gw.services.conversation.accept([inbound(inTwoPasses, { text: '提交' })]);
  await gw.services.conversation.accept([inbound(leftOpen, { text: '公园厕所无人打扫' })]);

  // The case store is not listening: no receipt can come, so only the submit can have dropped the notices.
  for (const s of [inOnePass, inTwoPasses]) {
    const received = await waitForMessage(gw, s, 'draft_submitted');
    t.deepEqual(
      received.map((m) => m.templateKey),
      ['draft_submitted'],
    );
    t.deepEqual(await deliveriesOf(gw, s, 'draft_started'), []);
  }
  const notice = await waitForMessage(gw, leftOpen, 'draft_started');
  t.deepEqual(
    notice.map((m) => m.templateKey),
    ['draft_started'],
  );
  const sent = await gw.services.db
    .selectFrom('deliveries')
    .select('updated_at')
    .where('recipient', '=', leftOpen)
    .where('template_key', '=', 'draft_started')
    .executeTakeFirstOrThrow();
  t.true(sent.updated_at.getTime() - started >= 2000, 'the notice waited out its hold');

  // Submitted after the hold, the letter gets its confirmation and, once the case store answers, its receipt.
  await gw.services.conversation.accept([inbound(leftOpen, { text: '提交' })]);
  await cs.start();
  const all = await waitForMessage(gw, leftOpen, 'receipt', 1, 60_000);
  t.deepEqual(
    all.map((m) => m.templateKey),
    ['draft_started', 'draft_submitted', 'receipt'],
  );
});
