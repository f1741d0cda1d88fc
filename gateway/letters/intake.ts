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
import { sealSourcePayload } from '../privacy/source-payload.js';
import { clearId, isPiiToken, storedId } from '../privacy/pii-ids.js';
import { yielder } from '../lib/yield.js';
import type { Classification } from '../classification/classify.js';
import type { IntakeClassifier } from '../classification/at-intake.js';

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
  /**
   * Several letters at once (same order as given): one statement for all of them in the common case. An input intake
   * refuses comes back as its AppError, without holding back the others.
   */
  submitMany(inputs: IntakeInput[]): Promise<(IntakeResult | AppError)[]>;
}

/**
 * Without an attachment store (some tests), a body over the limit is refused by the schema instead. With `pii` (always,
 * outside unit tests of other parts) the citizen's phone and name are stored encrypted, the phone's lookup hash beside.
 * With `classify`, each letter is stored with its topic and region (classification/at-intake.ts); without it, or when
 * it answers nothing, the classifier job decides them after.
 */
export function createIntake(
  db: Db,
  onStored: (letter: Letter) => void,
  attachments?: TextAttachmentStore,
  pii?: PiiService,
  classify?: IntakeClassifier,
): Intake {
  const prepare = async (input: IntakeInput): Promise<Prepared> => {
    const draft = pii ? await clearCitizen(db, pii, input.draft) : input.draft;
    const letter = canonicalize({ ...input, draft: await spillLongBody(draft, attachments) });
    // A phone as the citizen's id is stored as its token (privacy/pii-ids.ts), the one every other table holds.
    const citizenId = pii ? await storedId(db, pii, letter.citizen.channelUserId) : letter.citizen.channelUserId;
    return {
      // The raw payloads keep what the citizen typed about themselves sealed, like the letter (privacy/source-payload.ts).
      input: pii
        ? {
            ...input,
            sources: input.sources.map((x) => ({
              ...x,
              payload: sealSourcePayload(pii, cleanJson(x.payload ?? null)),
            })),
          }
        : input,
      letter,
      citizenId,
      body: JSON.stringify(pii ? sealLetter(pii, letter) : letter),
      phoneHash: pii && letter.citizen.phone !== undefined ? pii.lookupHash(letter.citizen.phone) : null,
      classification: (await classify?.(letter)) ?? null,
    };
  };
  const stored = (p: Prepared): IntakeResult => {
    onStored(p.letter);
    return { duplicate: false, letterId: p.letter.id, extractionCode: p.letter.extractionCode, letter: p.letter };
  };
  const submit = async (input: IntakeInput): Promise<IntakeResult> => {
    const p = await prepare(input);
    const { letter, classification: c } = p;
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
                      ${p.input.sources.map((x) => JSON.stringify(cleanJson(x.payload ?? null)))}::jsonb[]) as s(pid, type, received_at, payload)
          on conflict (channel, provider_message_id) do nothing
          returning 1),
        stored as (
          insert into letters (id, channel, citizen_id, extraction_code, body, received_at, citizen_phone_hash,
                               citizen_phone_tail, topic, topic_inferred, region_code, region_inferred,
                               classification_evidence)
          select ${letter.id}, ${letter.channel}, ${p.citizenId}, ${letter.extractionCode},
                 ${p.body}::jsonb, ${letter.receivedAt}::timestamptz, ${p.phoneHash},
                 ${letter.citizen.phone?.slice(-4) ?? null}, ${c?.topic ?? null}, ${c?.topicInferred ?? null}::boolean,
                 ${c?.regionCode ?? null}, ${c?.regionInferred ?? null}::boolean,
                 ${c ? JSON.stringify(c.evidence) : null}::jsonb
          where (select count(*) from src) = ${n}
          returning 1)
        select (select count(*) from stored) as inserted`.execute(db);
      if (Number(r.rows[0]?.inserted) === 1) return stored(p);
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
  };
  return {
    submit,
    async submitMany(inputs) {
      const results: (IntakeResult | AppError | undefined)[] = [];
      const ready: { at: number; p: Prepared }[] = [];
      const breathe = yielder();
      for (const [at, input] of inputs.entries()) {
        await breathe();
        try {
          ready.push({ at, p: await prepare(input) });
        } catch (err) {
          if (!(err instanceof AppError)) throw err;
          results[at] = err;
        }
      }
      let done: Set<string>;
      try {
        done = await storeMany(
          db,
          ready.map((r) => r.p),
        );
      } catch (err) {
        // A letter whose source messages are partly stored already fails the shared statement (foreign key): each
        // one then goes through the single path, which answers that one as a duplicate.
        if ((err as { code?: string }).code !== '23503') throw err;
        done = new Set();
      }
      for (const { at, p } of ready) {
        // Not stored by the shared statement (a repeat after a crash): the single path finds the letter holding it.
        results[at] = done.has(p.letter.id) ? stored(p) : await submit(p.input);
      }
      return results.map((r) => r!);
    },
  };
}

interface Prepared {
  input: IntakeInput;
  letter: Letter;
  citizenId: string;
  body: string;
  phoneHash: string | null;
  classification: Classification | null;
}

/**
 * Stores several letters and their source messages in one statement; returns the ids of the letters stored (those
 * whose source messages were all new). Letters of one citizen keep their given order (the fairness turn is counted
 * row by row by the insert trigger, which sees the rows inserted before it in the same statement).
 */
async function storeMany(db: Db, ps: Prepared[]): Promise<Set<string>> {
  if (ps.length === 0) return new Set();
  const src = ps.flatMap((p) => p.input.sources.map((s) => ({ p, s })));
  const col = <T>(f: (p: Prepared) => T) => ps.map(f);
  const r = await sql<{ id: string }>`
    with src as (
      insert into source_messages (channel, provider_message_id, letter_id, type, received_at, payload)
      select * from unnest(${src.map((x) => x.p.letter.channel)}::text[], ${src.map((x) => x.s.providerMessageId)}::text[],
                           ${src.map((x) => x.p.letter.id)}::uuid[], ${src.map((x) => x.s.type)}::text[],
                           ${src.map((x) => x.s.receivedAt)}::timestamptz[],
                           ${src.map((x) => JSON.stringify(cleanJson(x.s.payload ?? null)))}::jsonb[])
      on conflict (channel, provider_message_id) do nothing
      returning letter_id),
    counted as (select letter_id, count(*) as n from src group by letter_id),
    stored as (
      insert into letters (id, channel, citizen_id, extraction_code, body, received_at, citizen_phone_hash,
                           citizen_phone_tail, topic, topic_inferred, region_code, region_inferred,
                           classification_evidence)
      select i.id, i.channel, i.citizen_id, i.code, i.body, i.received_at, i.phone_hash, i.phone_tail, i.topic,
             i.topic_inferred, i.region_code, i.region_inferred, i.evidence
      from unnest(${col((p) => p.letter.id)}::uuid[], ${col((p) => p.letter.channel)}::text[], ${col((p) => p.citizenId)}::text[],
                  ${col((p) => p.letter.extractionCode)}::text[], ${col((p) => p.body)}::jsonb[],
                  ${col((p) => p.letter.receivedAt)}::timestamptz[], ${col((p) => p.phoneHash)}::text[],
                  ${col((p) => p.letter.citizen.phone?.slice(-4) ?? null)}::text[], ${col((p) => p.input.sources.length)}::int[],
                  ${col((p) => p.classification?.topic ?? null)}::text[],
                  ${col((p) => p.classification?.topicInferred ?? null)}::boolean[],
                  ${col((p) => p.classification?.regionCode ?? null)}::text[],
                  ${col((p) => p.classification?.regionInferred ?? null)}::boolean[],
                  ${col((p) => (p.classification ? JSON.stringify(p.classification.evidence) : null))}::jsonb[])
        with ordinality as i(id, channel, citizen_id, code, body, received_at, phone_hash, phone_tail, sources, topic,
                             topic_inferred, region_code, region_inferred, evidence, ord)
      join counted c on c.letter_id = i.id and c.n = i.sources
      order by i.ord
      returning id)
    select id from stored`.execute(db);
  return new Set(r.rows.map((x) => x.id));
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
