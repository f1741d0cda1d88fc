// Withdrawing a letter's open survey (the case store's call): decided under the survey's row lock, so it is ordered
// against every answer (answerSurvey locks the same row) and against other withdrawals. Its questions and reminders
// not yet sent are cancelled; a question already handed to a provider may still arrive, but no answer is taken any
// more: the citizen gets the same polite reply as for a survey that has ended.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database, SurveyState } from '../store/tables.js';
import { cancelSurveyMessages, openSurveysOf } from './surveys.js';

export interface WithdrawnSurvey {
  surveyId: string;
  withdrawnAt: Date;
  reason: string | null;
}

export type WithdrawOutcome =
  | ({ outcome: 'withdrawn' } & WithdrawnSurvey)
  /** No survey was started for the letter, or it was answered or has expired: nothing to withdraw. */
  | { outcome: 'not_open'; surveyId: string | null; state: Exclude<SurveyState, 'open' | 'withdrawn'> | null };

/**
 * Withdraws the letter's open survey. Withdrawing one already withdrawn answers the same as the first time (its
 * first reason stays); the unsent questions are cancelled once, by the call that withdrew it.
 */
export async function withdrawSurvey(
  tx: Transaction<Database>,
  letterId: string,
  reason: string | undefined,
): Promise<WithdrawOutcome> {
  const s = await tx
    .selectFrom('surveys')
    .select(['id', 'state', 'withdrawn_at', 'withdrawn_reason'])
    .where('letter_id', '=', letterId)
    .forUpdate()
    .executeTakeFirst();
  if (!s) return { outcome: 'not_open', surveyId: null, state: null };
  if (s.state === 'withdrawn')
    return { outcome: 'withdrawn', surveyId: s.id, withdrawnAt: new Date(s.withdrawn_at!), reason: s.withdrawn_reason };
  if (s.state !== 'open') return { outcome: 'not_open', surveyId: s.id, state: s.state };
  // An open survey past its expiry that the sweep has not reached yet is withdrawn all the same: either way it ends.
  const row = await tx
    .updateTable('surveys')
    .set({ state: 'withdrawn', withdrawn_at: sql<Date>`now()`, withdrawn_reason: reason ?? null })
    .where('id', '=', s.id)
    .returning(['withdrawn_at', 'withdrawn_reason'])
    .executeTakeFirstOrThrow();
  await cancelSurveyMessages(tx, letterId, 'the case store withdrew the survey');
  return {
    outcome: 'withdrawn',
    surveyId: s.id,
    withdrawnAt: new Date(row.withdrawn_at!),
    reason: row.withdrawn_reason,
  };
}

/**
 * Withdrawn surveys whose question may still be in the citizen's hands (within the time they could have answered),
 * matched as open surveys are: an answer to one of them is not taken; it gets the polite "survey closed" reply.
 */
export function withdrawnSurveysOf(
  db: Kysely<Database> | Transaction<Database>,
  channel: string,
  recipient: string,
  senderIsPhone: boolean,
) {
  return openSurveysOf(db, channel, recipient, senderIsPhone, ['withdrawn']);
}
