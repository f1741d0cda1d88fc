// Satisfaction surveys: started by a final reply, by status `closed` or by the case store's call, at most one per
// letter; sent as an ordinary delivery (after the letter's earlier messages, plus a delay); answered once (a change
// within a grace period replaces the answer); reminded once and expired when unanswered. Outcomes go to the case
// store as events.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database, SurveyState } from '../store/tables.js';
import type { Config } from '../../config/settings.js';
import { queueDeliveries } from '../outbox/deliveries.js';
import { deliveryEventData, queueCaseEvent } from '../outbox/case-events.js';
import { uuidv7 } from '../letters/ids.js';
import { hasEnabledTemplate } from '../templates/store.js';

export type SurveyTrigger = 'final_reply' | 'closed' | 'api';
export const scoreLabels: Record<number, string> = { 1: '满意', 2: '基本满意', 3: '不满意' };

type Executor = Kysely<Database> | Transaction<Database>;
type SurveyTimes = Pick<
  Config,
  'SURVEY_DELAY_SECONDS' | 'SURVEY_EXPIRY_SECONDS' | 'SURVEY_REMINDER_BEFORE_SECONDS' | 'SURVEY_ANSWER_GRACE_SECONDS'
>;

/** Starts the letter's survey unless it has one; `created: false` means a survey already existed (a no-op). */
export async function startSurvey(
  db: Executor,
  times: SurveyTimes,
  letterId: string,
  trigger: SurveyTrigger,
): Promise<{ created: boolean; surveyId: string; state: SurveyState }> {
  const letter = await db
    .selectFrom('letters')
    .select(['id', 'channel', 'citizen_id', 'forward_state'])
    .where('id', '=', letterId)
    .executeTakeFirst();
  if (!letter || letter.forward_state === 'rejected') throw new Error(`no survey for letter ${letterId}`);
  const now = Date.now();
  const expires = new Date(now + (times.SURVEY_DELAY_SECONDS + times.SURVEY_EXPIRY_SECONDS) * 1000);
  const remind =
    times.SURVEY_REMINDER_BEFORE_SECONDS > 0
      ? new Date(expires.getTime() - times.SURVEY_REMINDER_BEFORE_SECONDS * 1000)
      : null;
  const id = uuidv7();
  const inserted = await db
    .insertInto('surveys')
    .values({
      id,
      letter_id: letterId,
      channel: letter.channel,
      recipient: letter.citizen_id,
      trigger,
      expires_at: expires,
      remind_at: remind,
    })
    .onConflict((oc) => oc.column('letter_id').doNothing())
    .returning('id')
    .executeTakeFirst();
  if (!inserted) {
    const existing = await db
      .selectFrom('surveys')
      .select(['id', 'state'])
      .where('letter_id', '=', letterId)
      .executeTakeFirstOrThrow();
    return { created: false, surveyId: existing.id, state: existing.state };
  }
  await queueDeliveries(db, [
    {
      letterId,
      channel: letter.channel,
      recipient: letter.citizen_id,
      kind: 'survey',
      templateKey: 'survey',
      variables: {},
      notBefore: new Date(now + times.SURVEY_DELAY_SECONDS * 1000),
    },
  ]);
  return { created: true, surveyId: id, state: 'open' };
}

export interface SurveyAnswer {
  score: 1 | 2 | 3;
  reason?: string;
  reopen?: boolean;
  channel: string;
}

export type AnswerOutcome = 'recorded' | 'replaced' | 'unchanged' | 'too_late' | 'expired';

/** Records an answer to the letter's survey; the case store hears of every recorded or replaced answer. */
export async function answerSurvey(
  tx: Transaction<Database>,
  times: SurveyTimes,
  surveyId: string,
  answer: SurveyAnswer,
): Promise<AnswerOutcome> {
  const s = await tx.selectFrom('surveys').selectAll().where('id', '=', surveyId).forUpdate().executeTakeFirstOrThrow();
  // A withdrawn survey (withdraw.ts) has ended as an expired one has: the citizen hears the same.
  if (s.state === 'expired' || s.state === 'withdrawn') return 'expired';
  let outcome: AnswerOutcome = 'recorded';
  if (s.state === 'answered') {
    const same =
      s.score === answer.score &&
      (s.reason ?? undefined) === answer.reason &&
      (s.reopen ?? undefined) === answer.reopen;
    if (same) return 'unchanged';
    if (Date.now() - new Date(s.answered_at!).getTime() > times.SURVEY_ANSWER_GRACE_SECONDS * 1000) return 'too_late';
    outcome = 'replaced';
  }
  const answeredAt = outcome === 'replaced' ? new Date(s.answered_at!) : new Date();
  await tx
    .updateTable('surveys')
    .set({
      state: 'answered',
      score: answer.score,
      reason: answer.reason ?? null,
      reopen: answer.reopen ?? null,
      answered_at: answeredAt,
      answer_channel: answer.channel,
    })
    .where('id', '=', s.id)
    .execute();
  await cancelSurveyMessages(tx, s.letter_id, 'the citizen already answered the survey');
  await queueCaseEvent(tx, {
    letterId: s.letter_id,
    type: 'survey.answered',
    data: {
      surveyId: s.id,
      score: answer.score,
      label: scoreLabels[answer.score],
      reason: answer.reason ?? null,
      reopenRequested: answer.reopen ?? false,
      channel: answer.channel,
      answeredAt: new Date().toISOString(),
      replacesEarlierAnswer: outcome === 'replaced',
    },
  });
  if (outcome === 'recorded' && (await hasEnabledTemplate(tx, s.channel, 'survey_thanks'))) {
    await queueDeliveries(tx, [
      {
        letterId: s.letter_id,
        channel: s.channel,
        recipient: s.recipient,
        kind: 'service',
        templateKey: 'survey_thanks',
        variables: { surveyScore: scoreLabels[answer.score] },
      },
    ]);
  }
  return outcome;
}

