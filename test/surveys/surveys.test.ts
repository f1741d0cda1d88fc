import test from 'ava';
import { phoneToken } from '../_support/pii.js';
import { sql } from 'kysely';
import { startTestGateway, eventually, type TestGateway, serialOf } from '../_support/gateway.js';
import { sampleIntake } from '../_support/letters.js';
import { sweepSurveys } from '../../gateway/surveys/surveys.js';
import type { InboundMessage } from '../../gateway/conversation/types.js';

let gw: TestGateway;
test.before(async () => {
  gw = await startTestGateway({
    SURVEY_DELAY_SECONDS: '0',
    SURVEY_ANSWER_GRACE_SECONDS: '2',
    CONVERSATION_QUIET_SECONDS: '60',
  });
});
test.after.always(() => gw?.stop());

let seq = 0;
const sms = (phone: string, text: string): InboundMessage => ({
  channel: 'sms',
  senderId: phone,
  providerMessageId: `survey-${Date.now()}-${seq++}`,
  receivedAt: new Date(),
  type: 'text',
  text,
  payload: { text },
});

async function repliedLetter(phone: string, final = true) {
  const r = await gw.services.intake.submit(
    sampleIntake({ citizen: { channelUserId: phone, phone, anonymous: false } }),
  );
  const serial = await serialOf(gw.services.db, r.letterId);
  await gw.api(`/api/v1/letters/${r.letterId}/replies`, { method: 'POST', json: { text: '问题已解决。', final } });
  return { letterId: r.letterId, serial };
}

const outbox = (phone: string, g = gw) =>
  g.services.db.selectFrom('sandbox_messages').selectAll().where('recipient', '=', phone).orderBy('id').execute();
const keysSent = async (phone: string, g = gw) =>
  (await outbox(phone, g)).map((m) => (m.payload as { templateKey: string }).templateKey);
const surveyOf = (letterId: string, g = gw) =>
  g.services.db.selectFrom('surveys').selectAll().where('letter_id', '=', letterId).executeTakeFirstOrThrow();
const eventsOf = (letterId: string, type: string, g = gw) =>
  g.services.db
    .selectFrom('case_events')
    .selectAll()
    .where('letter_id', '=', letterId)
    .where('type', '=', type)
    .orderBy('seq')
    .execute();

test('when a final reply is sent, then one survey follows it and an SMS answer is recorded, thanked and reported', async (t) => {
  const phone = '+8613500000001';
  const { letterId } = await repliedLetter(phone);
  await eventually(async () => ((await keysSent(phone)).includes('survey') ? true : undefined));
  t.deepEqual(await keysSent(phone), ['receipt', 'reply', 'survey']);
  const again = await gw.api(`/api/v1/letters/${letterId}/surveys`, { method: 'POST' });
  t.is(again.status, 200);
  t.like(await again.json(), { created: false, state: 'open' });

  await gw.services.conversation.accept([sms(phone, '３ 路灯还是不亮，要求重办')]);
  const survey = await eventually(async () => {
    const s = await surveyOf(letterId);
    return s.state === 'answered' ? s : undefined;
  });
  t.is(survey.score, 3);
  t.true(survey.reopen);
  t.is(survey.answer_channel, 'sms');
  await eventually(async () => ((await keysSent(phone)).includes('survey_thanks') ? true : undefined));
  const [event] = await eventsOf(letterId, 'survey.answered');
  t.like(event!.payload, {
    type: 'survey.answered',
    data: { score: 3, label: '不满意', reopenRequested: true, channel: 'sms' },
  });
  t.is(
    (
      await gw.services.db
        .selectFrom('letters')
        .select('id')
        .where('citizen_id', '=', await phoneToken(gw, phone))
        .execute()
    ).length,
    1,
    'the answer did not become a letter',
  );
});

