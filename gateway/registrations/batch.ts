// The evening callback run (短信回访): surveys started for up to BATCH_MAX registered letters in one call, all or
// nothing, each letter at most one survey (as `POST /letters/{id}/surveys`). The survey messages are ordinary
// deliveries, so the SMS rate limit, the daily cap per number and opt-outs pace and filter them; the batch row lets
// the case store and staff follow its progress.
import { sql, type Kysely, type Transaction } from 'kysely';
import { z } from 'zod';
import type { Config } from '../../config/settings.js';
import type { Database, SurveyState } from '../store/tables.js';
import { AppError } from '../errors.js';
import { uuidv7 } from '../letters/ids.js';
import { isUuid } from '../lib/uuid.js';
import { queueDeliveries } from '../outbox/deliveries.js';

export const BATCH_MAX = 1000;

export const surveyBatchSchema = z
  .object({
    letterIds: z
      .array(z.uuid())
      .min(1)
      .max(BATCH_MAX)
      .describe(`ids of letters registered with this API key, at most ${BATCH_MAX}`),
  })
  .strict()
  .describe('Start the satisfaction survey of many registered letters at once');

export interface BatchItem {
  letterId: string;
  /** `queued`: survey started now; `exists`: the letter already had its survey (nothing new sent). */
  outcome: 'queued' | 'exists';
  surveyId: string;
  state: SurveyState;
}

/** Refuses, before any parsing of ids, what no batch may be: not a list, too long, duplicates, malformed ids. */
export function checkBatchShape(body: unknown): string[] {
  const ids = (body as { letterIds?: unknown } | null)?.letterIds;
  if (Array.isArray(ids) && ids.length > BATCH_MAX) {
    throw new AppError('batch_too_large', {
      detail: `at most ${BATCH_MAX} letters per batch; split the run into several calls`,
      limit: BATCH_MAX,
      given: ids.length,
    });
  }
  const r = surveyBatchSchema.safeParse(body);
  if (!r.success) {
    throw new AppError('request_invalid', {
      problems: r.error.issues.slice(0, 20).map((i) => ({ field: i.path.join('.') || '(body)', message: i.message })),
    });
  }
  const seen = new Set<string>();
  const dupes = r.data.letterIds.filter((id) => (seen.has(id) ? true : (seen.add(id), false)));
  if (dupes.length > 0)
    throw new AppError('request_invalid', {
      problems: [
        { field: 'letterIds', message: `listed more than once: ${[...new Set(dupes)].slice(0, 20).join(', ')}` },
      ],
    });
  return r.data.letterIds;
}

type Times = Pick<Config, 'SURVEY_EXPIRY_SECONDS' | 'SURVEY_REMINDER_BEFORE_SECONDS'>;

