import test from 'ava';
import { phoneToken } from '../_support/pii.js';
import { randomUUID } from 'node:crypto';
import { isOptedOut } from '../../gateway/conversation/preferences.js';
import { cleanupConversation } from '../../gateway/conversation/retention.js';
import { startTestGateway, eventually, type TestGateway } from '../_support/gateway.js';
import { sampleIntake } from '../_support/letters.js';
import { inbound, lettersOf, newSender, receivedBy, waitForMessage } from '../_support/conversation.js';

let gw: TestGateway;
test.before(async () => {
  // A long quiet period: anything closing a draft in these tests is a submit word.
  gw = await startTestGateway({
    CONVERSATION_QUIET_SECONDS: '600',
    CONVERSATION_MAILBOX_KEYWORDS: '市长信箱=mayor:市长信箱',
  });
  // Short parts; the sender is a phone, as the SMS channel registers itself.
  gw.services.conversation.registerChannel({ channel: 'sms', partChars: 20, senderIsPhone: true });
  gw.services.conversation.registerChannel({ channel: 'wechat-oa', partChars: 600 });
});
test.after.always(async () => {
  await gw?.stop();
});

const sms = (sender: string, text: string) => inbound(sender, { channel: 'sms', text });

/** A letter accepted by the case store, with a serial and an extraction code. */
async function acceptedLetter(): Promise<{ id: string; serial: string; code: string }> {
  const r = await gw.services.intake.submit(sampleIntake());
  const serial = await eventually(async () => {
    const l = await gw.services.db
      .selectFrom('letters')
      .select('serial')
      .where('id', '=', r.letterId)
      .executeTakeFirstOrThrow();
    return l.serial ?? undefined;
  });
  return { id: r.letterId, serial, code: r.extractionCode };
}

async function queuedFor(recipient: string): Promise<string[]> {
  const rows = await gw.services.db
    .selectFrom('deliveries')
    .select('template_key')
    .where('recipient', '=', await phoneToken(gw, recipient))
    .orderBy('seq')
    .execute();
  return rows.map((r) => r.template_key);
}

test('when the citizen sends the submit word, then the draft is submitted at once', async (t) => {
  const sender = newSender('sms');
  await gw.services.conversation.accept([sms(sender, '小区电梯经常停运'), sms(sender, '请物业尽快维修')]);
  await waitForMessage(gw, sender, 'draft_started');
  await gw.services.conversation.accept([sms(sender, '提交')]);
  const received = await waitForMessage(gw, sender, 'receipt');
  t.deepEqual(
    received.map((m) => m.templateKey),
    ['draft_started', 'draft_submitted', 'receipt'],
  );
  const [letter] = await lettersOf(gw, sender);
  t.is(letter!.body.body, '小区电梯经常停运\n请物业尽快维修');
  t.is(letter!.body.sourceMessages.length, 3);
  t.is(letter!.body.kind, 'other');
});

test('when a letter and the submit word come in one message, then it is submitted without the keep-writing notice', async (t) => {
  const sender = newSender();
  await gw.services.conversation.accept([inbound(sender, { text: '表扬：社区医院的王医生很负责 提交' })]);
  const received = await waitForMessage(gw, sender, 'receipt');
  t.deepEqual(
    received.map((m) => m.templateKey),
    ['draft_submitted', 'receipt'],
  );
  const [letter] = await lettersOf(gw, sender);
  t.is(letter!.body.kind, 'praise');
  t.is(letter!.body.body, '社区医院的王医生很负责');
});

test('when commands arrive in full-width and half-width forms, then they are answered and never become letters', async (t) => {
  const sender = newSender('sms');
  await gw.services.conversation.accept(['帮助', '？', 'help'].map((s) => sms(sender, s)));
  const received = await waitForMessage(gw, sender, 'help', 3);
  t.deepEqual(
    received.map((m) => m.templateKey),
    ['help', 'help', 'help'],
  );
  t.true(String(received[0]!.rendered.text).includes('提交'));
  const drafts = await gw.services.db
    .selectFrom('conversation_drafts')
    .select('id')
    .where('sender_id', '=', await phoneToken(gw, sender))
    .execute();
  t.is(drafts.length, 0);
});