test('when a different answer comes within the grace period it replaces the first; after it, it is ignored politely', async (t) => {
  const phone = '+8613500000002';
  const { letterId } = await repliedLetter(phone);
  await eventually(async () => ((await keysSent(phone)).includes('survey') ? true : undefined));
  await gw.services.conversation.accept([sms(phone, '3')]);
  await eventually(async () => ((await surveyOf(letterId)).state === 'answered' ? true : undefined));
  await gw.services.conversation.accept([sms(phone, '1')]);
  await eventually(async () => ((await surveyOf(letterId)).score === 1 ? true : undefined));
  await new Promise((r) => setTimeout(r, 2100));
  await gw.services.conversation.accept([sms(phone, '2')]);
  await eventually(
    async () => ((await keysSent(phone)).includes('survey_closed') ? true : undefined),
    50_000,
    'the survey-closed reply',
  );
  t.is((await surveyOf(letterId)).score, 1);
  const answered = await eventsOf(letterId, 'survey.answered');
  t.deepEqual(
    answered.map((e) => (e.payload as { data: { score: number } }).data.score),
    [3, 1],
  );
});

test('when one SMS sender has two open surveys, then a bare answer is asked back and an answer with a serial is taken', async (t) => {
  const phone = '+8613500000003';
  const a = await repliedLetter(phone);
  const b = await repliedLetter(phone);
  await eventually(async () => ((await keysSent(phone)).filter((k) => k === 'survey').length === 2 ? true : undefined));
  await gw.services.conversation.accept([sms(phone, '1')]);
  const which = await eventually(async () =>
    (await outbox(phone)).find((m) => (m.payload as { templateKey: string }).templateKey === 'survey_which'),
  );
  t.true(JSON.stringify(which.payload).includes(a.serial) && JSON.stringify(which.payload).includes(b.serial));
  t.is((await surveyOf(a.letterId)).state, 'open');
  t.is((await surveyOf(b.letterId)).state, 'open');
  await gw.services.conversation.accept([sms(phone, `${b.serial} 2`)]);
  await eventually(async () => ((await surveyOf(b.letterId)).state === 'answered' ? true : undefined));
  t.is((await surveyOf(b.letterId)).score, 2);
  t.is((await surveyOf(a.letterId)).state, 'open');
});

test('when a survey goes unanswered, then one reminder is sent before it expires and the case store hears of the expiry', async (t) => {
  const phone = '+8613500000004';
  const { letterId } = await repliedLetter(phone, false);
  const res = await gw.api(`/api/v1/letters/${letterId}/surveys`, { method: 'POST' });
  t.is(res.status, 202);
  // Bring the survey's reminder into the past instead of waiting days.
  await sql`update surveys set remind_at = now() - interval '1 second' where letter_id = ${letterId}`.execute(
    gw.services.db,
  );
  // Once only, however many sweeps run (the scheduler sweeps too).
  const sweeps = await Promise.all([sweepSurveys(gw.services.db), sweepSurveys(gw.services.db)]);
  t.true(sweeps.reduce((n, r) => n + r.reminded, 0) <= 1);
  await eventually(async () => ((await keysSent(phone)).includes('survey_reminder') ? true : undefined));
  // Then its expiry: the case store hears of it once.
  await sql`update surveys set expires_at = now() - interval '1 second' where letter_id = ${letterId}`.execute(
    gw.services.db,
  );
  await sweepSurveys(gw.services.db);
  await eventually(async () => ((await surveyOf(letterId)).state === 'expired' ? true : undefined));
  await eventually(async () => ((await eventsOf(letterId, 'survey.expired')).length > 0 ? true : undefined));
  t.is((await keysSent(phone)).filter((k) => k === 'survey_reminder').length, 1);
  await gw.services.conversation.accept([sms(phone, '1')]);
  await eventually(async () => {
    const pending = await gw.services.db
      .selectFrom('conversation_messages')
      .select('id')
      .where('sender_id', '=', phone)
      .where('state', '=', 'pending')
      .execute();
    return pending.length === 0 ? true : undefined;
  });
  t.is((await surveyOf(letterId)).state, 'expired', 'a late answer does not revive an expired survey');
  t.is((await eventsOf(letterId, 'survey.expired')).length, 1);
});

