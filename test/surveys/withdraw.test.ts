// Withdrawing a survey through the outbound API: its unsent questions are cancelled, the letter's view says so, a
// citizen's answer afterwards is refused politely and never reaches the case store, and parallel withdrawals and a
// dispatcher sending the question at the same moment never leave an answerable survey behind.
import test from 'ava';
import { sql } from 'kysely';
import { startTestGateway, eventually, type TestGateway, serialOf } from '../_support/gateway.js';
import { sampleIntake } from '../_support/letters.js';
import { ensureApiKey } from '../../gateway/http/api-auth.js';
import { sweepSurveys } from '../../gateway/surveys/surveys.js';
import type { InboundMessage } from '../../gateway/conversation/types.js';

let gw: TestGateway; // the survey question waits an hour after the final reply
test.before(async () => {
  gw = await startTestGateway({ SURVEY_DELAY_SECONDS: '3600', CONVERSATION_QUIET_SECONDS: '60' });
});
test.after.always(() => gw?.stop());

const READ_ONLY_KEY = 'test-read-only-api-key-withdraw-0123456789';
const unknownId = '00000000-0000-4000-8000-000000000000';

let seq = 0;
const sms = (phone: string, text: string): InboundMessage => ({
  channel: 'sms',
  senderId: phone,
  providerMessageId: `withdraw-${Date.now()}-${seq++}`,
  receivedAt: new Date(),
  type: 'text',
  text,
  payload: { text },
});

async function repliedLetter(g: TestGateway, phone: string, final = true): Promise<string> {
  const r = await g.services.intake.submit(
    sampleIntake({ citizen: { channelUserId: phone, phone, anonymous: false } }),
  );
  await serialOf(g.services.db, r.letterId);
  const res = await g.api(`/api/v1/letters/${r.letterId}/replies`, {
    method: 'POST',
    json: { text: '问题已解决。', final },
  });
  if (res.status !== 202) throw new Error(`reply answered ${res.status}`);
  return r.letterId;
}

const withdraw = (g: TestGateway, letterId: string, body?: unknown, headers?: Record<string, string>) =>
  g.api(`/api/v1/letters/${letterId}/survey/withdraw`, {
    method: 'POST',
    ...(body !== undefined ? { json: body } : {}),
    ...(headers ? { headers } : {}),
  });
const keysSent = async (phone: string) =>
  (
    await gw.services.db
      .selectFrom('sandbox_messages')
      .selectAll()
      .where('recipient', '=', phone)
      .orderBy('id')
      .execute()
  ).map((m) => (m.payload as { templateKey: string }).templateKey);
const surveyOf = (letterId: string) =>
  gw.services.db.selectFrom('surveys').selectAll().where('letter_id', '=', letterId).executeTakeFirstOrThrow();
const questionsOf = (letterId: string) =>
  gw.services.db
    .selectFrom('deliveries')
    .selectAll()
    .where('letter_id', '=', letterId)
    .where('kind', '=', 'survey')
    .execute();
const eventsOf = (letterId: string, type: string) =>
  gw.services.db
    .selectFrom('case_events')
    .selectAll()
    .where('letter_id', '=', letterId)
    .where('type', '=', type)
    .execute();
/** Waits until the conversation has handled every message of this sender. */
const settled = (phone: string) =>
  eventually(async () => {
    const pending = await gw.services.db
      .selectFrom('conversation_messages')
      .select('id')
      .where('sender_id', '=', phone)
      .where('state', '=', 'pending')
      .execute();
    return pending.length === 0 ? true : undefined;
  });

