import test from 'ava';
import { sql } from 'kysely';
import { startTestGateway, eventually, type TestGateway, serialOf } from '../_support/gateway.js';
import { sampleIntake } from '../_support/letters.js';
import { sweepSurveys } from '../../gateway/surveys/surveys.js';
import { letterViewSchema } from '../../gateway/letters/view-schema.js';
import type { z } from 'zod';

type View = z.infer<typeof letterViewSchema>;

let gw: TestGateway;
test.before(async () => {
  gw = await startTestGateway({ SURVEY_DELAY_SECONDS: '0', CONVERSATION_QUIET_SECONDS: '60' });
});
test.after.always(() => gw?.stop());

let seq = 0;
async function acceptedLetter(phone: string) {
  const r = await gw.services.intake.submit(
    sampleIntake({ citizen: { channelUserId: phone, phone, anonymous: false } }),
  );
  await serialOf(gw.services.db, r.letterId);
  return r.letterId;
}
async function view(letterId: string): Promise<View> {
  const res = await gw.api(`/api/v1/letters/${letterId}`);
  if (res.status !== 200) throw new Error(`GET letter: ${res.status}`);
  // The response is what the OpenAPI document says it is.
  return letterViewSchema.parse(await res.json());
}

test('when a letter goes from receipt to closed with a survey answer, then its view shows every status once, in order, and the survey result', async (t) => {
  const phone = '+8613600000001';
  const letterId = await acceptedLetter(phone);
  t.deepEqual(
    (await view(letterId)).statusHistory.map((h) => h.status),
    ['received', 'accepted'],
  );
  t.is((await view(letterId)).survey, null);

  t.is(
    (
      await gw.api(`/api/v1/letters/${letterId}/status`, {
        method: 'POST',
        json: { status: 'in_progress', note: '已转城管部门' },
      })
    ).status,
    200,
  );
  t.is(
    (await gw.api(`/api/v1/letters/${letterId}/replies`, { method: 'POST', json: { text: '已安排维修。' } })).status,
    202,
  );
  t.is(
    (
      await gw.api(`/api/v1/letters/${letterId}/replies`, {
        method: 'POST',
        json: { text: '路灯已修好。', final: true },
      })
    ).status,
    202,
  );
  t.is(
    (await gw.api(`/api/v1/letters/${letterId}/status`, { method: 'POST', json: { status: 'closed', note: '办结' } }))
      .status,
    200,
  );
  const open = await view(letterId);
  t.deepEqual(
    open.statusHistory.map((h) => [h.status, h.note]),
    [
      ['received', null],
      ['accepted', null],
      ['in_progress', '已转城管部门'],
      ['replied', null],
      ['closed', '办结'],
    ],
  );
  const times = open.statusHistory.map((h) => Date.parse(h.at));
  t.deepEqual(
    [...times].sort((a, b) => a - b),
    times,
    'oldest first',
  );
  t.like(open.survey, { state: 'open', trigger: 'final_reply', score: null, answeredAt: null });

  await gw.services.conversation.accept([
    {
      channel: 'sms',
      senderId: phone,
      providerMessageId: `view-${Date.now()}-${seq++}`,
      receivedAt: new Date(),
      type: 'text',
      text: '3 灯还是时亮时灭，要求重办',
      payload: {},
    },
  ]);
  const answered = await eventually(
    async () => {
      const v = await view(letterId);
      return v.survey?.state === 'answered' ? v : undefined;
    },
    30_000,
    'answered survey',
  );
  t.like(answered.survey, {
    state: 'answered',
    score: 3,
    reopenRequested: true,
    answerChannel: 'sms',
    expiredAt: null,
  });
  t.regex(answered.survey!.reason ?? '', /时亮时灭/);
  t.truthy(answered.survey!.answeredAt);

  // Found by serial, the same view.
  const bySerial = (await (await gw.api(`/api/v1/letters?serial=${answered.serial}`)).json()) as { letters: View[] };
  t.deepEqual(bySerial.letters[0]!.statusHistory, answered.statusHistory);
});

test('when a survey expires unanswered, then the view says so', async (t) => {
  const letterId = await acceptedLetter('+8613600000002');
  t.is((await gw.api(`/api/v1/letters/${letterId}/surveys`, { method: 'POST' })).status, 202);
  await sql`update surveys set expires_at = now() - interval '1 second' where letter_id = ${letterId}`.execute(
    gw.services.db,
  );
  await sweepSurveys(gw.services.db);
  const v = await view(letterId);
  t.like(v.survey, { state: 'expired', trigger: 'api', score: null, answeredAt: null, reopenRequested: null });
  t.truthy(v.survey!.expiredAt);
});

test('when many replies race on one letter, then "replied" is in its history once', async (t) => {
  const letterId = await acceptedLetter('+8613600000003');
  const results = await Promise.all(
    Array.from({ length: 20 }, (_, i) =>
      gw.api(`/api/v1/letters/${letterId}/replies`, { method: 'POST', json: { text: `答复 ${i}` } }),
    ),
  );
  t.true(results.every((r) => r.status === 202));
  t.deepEqual(
    (await view(letterId)).statusHistory.map((h) => h.status),
    ['received', 'accepted', 'replied'],
  );
});