test('when a command arrives in the middle of a draft, then it is answered and stays out of the letter', async (t) => {
  const sender = newSender();
  await gw.services.conversation.accept([
    inbound(sender, { text: '河道有垃圾' }),
    inbound(sender, { text: '帮助' }),
    inbound(sender, { text: '提交' }),
  ]);
  await waitForMessage(gw, sender, 'receipt');
  const [letter] = await lettersOf(gw, sender);
  t.is(letter!.body.body, '河道有垃圾');
  t.is(letter!.body.sourceMessages.length, 2);
  t.true((await receivedBy(gw, sender)).some((m) => m.templateKey === 'help'));
});

test('when the citizen queries with the right serial and code, then status and the reply come back in parts', async (t) => {
  const letter = await acceptedLetter();
  const reply = '您反映的路灯问题已转交城管部门处理。维修人员已于本周三完成更换，请您留意。感谢您的来信！';
  const res = await gw.api(`/api/v1/letters/${letter.id}/replies`, {
    method: 'POST',
    json: { text: reply },
    headers: { 'idempotency-key': randomUUID() },
  });
  t.is(res.status, 202);
  const sender = newSender('sms');
  const fullWidth = `查询　${letter.serial.replace(/[A-Z0-9]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0))}　${letter.code}`;
  await gw.services.conversation.accept([sms(sender, fullWidth)]);
  const received = await eventually(async () => {
    const all = await receivedBy(gw, sender);
    const parts = all.filter((m) => m.templateKey === 'query_result');
    const count = Number((parts[0]?.rendered.params as Record<string, string> | undefined)?.part?.split('/')[1] ?? 99);
    return parts.length >= count ? parts : undefined;
  });
  const params = received.map((m) => m.rendered.params as Record<string, string>);
  t.true(params.length > 1);
  t.true(params.every((p) => p.serial === letter.serial && p.status === '已答复' && [...p.reply!].length <= 20));
  t.is(params.map((p) => p.reply).join(''), reply);
  t.deepEqual(
    params.map((p) => p.part),
    params.map((_, i) => `${i + 1}/${params.length}`),
  );
});

test('when the serial or the code is wrong, then the answer is the same', async (t) => {
  const letter = await acceptedLetter();
  const wrongCode = String((Number(letter.code) + 1) % 1_000_000).padStart(6, '0');
  const a = newSender();
  const b = newSender();
  await gw.services.conversation.accept([inbound(a, { text: `查询 ${letter.serial} ${wrongCode}` })]);
  await gw.services.conversation.accept([inbound(b, { text: `查询 CD20990101999999 ${letter.code}` })]);
  const [ra] = await waitForMessage(gw, a, 'query_not_found');
  const [rb] = await waitForMessage(gw, b, 'query_not_found');
  t.deepEqual(ra!.rendered, rb!.rendered);
  t.false(JSON.stringify(ra!.rendered).includes(letter.serial));
});

test('when a sender keeps guessing codes, then tries are limited and the limit is announced once', async (t) => {
  const letter = await acceptedLetter();
  const sender = newSender('sms');
  const guesses = Array.from({ length: 7 }, (_, i) =>
    sms(sender, `查询${letter.serial} ${String(i).padStart(6, '0')}`),
  );
  const wrong = guesses.filter((g) => !g.text!.endsWith(letter.code)).slice(0, 6);
  await gw.services.conversation.accept(wrong);
  // Even the right code is refused while the sender is limited; `帮助` afterwards marks the end of the run.
  await gw.services.conversation.accept([sms(sender, `查询 ${letter.serial} ${letter.code}`), sms(sender, '帮助')]);
  await eventually(async () => ((await queuedFor(sender)).includes('help') ? true : undefined));
  t.deepEqual(await queuedFor(sender), [
    'query_not_found',
    'query_not_found',
    'query_not_found',
    'query_not_found',
    'query_not_found',
    'rate_limited',
    'help',
  ]);
});

test('when a citizen opts out, then it is recorded and confirmed once', async (t) => {
  const sender = newSender('sms');
  const other = newSender('sms');
  t.false(await isOptedOut(gw.services.db, 'sms', await phoneToken(gw, sender)));
  await gw.services.conversation.accept([
    sms(sender, 'TD'),
    sms(sender, '退订'),
    sms(sender, 'ｔ'),
    sms(sender, '帮助'),
  ]);
  await eventually(async () => ((await queuedFor(sender)).includes('help') ? true : undefined));
  t.deepEqual(await queuedFor(sender), ['optout_confirm', 'help']);
  // Preferences name the citizen by the phone's token, as deliveries do.
  t.true(await isOptedOut(gw.services.db, 'sms', await phoneToken(gw, sender)));
  t.false(await isOptedOut(gw.services.db, 'sms', await phoneToken(gw, other)));
  t.false(await isOptedOut(gw.services.db, 'wechat-oa', sender));
  await waitForMessage(gw, sender, 'optout_confirm');
});