test('when the case store withdraws a survey whose question waits, then the question is cancelled, the letter says withdrawn and a later answer is refused politely', async (t) => {
  const phone = '+8613500000101';
  const letterId = await repliedLetter(gw, phone);
  await eventually(async () => ((await keysSent(phone)).includes('reply') ? true : undefined));
  t.like(await questionsOf(letterId), [{ status: 'queued' }]);

  const res = await withdraw(gw, letterId, { reason: '案件重新办理' });
  t.is(res.status, 200);
  const body = (await res.json()) as Record<string, unknown>;
  t.like(body, { state: 'withdrawn', reason: '案件重新办理', surveyId: (await surveyOf(letterId)).id });

  const [question] = await questionsOf(letterId);
  t.is(question!.status, 'failed');
  t.regex(question!.last_error ?? '', /^survey_closed: .*withdrew/);
  const reported = await eventsOf(letterId, 'delivery.updated');
  t.true(
    reported.some(
      (e) => JSON.stringify(e.payload).includes(question!.id) && JSON.stringify(e.payload).includes('failed'),
    ),
    'the case store hears the question was cancelled',
  );
  const view = (await (await gw.api(`/api/v1/letters/${letterId}`)).json()) as { survey: Record<string, unknown> };
  t.like(view.survey, { state: 'withdrawn', withdrawReason: '案件重新办理', withdrawnAt: body.withdrawnAt });

  // The question's hour passing changes nothing.
  await gw.services.db
    .updateTable('deliveries')
    .set({ next_attempt_at: new Date() })
    .where('id', '=', question!.id)
    .execute();
  gw.dispatcher.wake();

  // The citizen answers anyway: told the survey has ended; no answer recorded, nothing for the case store.
  await gw.services.conversation.accept([sms(phone, '1')]);
  await eventually(async () => ((await keysSent(phone)).includes('survey_closed') ? true : undefined));
  await settled(phone);
  t.like(await surveyOf(letterId), { state: 'withdrawn', score: null, answered_at: null });
  t.is((await eventsOf(letterId, 'survey.answered')).length, 0);
  t.false((await keysSent(phone)).includes('survey'));
  t.is((await questionsOf(letterId))[0]!.status, 'failed');
  // Neither reminders nor expiry touch it any more.
  await sql`update surveys set remind_at = now() - interval '1 second', expires_at = now() - interval '1 second'
            where letter_id = ${letterId}`.execute(gw.services.db);
  await sweepSurveys(gw.services.db);
  t.like(await surveyOf(letterId), { state: 'withdrawn', reminded_at: null, expired_at: null });
  t.is((await eventsOf(letterId, 'survey.expired')).length, 0);
});

test('when a survey is withdrawn 20 times in parallel, then every answer is the same and its question is cancelled once', async (t) => {
  const phone = '+8613500000102';
  const letterId = await repliedLetter(gw, phone);
  const answers = await Promise.all(
    Array.from({ length: 20 }, (_, i) =>
      withdraw(gw, letterId, i % 2 ? { reason: `第${i}次` } : undefined).then(async (r) => ({
        status: r.status,
        body: (await r.json()) as Record<string, unknown>,
      })),
    ),
  );
  t.deepEqual(new Set(answers.map((a) => a.status)), new Set([200]));
  t.is(new Set(answers.map((a) => JSON.stringify(a.body))).size, 1, 'one answer, whichever call withdrew it');
  const [question] = await questionsOf(letterId);
  const cancelled = (await eventsOf(letterId, 'delivery.updated')).filter((e) =>
    JSON.stringify(e.payload).includes(question!.id),
  );
  t.is(cancelled.length, 1);
  // Later, with an Idempotency-Key, and again with a body: the same answer.
  const again = await withdraw(gw, letterId, { reason: '另一个原因' }, { 'idempotency-key': 'withdraw-again' });
  t.is(again.status, 200);
  t.deepEqual(await again.json(), answers[0]!.body);
});

