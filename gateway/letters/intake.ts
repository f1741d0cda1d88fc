// Intake: the one door through which a normalized letter enters the gateway. In one transaction it stores the raw
// source payloads, the canonical letter (status `received`, forward state `pending`), a time-ordered id and an
// extraction code. A source message seen before is acknowledged and nothing new is stored.
import { sql } from 'kysely';
import { cleanLetterText, validateLetter, type Letter, type LetterDraft, type SourceMessage } from '../../shared/letter.js';
import type { Db } from '../store/db.js';
import { AppError } from '../errors.js';
import { extractionCode, uuidv7 } from './ids.js';

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

export function createIntake(db: Db, onStored: (letter: Letter) => void): Intake {
  return {
    async submit(input) {
      const letter = canonicalize(input);
      const result = await db.transaction().execute(async (tx) => {
        await tx
          .insertInto('letters')
          .values({
            id: letter.id,
            channel: letter.channel,
            citizen_id: letter.citizen.channelUserId,
            extraction_code: letter.extractionCode,
            body: JSON.stringify(letter),
            received_at: letter.receivedAt,
          })
          .execute();
        const inserted = await tx
          .insertInto('source_messages')
          .values(
            input.sources.map((s) => ({
              channel: letter.channel,
              provider_message_id: s.providerMessageId,
              letter_id: letter.id,
              type: s.type,
              received_at: s.receivedAt,
              payload: JSON.stringify(s.payload ?? null),
            })),
          )
          .onConflict((oc) => oc.columns(['channel', 'provider_message_id']).doNothing())
          .returning('id')
          .execute();
        if (inserted.length === input.sources.length) return null;
        // A source message is already part of a letter: undo this one and answer with the existing letter.
        throw new DuplicateSource();
      }).catch(async (err: unknown) => {
        if (!(err instanceof DuplicateSource)) throw err;
        const existing = await db
          .selectFrom('source_messages as s')
          .innerJoin('letters as l', 'l.id', 's.letter_id')
          .select(['l.id', 'l.extraction_code'])
          .where('s.channel', '=', letter.channel)
          .where('s.provider_message_id', 'in', input.sources.map((s) => s.providerMessageId))
          .executeTakeFirstOrThrow();
        return existing;
      });
      if (result) return { duplicate: true, letterId: result.id, extractionCode: result.extraction_code };
      onStored(letter);
      return { duplicate: false, letterId: letter.id, extractionCode: letter.extractionCode, letter };
    },
  };
}

class DuplicateSource extends Error {}

/** Issues id, code and timestamps, cleans the text, and validates the result against the canonical schema. */
export function canonicalize(input: IntakeInput): Letter {
  if (input.sources.length === 0) throw new AppError('letter_invalid', { problems: [{ field: 'sourceMessages', message: 'at least one source message is required' }] });
  const d = input.draft;
  const candidate = {
    ...d,
    title: d.title === undefined ? undefined : cleanLetterText(d.title).trim() || undefined,
    body: typeof d.body === 'string' ? cleanLetterText(d.body).trim() : d.body,
    id: uuidv7(),
    schemaVersion: 1,
    submittedAt: new Date().toISOString(),
    extractionCode: extractionCode(),
    sourceMessages: input.sources.map(({ providerMessageId, receivedAt, type }) => ({ providerMessageId, receivedAt, type })),
  };
  const checked = validateLetter(JSON.parse(JSON.stringify(candidate)));
  if (!checked.ok) throw new AppError('letter_invalid', { problems: checked.problems });
  return checked.letter;
}

/** Used by readiness and metrics: letters waiting to be forwarded. */
export async function pendingForwardCount(db: Db): Promise<number> {
  const r = await sql<{ n: string }>`select count(*) as n from letters where forward_state = 'pending'`.execute(db);
  return Number(r.rows[0]?.n ?? 0);
}
