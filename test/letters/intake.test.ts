import test from 'ava';
import { sql } from 'kysely';
import { startTestGateway, eventually, type TestGateway } from '../_support/gateway.js';
import { sampleIntake } from '../_support/letters.js';
import { AppError } from '../../gateway/errors.js';

let gw: TestGateway;
test.before(async () => {
  // A post that outlasted the tests' 2 s timeout on a busy machine would be posted again (the case store keeps one case
  // per Idempotency-Key), and the count of posts below would say 2.
  gw = await startTestGateway({ CASE_STORE_TIMEOUT_MS: '10000' });
});
test.after.always(async () => {
  await gw?.stop();
});

test('when a letter is submitted, then it is stored with a time-ordered id and a 6-digit code and forwarded once', async (t) => {
  const r = await gw.services.intake.submit(sampleIntake());
  t.false(r.duplicate);
  t.regex(r.letterId, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  t.regex(r.extractionCode, /^\d{6}$/);
  const row = await eventually(async () => {
    const l = await gw.services.db
      .selectFrom('letters')
      .selectAll()
      .where('id', '=', r.letterId)
      .executeTakeFirstOrThrow();
    return l.serial ? l : undefined;
  });
  t.is(row.status, 'accepted');
  t.regex(row.serial!, /^CD\d{8}\d{6}$/);
  const atCaseStore = await gw.services.db
    .selectFrom('sandbox_case_letters')
    .selectAll()
    .where('letter_id', '=', r.letterId)
    .executeTakeFirstOrThrow();
  t.is(atCaseStore.serial, row.serial!);
  t.is(atCaseStore.deliveries, 1);
});

test('when the same source message arrives ten times at once, then one letter is stored', async (t) => {
  const input = sampleIntake();
  const results = await Promise.all(
    Array.from({ length: 10 }, () => gw.services.intake.submit(structuredClone(input))),
  );
  const ids = new Set(results.map((r) => r.letterId));
  t.is(ids.size, 1);
  t.is(results.filter((r) => !r.duplicate).length, 1);
  const count = await gw.services.db
    .selectFrom('source_messages')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('provider_message_id', '=', input.sources[0]!.providerMessageId)
    .executeTakeFirstOrThrow();
  t.is(Number(count.n), 1);
});

test('when a letter fails the schema, then intake refuses it naming the field and stores nothing', async (t) => {
  const input = sampleIntake({ citizen: { channelUserId: 'x', phone: '13800138000', anonymous: false } });
  const err = await t.throwsAsync(() => gw.services.intake.submit(input), { instanceOf: AppError });
  t.is(err?.code, 'letter_invalid');
  t.deepEqual(
    err?.details.problems?.map((p) => p.field),
    ['citizen.phone'],
  );
  const stored = await gw.services.db
    .selectFrom('source_messages')
    .select('id')
    .where('provider_message_id', '=', input.sources[0]!.providerMessageId)
    .execute();
  t.is(stored.length, 0);
});

test('when text holds control characters and decomposed Unicode, then intake stores it cleaned and NFC', async (t) => {
  const r = await gw.services.intake.submit(sampleIntake({ body: 'Cafe\u0301\u0007 路灯\r\n坏了' }));
  t.false(r.duplicate);
  if (r.duplicate) return;
  t.is(r.letter.body, 'Caf\u00e9 路灯\n坏了');
});

test('when a letter shares one of its several source messages with a stored letter, then it is that letter again', async (t) => {
  const first = sampleIntake();
  first.sources.push({
    providerMessageId: `${first.sources[0]!.providerMessageId}-b`,
    receivedAt: new Date().toISOString(),
    type: 'image',
    payload: {},
  });
  const stored = await gw.services.intake.submit(first);
  const second = sampleIntake();
  second.sources.unshift({ ...first.sources[1]! });
  const again = await gw.services.intake.submit(second);
  t.true(again.duplicate);
  t.is(again.letterId, stored.letterId);
  t.is(again.extractionCode, stored.extractionCode);
  const orphan = await gw.services.db
    .selectFrom('source_messages')
    .select('id')
    .where('provider_message_id', '=', second.sources[1]!.providerMessageId)
    .execute();
  t.is(orphan.length, 0, 'the new source message of the duplicate is not stored');
});

test('when a body is longer than the canonical limit and the letter already holds the most attachments, then the full text takes the last place and both notes are in the body', async (t) => {
  const photo = {
    kind: 'image' as const,
    url: 'https://gateway.example/attachments/x',
    contentType: 'image/jpeg',
    bytes: 10,
    sha256: 'a'.repeat(64),
  };
  // 7,000 characters of which some are outside the BMP: the cut never splits a surrogate pair.
  const body = '路灯😀'.repeat(2_333) + '完';
  const r = await gw.services.intake.submit(
    sampleIntake({ body, attachments: Array.from({ length: 20 }, () => photo) }),
  );
  t.false(r.duplicate);
  if (r.duplicate) return;
  const letter = r.letter;
  t.is(letter.attachments.length, 20);
  t.deepEqual(
    letter.attachments.slice(0, 19),
    Array.from({ length: 19 }, () => photo),
  );
  const file = letter.attachments[19]!;
  t.like(file, { kind: 'file', contentType: 'text/plain; charset=utf-8', bytes: Buffer.byteLength(body) });
  t.true(letter.body.length <= 5000);
  t.true(letter.body.endsWith('\n（另有1个附件超出数量上限，未随信转交）\n（正文过长，全文见附件）'));
  t.false(/[\ud800-\udbff](?![\udc00-\udfff])/.test(letter.body));
  t.is(await (await fetch((file as { url: string }).url)).text(), body);
});

test('when letters are submitted together and one is a repeat, one partly stored and one invalid, then each gets its own answer', async (t) => {
  const earlier = sampleIntake();
  const stored = await gw.services.intake.submit(earlier);
  const partly = sampleIntake();
  partly.sources.unshift({ ...earlier.sources[0]! });
  const fresh = [sampleIntake({ body: '第一封' }), sampleIntake({ body: '第二封' })];
  const results = await gw.services.intake.submitMany([
    fresh[0]!,
    earlier,
    sampleIntake({ body: '' }),
    partly,
    fresh[1]!,
  ]);
  const [a, repeat, invalid, part, b] = results;
  t.true(invalid instanceof AppError);
  for (const r of [repeat, part]) {
    t.false(r instanceof AppError);
    t.true(!(r instanceof AppError) && r!.duplicate && r!.letterId === stored.letterId);
  }
  const ids = [a, b].map((r) => (r instanceof AppError || !r ? '' : r.letterId));
  const rows = await gw.services.db
    .selectFrom('letters')
    .select(['id', 'body'])
    .where('id', 'in', ids)
    .orderBy('id')
    .execute();
  t.deepEqual(
    rows.map((r) => r.body.body),
    ['第一封', '第二封'],
  );
  // Each new letter stored once, with its own source message only.
  const sources = await gw.services.db
    .selectFrom('source_messages')
    .select('letter_id')
    .where('letter_id', 'in', ids)
    .execute();
  t.is(sources.length, 2);
});

test("when one citizen's letters are submitted together, then they take successive turns at the forwarder", async (t) => {
  const citizen = { channelUserId: 'o_turns_citizen', anonymous: false };
  const inputs = [1, 2, 3].map((i) => sampleIntake({ channel: 'wechat-oa', citizen, body: `第${i}封` }));
  const results = await gw.services.intake.submitMany(inputs);
  const ids = results.map((r) => (r instanceof AppError ? '' : r.letterId));
  const { rows } = await sql<{ id: string; sender_turn: number }>`
    select id, sender_turn from letters where id = any(${ids}::uuid[])`.execute(gw.services.db);
  t.deepEqual(
    ids.map((id) => rows.find((r) => r.id === id)?.sender_turn),
    [1, 2, 3],
  );
});