test('when there is no open survey, then withdrawing answers 409 survey_not_open; an unknown letter 404; a read-only key 403', async (t) => {
  await ensureApiKey(gw.services.db, READ_ONLY_KEY, 'read only', ['letters:read']);
  const problem = async (r: Response) => ({ status: r.status, ...((await r.json()) as { code: string }) });
  // No survey started (a reply that is not final).
  const none = await repliedLetter(gw, '+8613500000103', false);
  t.like(await problem(await withdraw(gw, none)), { status: 409, code: 'survey_not_open' });
  // Answered.
  const answeredPhone = '+8613500000104';
  const answered = await repliedLetter(gw, answeredPhone);
  await gw.services.conversation.accept([sms(answeredPhone, '2')]);
  await eventually(async () => ((await surveyOf(answered)).state === 'answered' ? true : undefined));
  t.like(await problem(await withdraw(gw, answered, {})), { status: 409, code: 'survey_not_open' });
  t.is((await surveyOf(answered)).state, 'answered');
  // Expired.
  const expired = await repliedLetter(gw, '+8613500000105');
  await sql`update surveys set expires_at = now() - interval '1 second' where letter_id = ${expired}`.execute(
    gw.services.db,
  );
  await sweepSurveys(gw.services.db);
  t.like(await problem(await withdraw(gw, expired)), { status: 409, code: 'survey_not_open' });
  // Unknown, malformed and another's key; a bad body.
  t.like(await problem(await withdraw(gw, unknownId)), { status: 404, code: 'letter_not_found' });
  t.like(await problem(await withdraw(gw, 'not-a-uuid')), { status: 404, code: 'letter_not_found' });
  const open = await repliedLetter(gw, '+8613500000106');
  const readOnly = await withdraw(gw, open, undefined, { authorization: `Bearer ${READ_ONLY_KEY}` });
  t.is(readOnly.status, 403);
  t.like(await problem(await withdraw(gw, open, { reason: 'x', extra: 1 })), { status: 422, code: 'request_invalid' });
  t.is((await surveyOf(open)).state, 'open', 'refused calls change nothing');
});

test('when withdrawals race the dispatcher claiming the survey questions, then no survey is left answerable and no answer reaches the case store', async (t) => {
  // A gateway of its own whose questions go out at once.
  const quick = await startTestGateway({ SURVEY_DELAY_SECONDS: '0', CONVERSATION_QUIET_SECONDS: '60' }, gw.databaseUrl);
  t.teardown(() => quick.stop());
  const phones = Array.from({ length: 12 }, (_, i) => `+86135000002${String(i).padStart(2, '0')}`);
  const letters = await Promise.all(phones.map((p) => repliedLetter(quick, p, false)));
  // Start each survey (its question due now) and withdraw it while both dispatchers claim and send.
  const results = await Promise.all(
    letters.map(async (id) => {
      const started = await quick.api(`/api/v1/letters/${id}/surveys`, { method: 'POST' });
      quick.dispatcher.wake();
      gw.dispatcher.wake();
      const r = await withdraw(quick, id);
      return { started: started.status, withdrawn: r.status };
    }),
  );
  t.deepEqual(
    results.map((r) => [r.started, r.withdrawn]),
    letters.map(() => [202, 200]),
  );
  // Every question ends cancelled or sent, never still waiting.
  await eventually(async () => {
    const rows = await Promise.all(letters.map((id) => questionsOf(id)));
    return rows.flat().every((q) => q.status !== 'queued' && q.status !== 'sending') ? true : undefined;
  }, 60_000);
  // Whatever reached the citizen, an answer is not taken.
  await quick.services.conversation.accept(phones.map((p) => sms(p, '1')));
  for (const [i, id] of letters.entries()) {
    await settled(phones[i]!);
    t.like(await surveyOf(id), { state: 'withdrawn', score: null });
    t.is((await eventsOf(id, 'survey.answered')).length, 0);
  }
  await eventually(async () => {
    const told = await Promise.all(phones.map(async (p) => (await keysSent(p)).includes('survey_closed')));
    return told.every(Boolean) ? true : undefined;
  }, 60_000);
  t.pass();
});