test('when the citizen opted out, then surveys are not sent but replies still are', async (t) => {
  const phone = '+8613500000005';
  await gw.services.conversation.accept([sms(phone, 'TD')]);
  await eventually(async () => ((await keysSent(phone)).includes('optout_confirm') ? true : undefined));
  const { letterId } = await repliedLetter(phone);
  const survey = await eventually(async () =>
    gw.services.db
      .selectFrom('deliveries')
      .selectAll()
      .where('letter_id', '=', letterId)
      .where('kind', '=', 'survey')
      .where('status', '=', 'failed')
      .executeTakeFirst(),
  );
  t.regex(survey.last_error ?? '', /opted_out/);
  t.true((await keysSent(phone)).includes('reply'));
  t.false((await keysSent(phone)).includes('survey'));
});

test('when the citizen answers before the delayed survey went out, or it expires first, then its queued question is never sent', async (t) => {
  // A gateway of its own with a long delay before the survey question goes out, on a database of its own: instances
  // sharing a database share their settings, and this one would otherwise answer the other tests' citizens with its
  // own grace period and delay.
  const delayed = await startTestGateway({ SURVEY_DELAY_SECONDS: '3600', CONVERSATION_QUIET_SECONDS: '60' });
  t.teardown(() => delayed.stop());
  const start = async (phone: string) => {
    const r = await delayed.services.intake.submit(
      sampleIntake({ citizen: { channelUserId: phone, phone, anonymous: false } }),
    );
    await serialOf(delayed.services.db, r.letterId);
    t.is(
      (
        await delayed.api(`/api/v1/letters/${r.letterId}/replies`, {
          method: 'POST',
          json: { text: '问题已解决。', final: true },
        })
      ).status,
      202,
    );
    await eventually(async () => ((await keysSent(phone, delayed)).includes('reply') ? true : undefined));
    return r.letterId;
  };
  const answeredPhone = '+8613500000021';
  const expiredPhone = '+8613500000022';
  const answeredLetter = await start(answeredPhone);
  const expiredLetter = await start(expiredPhone);
  // The first citizen answers (as in the mini-program, the answer does not need the question); the other survey expires.
  await delayed.services.conversation.accept([sms(answeredPhone, '1')]);
  await eventually(async () => ((await surveyOf(answeredLetter, delayed)).state === 'answered' ? true : undefined));
  await sql`update surveys set expires_at = now() - interval '1 second' where letter_id = ${expiredLetter}`.execute(
    delayed.services.db,
  );
  t.like(await sweepSurveys(delayed.services.db), { expired: 1 });
  for (const [letterId, phone, why] of [
    [answeredLetter, answeredPhone, /answered/],
    [expiredLetter, expiredPhone, /expired/],
  ] as const) {
    const question = await delayed.services.db
      .selectFrom('deliveries')
      .selectAll()
      .where('letter_id', '=', letterId)
      .where('kind', '=', 'survey')
      .executeTakeFirstOrThrow();
    t.is(question.status, 'failed');
    t.regex(question.last_error ?? '', /^survey_closed: /);
    t.regex(question.last_error ?? '', why);
    // The hour's delay passing changes nothing: the question is not due any more.
    await delayed.services.db
      .updateTable('deliveries')
      .set({ next_attempt_at: new Date() })
      .where('id', '=', question.id)
      .execute();
    delayed.dispatcher.wake();
    await new Promise((r) => setTimeout(r, 1000));
    t.false((await keysSent(phone, delayed)).includes('survey'), `no survey question to ${phone}`);
    const events = await eventsOf(letterId, 'delivery.updated', delayed);
    t.true(
      events.some((e) => (e.payload.data as { deliveryId: string; error: string | null }).deliveryId === question.id),
      'the case store hears the question was cancelled',
    );
  }
});