/**
 * A survey that is answered or expired takes back its questions and reminders not yet sent (a delayed survey may
 * still be waiting when the citizen answers in the mini-program). The case store hears of each as a failed delivery.
 */
export async function cancelSurveyMessages(tx: Executor, letterId: string, why: string): Promise<number> {
  const error = `survey_closed: ${why}`;
  const cancelled = await tx
    .updateTable('deliveries')
    .set({ status: 'failed', last_error: error, updated_at: new Date() })
    .where('letter_id', '=', letterId)
    .where('kind', '=', 'survey')
    .where('status', '=', 'queued')
    .returning(['id', 'kind', 'channel', 'route'])
    .execute();
  for (const d of cancelled) {
    await queueCaseEvent(tx, {
      letterId,
      type: 'delivery.updated',
      data: deliveryEventData(d.id, d.kind, d.channel, d.route, 'failed', null, error),
    });
  }
  return cancelled.length;
}

/** Due reminders and expiries, run by a scheduled job; returns how many of each. */
export async function sweepSurveys(db: Kysely<Database>): Promise<{ reminded: number; expired: number }> {
  const reminded = await db.transaction().execute(async (tx) => {
    const due = await sql<{ id: string; letter_id: string; channel: string; recipient: string }>`
      update surveys set reminded_at = now()
      where id in (select id from surveys where state = 'open' and reminded_at is null and remind_at <= now() and expires_at > now()
                   for update skip locked)
      returning id, letter_id, channel, recipient`.execute(tx);
    await queueDeliveries(
      tx,
      due.rows.map((s) => ({
        letterId: s.letter_id,
        channel: s.channel,
        recipient: s.recipient,
        kind: 'survey' as const,
        templateKey: 'survey_reminder',
        variables: {},
      })),
    );
    return due.rows.length;
  });
  const expired = await db.transaction().execute(async (tx) => {
    const due = await sql<{ id: string; letter_id: string; channel: string }>`
      update surveys set state = 'expired', expired_at = now()
      where id in (select id from surveys where state = 'open' and expires_at <= now() for update skip locked)
      returning id, letter_id, channel`.execute(tx);
    for (const s of due.rows) {
      await cancelSurveyMessages(tx, s.letter_id, 'the survey has expired');
      await queueCaseEvent(tx, {
        letterId: s.letter_id,
        type: 'survey.expired',
        data: { surveyId: s.id, channel: s.channel },
      });
    }
    return due.rows.length;
  });
  return { reminded, expired };
}

/**
 * Open surveys of one citizen on one channel, newest first, with the serial that names each letter. When the sender
 * is a phone (an SMS), a survey of any channel that reached that phone (the letter's own SMS route, a fallback to the
 * citizen's phone, the web mailbox's SMS) is answerable from it too: its delivery's recipient is that phone's id.
 * `states` other than the default find the surveys an answer may still come to (withdraw.ts: withdrawn ones).
 */
export async function openSurveysOf(
  db: Executor,
  channel: string,
  recipient: string,
  senderIsPhone: boolean,
  states: readonly SurveyState[] = ['open', 'answered'],
) {
  const r = await sql<{ id: string; letter_id: string; serial: string | null }>`
    select id, letter_id, serial from (
      select s.id, s.letter_id, l.serial, s.created_at from surveys s join letters l on l.id = s.letter_id
      where s.channel = ${channel} and s.recipient = ${recipient}
        and s.state = any(${states}) and s.expires_at > now()
      union
      select s.id, s.letter_id, l.serial, s.created_at from deliveries d
        join surveys s on s.letter_id = d.letter_id join letters l on l.id = s.letter_id
      where ${senderIsPhone} and d.kind = 'survey' and d.status in ('sent', 'delivered')
        and d.plan -> d.plan_step ->> 'recipient' = ${recipient}
        and s.state = any(${states}) and s.expires_at > now()
    ) open order by created_at desc`.execute(db);
  return r.rows;
}
