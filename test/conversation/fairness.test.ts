// test-worker: alone (a long file: grouped with others, it would hold their worker back; see compile-tests.ts).
import test from 'ava';
import { phoneToken } from '../_support/pii.js';
import { sql } from 'kysely';
import { startTestGateway, eventually, type TestGateway } from '../_support/gateway.js';
import { inbound, lettersOf, newSender } from '../_support/conversation.js';

// One sender's huge push must not hold back other citizens at any stage: the conversation takes a bounded share of
// the big sender's messages per pass, the forwarder takes each citizen's next letter before anyone's second, and
// messages to one citizen go out one at a time while others' go alongside. Asserted on order, not on time.
const bigPush = 300;
const perPass = 20;
let gw: TestGateway;
test.before(async () => {
  gw = await startTestGateway({
    CONVERSATION_QUIET_SECONDS: '600',
    CONVERSATION_MESSAGES_PER_PASS: String(perPass),
    FORWARD_BATCH_SIZE: '50',
  });
});
test.after.always(async () => {
  await gw?.stop();
});

const count = async (q: ReturnType<typeof sql<{ n: string }>>) =>
  Number((await q.execute(gw.services.db)).rows[0]?.n ?? 0);

test('when one sender pushes hundreds of letters at once and then other citizens write, then they are handled before the backlog drains', async (t) => {
  t.timeout(300_000);
  const big = newSender('sms');
  const early = newSender('sms');
  const late = newSender('sms');
  await gw.forwarder.stop();
  t.deepEqual(
    await gw.services.conversation.accept(
      Array.from({ length: bigPush }, (_, i) =>
        inbound(big, { channel: 'sms', text: `第${i + 1}件事：路灯坏了 提交` }),
      ),
    ),
    { accepted: bigPush, duplicates: 0 },
  );
  t.deepEqual(
    await gw.services.conversation.accept([inbound(early, { channel: 'sms', text: '咨询：社保卡怎么补办 提交' })]),
    { accepted: 1, duplicates: 0 },
  );

  // A citizen writing just after the push becomes a letter while the big sender's drafts are still being closed.
  const earlyLetter = await firstLetterOf(early);
  const bigBefore = await count(
    sql<{
      n: string;
    }>`select count(*) as n from letters where citizen_id = ${await phoneToken(gw, big)} and created_at < ${earlyLetter.created_at}::timestamptz`,
  );
  t.true(bigBefore < bigPush / 2, `${bigBefore} of the big sender's ${bigPush} letters were stored first`);

  // A citizen writing once the whole backlog is stored still gets into the forwarder's first batch.
  await eventually(
    async () => ((await lettersOf(gw, big)).length === bigPush ? true : undefined),
    120_000,
    'every letter of the big push',
  );
  await gw.services.conversation.accept([inbound(late, { channel: 'sms', text: '投诉：楼下噪音扰民 提交' })]);
  const lateLetter = await firstLetterOf(late);
  gw.forwarder.start();
  const forwarded = await eventually(
    async () => {
      const row = await gw.services.db
        .selectFrom('letters')
        .select('forwarded_at')
        .where('id', '=', lateLetter.id)
        .where('forward_state', '=', 'forwarded')
        .executeTakeFirst();
      return row?.forwarded_at ?? undefined;
    },
    30_000,
    "the late citizen's letter at the case store",
  );
  t.is(
    await count(
      sql<{
        n: string;
      }>`select count(*) as n from letters where citizen_id = ${await phoneToken(gw, big)} and forwarded_at < ${forwarded}::timestamptz`,
    ),
    0,
  );

  // Its receipt goes out ahead of most of the big sender's, which go one at a time.
  const receiptSent = await eventually(
    async () => {
      const row = await gw.services.db
        .selectFrom('deliveries')
        .select('sent_at')
        .where('recipient', '=', await phoneToken(gw, late))
        .where('kind', '=', 'receipt')
        .executeTakeFirst();
      return row?.sent_at ?? undefined;
    },
    30_000,
    "the late citizen's receipt",
  );
  const bigReceiptsBefore = await count(
    sql<{
      n: string;
    }>`select count(*) as n from deliveries where recipient = ${big} and kind = 'receipt' and sent_at < ${receiptSent}::timestamptz`,
  );
  t.true(bigReceiptsBefore < bigPush / 2, `${bigReceiptsBefore} of the big sender's receipts went out first`);
});

async function firstLetterOf(citizen: string) {
  const rows = await eventually(
    async () => {
      const r = await lettersOf(gw, citizen);
      return r.length > 0 ? r : undefined;
    },
    60_000,
    `a letter from ${citizen}`,
  );
  return rows[0]!;
}