test('when the submit word comes with nothing written, then the citizen is told how to write', async (t) => {
  const sender = newSender();
  await gw.services.conversation.accept([inbound(sender, { text: '提交' })]);
  const [m] = await waitForMessage(gw, sender, 'nothing_to_submit');
  t.true(String(m!.rendered.text).includes('提交'));
  t.is((await lettersOf(gw, sender)).length, 0);
});

test('when handled messages are older than the retention period, then the cleanup removes them and keeps recent ones', async (t) => {
  const old = newSender();
  const recent = newSender();
  await gw.services.conversation.accept([
    inbound(old, { text: '帮助' }),
    inbound(old, { text: '旧的来信 提交' }),
    inbound(recent, { text: '帮助' }),
  ]);
  await waitForMessage(gw, old, 'receipt');
  await waitForMessage(gw, recent, 'help');
  const db = gw.services.db;
  await db
    .updateTable('conversation_messages')
    .set({ created_at: new Date(Date.now() - 31 * 86_400_000) })
    .where('sender_id', '=', old)
    .execute();
  await db
    .updateTable('conversation_drafts')
    .set({ closed_at: new Date(Date.now() - 31 * 86_400_000) })
    .where('sender_id', '=', old)
    .execute();
  await cleanupConversation(db, gw.services.config.RETENTION_CONVERSATION_DAYS);
  const left = await db
    .selectFrom('conversation_messages')
    .select('sender_id')
    .where('sender_id', 'in', [old, recent])
    .execute();
  t.deepEqual(
    left.map((r) => r.sender_id),
    [recent],
  );
  t.is((await db.selectFrom('conversation_drafts').select('id').where('sender_id', '=', old).execute()).length, 0);
  t.is((await lettersOf(gw, old)).length, 1);
});

test('when a message carries NUL characters, then it is still stored and the letter is written without them', async (t) => {
  const sender = newSender('sms');
  const m = sms(sender, '路灯\u0000坏了 提交');
  m.payload = { content: '路灯\u0000坏了 提交', extra: ['\u0000'] };
  t.deepEqual(await gw.services.conversation.accept([m]), { accepted: 1, duplicates: 0 });
  await waitForMessage(gw, sender, 'receipt');
  const [letter] = await lettersOf(gw, sender);
  t.is(letter!.body.body, '路灯坏了');
});

test('when a letter starts with a configured mailbox word, then it goes to that mailbox', async (t) => {
  const sender = newSender();
  await gw.services.conversation.accept([
    inbound(sender, { text: '市长信箱 咨询：新生入学需要哪些材料？' }),
    inbound(sender, { text: '提交' }),
  ]);
  await waitForMessage(gw, sender, 'receipt');
  const [letter] = await lettersOf(gw, sender);
  t.deepEqual(letter!.body.mailbox, { id: 'mayor', name: '市长信箱' });
  t.is(letter!.body.kind, 'consultation');
  t.is(letter!.body.body, '新生入学需要哪些材料？');
});

test('when one message cannot be handled, then it is set aside after a few tries and the sender is not blocked', async (t) => {
  const sender = newSender();
  // A channel bug: text that is not a string.
  const broken = inbound(sender, { text: 42 as unknown as string });
  await gw.services.conversation.accept([broken, inbound(sender, { text: '公园长椅坏了 提交' })]);
  // A few tries with back-off first: generous for a busy machine.
  await waitForMessage(gw, sender, 'receipt', 1, 50_000);
  const [letter] = await lettersOf(gw, sender);
  t.is(letter!.body.body, '公园长椅坏了');
  const row = await gw.services.db
    .selectFrom('conversation_messages')
    .select(['state', 'error'])
    .where('provider_message_id', '=', broken.providerMessageId)
    .executeTakeFirstOrThrow();
  t.is(row.state, 'failed');
  t.truthy(row.error);
});
