// Intake: the one door through which a normalized letter enters the gateway. In one transaction it stores the raw
// source payloads, the canonical letter (status `received`, forward state `pending`), a time-ordered id and an
// extraction code. A source message seen before is acknowledged and nothing new is stored. A body longer than the
// canonical limit keeps its full text as a text attachment (long-body.ts): what was acknowledged arrives whole.
import { sql } from 'kysely';
import {
  cleanLetterText,
  validateLetter,
  type Letter,
  type LetterDraft,
  type SourceMessage,
} from '../../shared/letter.js';
import type { Db } from '../store/db.js';
import { AppError } from '../errors.js';
import { extractionCode, uuidv7 } from './ids.js';
import { cleanJson } from '../../shared/text.js';
import { spillLongBody, type TextAttachmentStore } from './long-body.js';
import { sealLetter, type PiiService } from '../privacy/pii-service.js';
import { clearId, isPiiToken, storedId } from '../privacy/pii-ids.js';

export interface IntakeSource extends SourceMessage {
  /** The raw callback as the provider sent it (parsed JSON/XML fields), kept for provenance. */
  payload: unknown;
}

export interface IntakeInput {
  draft: Omit<LetterDraft, 'sourceMessages'>;
  sources: IntakeSource[];
}

export type IntakeResult =
  | { duplicate: false; letterId: string; extractionCode: string; letter: Letter }
  | { duplicate: true; letterId: string; extractionCode: string };

export interface Intake {
  submit(input: IntakeInput): Promise<IntakeResult>;
}

/**
 * Without an attachment store (some tests), a body over the limit is refused by the schema instead. With `pii` (always,
 * outside unit tests of other parts) the citizen's phone and name are stored encrypted, the phone's lookup hash beside.
 */
export function createIntake(
  db: Db,
  onStored: (letter: Letter) => void,
  attachments?: TextAttachmentStore,
  pii?: PiiService,
): Intake {
  return {
    async submit(input) {
      const draft = pii ? await clearCitizen(db, pii, input.draft) : input.draft;
      const letter = canonicalize({ ...input, draft: await spillLongBody(draft, attachments) });
      // A phone as the citizen's id is stored as its token (privacy/pii-ids.ts), the one every other table holds.
      const citizenId = pii ? await storedId(db, pii, letter.citizen.channelUserId) : letter.citizen.channelUserId;
      const n = input.sources.length;
      try {
        // One statement, one round trip, one implicit transaction: the source messages and the letter are stored
        // together, and the letter only when every source message is new. Foreign keys are checked at the end of the
        // statement, so partly new sources fail as a whole and are answered like a full duplicate below.
        const r = await sql<{ inserted: string }>`
          with src as (
            insert into source_messages (channel, provider_message_id, letter_id, type, received_at, payload)
            select ${letter.channel}, s.pid, ${letter.id}::uuid, s.type, s.received_at, s.payload
            from unnest(${input.sources.map((x) => x.providerMessageId)}::text[], ${input.sources.map((x) => x.type)}::text[],
                        ${input.sources.map((x) => x.receivedAt)}::timestamptz[],
                        ${input.sources.map((x) => JSON.stringify(cleanJson(x.payload ?? null)))}::jsonb[]) as s(pid, type, received_at, payload)
            on conflict (channel, provider_message_id) do nothing
            returning 1),
          stored as (
            insert into letters (id, channel, citizen_id, extraction_code, body, received_at, citizen_phone_hash,
                                 citizen_phone_tail)
            select ${letter.id}, ${letter.channel}, ${citizenId}, ${letter.extractionCode},
                   ${JSON.stringify(pii ? sealLetter(pii, letter) : letter)}::jsonb, ${letter.receivedAt}::timestamptz,
                   ${pii && letter.citizen.phone !== undefined ? pii.lookupHash(letter.citizen.phone) : null},
                   ${letter.citizen.phone?.slice(-4) ?? null}
            where (select count(*) from src) = ${n}
            returning 1)
          select (select count(*) from stored) as inserted`.execute(db);
        if (Number(r.rows[0]?.inserted) === 1) {
          onStored(letter);
          return { duplicate: false, letterId: letter.id, extractionCode: letter.extractionCode, letter };
        }
      } catch (err) {
        if ((err as { code?: string }).code !== '23503') throw err;
      }
      const existing = await db
        .selectFrom('source_messages as s')
        .innerJoin('letters as l', 'l.id', 's.letter_id')
        .select(['l.id', 'l.extraction_code'])
        .where('s.channel', '=', letter.channel)
        .where(
          's.provider_message_id',
          'in',
          input.sources.map((x) => x.providerMessageId),
        )
        .executeTakeFirstOrThrow();
      return { duplicate: true, letterId: existing.id, extractionCode: existing.extraction_code };
    },
  };
}

/** The draft with the citizen's ids in clear: a sender known by its token (a phone) becomes that phone again. */
async function clearCitizen(db: Db, pii: PiiService, d: IntakeInput['draft']): Promise<IntakeInput['draft']> {
  const c = d.citizen;
  if (!isPiiToken(c.channelUserId) && (c.phone === undefined || !isPiiToken(c.phone))) return d;
  const channelUserId = await clearId(db, pii, c.channelUserId);
  const phone = c.phone === undefined ? undefined : await clearId(db, pii, c.phone);
  return { ...d, citizen: { ...c, channelUserId, ...(phone !== undefined ? { phone } : {}) } };
}

/** Issues id, code and timestamps, cleans the text, and validates the result against the canonical schema. */
export function canonicalize(input: IntakeInput): Letter {
  if (input.sources.length === 0)
    throw new AppError('letter_invalid', {
      problems: [{ field: 'sourceMessages', message: 'at least one source message is required' }],
    });
  const d = input.draft;
  const candidate = {
    ...d,
    title: d.title === undefined ? undefined : cleanLetterText(d.title).trim() || undefined,
    body: typeof d.body === 'string' ? cleanLetterText(d.body).trim() : d.body,
    id: uuidv7(),
    schemaVersion: 1,
    submittedAt: new Date().toISOString(),
    extractionCode: extractionCode(),
    sourceMessages: input.sources.map(({ providerMessageId, receivedAt, type }) => ({
      providerMessageId,
      receivedAt,
      type,
    })),
  };
  const checked = validateLetter(candidate);
  if (!checked.ok) throw new AppError('letter_invalid', { problems: checked.problems });
  return checked.letter;
}

/** Used by readiness and metrics: letters waiting to be forwarded. */
export async function pendingForwardCount(db: Db): Promise<number> {
  const r = await sql<{ n: string }>`select count(*) as n from letters where forward_state = 'pending'`.execute(db);
  return Number(r.rows[0]?.n ?? 0);
}