export async function startSurveyBatch(
  tx: Transaction<Database>,
  times: Times,
  apiKeyId: string,
  letterIds: string[],
): Promise<{ batchId: string; results: BatchItem[] }> {
  // Ownership: only letters this key registered. Unknown ids get the same answer, so no other caller's ids leak.
  const owned = await tx
    .selectFrom('registered_letters as r')
    .innerJoin('letters as l', 'l.id', 'r.letter_id')
    .select(['l.id', 'l.channel', 'l.citizen_id'])
    .where('r.api_key_id', '=', apiKeyId)
    .where('r.letter_id', 'in', letterIds)
    .execute();
  if (owned.length !== letterIds.length) {
    const mine = new Set(owned.map((l) => l.id));
    const foreign = letterIds.filter((id) => !mine.has(id));
    throw new AppError('letter_not_owned', {
      detail: `${foreign.length} of these letters were not registered with this API key (POST /api/v1/letters); nothing was started`,
      letterIds: foreign.slice(0, 100),
    });
  }
  const now = Date.now();
  const expires = new Date(now + times.SURVEY_EXPIRY_SECONDS * 1000);
  const remind =
    times.SURVEY_REMINDER_BEFORE_SECONDS > 0
      ? new Date(expires.getTime() - times.SURVEY_REMINDER_BEFORE_SECONDS * 1000)
      : null;
  const created = await tx
    .insertInto('surveys')
    .values(
      owned.map((l) => ({
        id: uuidv7(),
        letter_id: l.id,
        channel: l.channel,
        recipient: l.citizen_id,
        trigger: 'api' as const,
        expires_at: expires,
        remind_at: remind,
      })),
    )
    .onConflict((oc) => oc.column('letter_id').doNothing())
    .returning(['id', 'letter_id', 'channel', 'recipient'])
    .execute();
  await queueDeliveries(
    tx,
    created.map((s) => ({
      letterId: s.letter_id,
      channel: s.channel,
      recipient: s.recipient,
      kind: 'survey' as const,
      templateKey: 'survey',
      variables: {},
    })),
  );
  const surveys = await tx
    .selectFrom('surveys')
    .select(['id', 'letter_id', 'state'])
    .where('letter_id', 'in', letterIds)
    .execute();
  const byLetter = new Map(surveys.map((s) => [s.letter_id, s]));
  const fresh = new Set(created.map((s) => s.letter_id));
  const batchId = uuidv7();
  await tx.insertInto('survey_batches').values({ id: batchId, api_key_id: apiKeyId, letter_ids: letterIds }).execute();
  return {
    batchId,
    results: letterIds.map((id) => {
      const s = byLetter.get(id)!;
      return { letterId: id, outcome: fresh.has(id) ? 'queued' : 'exists', surveyId: s.id, state: s.state };
    }),
  };
}

export interface BatchProgress {
  batchId: string;
  createdAt: string;
  letters: number;
  /** Survey messages by state: waiting to go (rate limit, daily cap, earlier messages), sent, delivered, failed. */
  waiting: number;
  sent: number;
  delivered: number;
  failed: number;
  answered: number;
  expired: number;
}

/** Progress of batches, newest first: every batch (staff) or one caller's. */
export async function batchProgress(
  db: Kysely<Database>,
  filter: { batchId?: string; apiKeyId?: string; limit?: number },
): Promise<BatchProgress[]> {
  if (filter.batchId !== undefined && !isUuid(filter.batchId)) return [];
  const r = await sql<{
    id: string;
    created_at: Date;
    letters: string;
    waiting: string;
    sent: string;
    delivered: string;
    failed: string;
    answered: string;
    expired: string;
  }>`
    select b.id, b.created_at, count(*) as letters,
           count(*) filter (where d.status in ('queued', 'sending')) as waiting,
           count(*) filter (where d.status = 'sent') as sent,
           count(*) filter (where d.status = 'delivered') as delivered,
           count(*) filter (where d.status in ('failed', 'fallback')) as failed,
           count(*) filter (where s.state = 'answered') as answered,
           count(*) filter (where s.state = 'expired') as expired
    from (select * from survey_batches
          where (${filter.batchId ?? null}::uuid is null or id = ${filter.batchId ?? null}::uuid)
            and (${filter.apiKeyId ?? null}::uuid is null or api_key_id = ${filter.apiKeyId ?? null}::uuid)
          order by created_at desc limit ${filter.limit ?? 20}) b
    cross join lateral unnest(b.letter_ids) as x(letter_id)
    left join surveys s on s.letter_id = x.letter_id
    left join lateral (select e.status from deliveries e where e.letter_id = x.letter_id and e.kind = 'survey' and e.template_key = 'survey'
                       order by e.seq limit 1) d on true
    group by b.id, b.created_at
    order by b.created_at desc`.execute(db);
  return r.rows.map((x) => ({
    batchId: x.id,
    createdAt: new Date(x.created_at).toISOString(),
    letters: Number(x.letters),
    waiting: Number(x.waiting),
    sent: Number(x.sent),
    delivered: Number(x.delivered),
    failed: Number(x.failed),
    answered: Number(x.answered),
    expired: Number(x.expired),
  }));
}
