// The canonical letter v1: one zod schema from which the published JSON Schema (letter.schema.json), the TypeScript
// types and the validator all come. No Node imports: the mini-program imports this file too.
import { z } from 'zod';
import { cleanText as cleanIncomingText } from './text.js';

// WeChat mini-programs forbid eval/new Function; jitless keeps zod on its interpreted path everywhere.
z.config({ jitless: true });

export const LETTER_LIMITS = {
  titleMax: 100,
  bodyMax: 5000,
  attachmentsMax: 20,
  nameMax: 50,
} as const;

/** The channels, declared once: the gateway's CHANNELS setting takes this list (and its order) as its default. */
export const channels = ['wechat-oa', 'wechat-mp', 'sms', 'web'] as const;
/**
 * How a letter reached the platform when it did not come through a gateway channel: a 12345 hotline call, a counter
 * visit, paper mail. Such letters are registered by the case store and followed up on `channel` (SMS).
 */
export const letterOrigins = ['phone', 'counter', 'mail', 'other'] as const;
export const originLabels: Record<LetterOrigin, string> = {
  phone: '12345热线电话',
  counter: '窗口来访',
  mail: '来信（纸质）',
  other: '其他途径',
};
export const letterKinds = ['complaint', 'suggestion', 'consultation', 'praise', 'other'] as const;
/** 投诉 / 建议 / 咨询 / 表扬: the words citizens use for each kind. */
export const kindLabels: Record<LetterKind, string> = {
  complaint: '投诉',
  suggestion: '建议',
  consultation: '咨询',
  praise: '表扬',
  other: '其他',
};

const isoDateTime = z.iso.datetime({ offset: true }).describe('ISO-8601 date-time with offset');
// Control characters other than tab and newline are removed at intake; the schema refuses any that remain.
const cleanText = (max: number) =>
  z
    .string()
    .max(max)
    .regex(/^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]*$/, 'control characters are not allowed');

export const citizenSchema = z
  .object({
    channelUserId: z.string().min(1).max(128).describe('openid (WeChat) or E.164 phone (SMS)'),
    unionId: z.string().min(1).max(128).optional(),
    phone: z
      .string()
      .regex(/^\+[1-9]\d{6,14}$/, 'phone must be E.164 (+86…)')
      .optional(),
    phoneVerified: z.boolean().optional(),
    name: cleanText(LETTER_LIMITS.nameMax).optional(),
    anonymous: z.boolean(),
  })
  .strict();

export const storedAttachmentSchema = z
  .object({
    kind: z.enum(['image', 'voice', 'video', 'file']),
    url: z.url().describe('served by the gateway under a signed, expiring URL'),
    contentType: z.string().min(3).max(100),
    bytes: z.number().int().nonnegative(),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    transcript: cleanText(LETTER_LIMITS.bodyMax).optional().describe('speech recognition of a voice message'),
  })
  .strict();

export const missingAttachmentSchema = z
  .object({
    kind: z.enum(['image', 'voice', 'video', 'file']),
    missing: z.literal(true).describe('the media could not be fetched from the channel before it expired'),
    reason: z.string().max(200),
    transcript: cleanText(LETTER_LIMITS.bodyMax).optional(),
  })
  .strict();

export const sourceMessageSchema = z
  .object({
    providerMessageId: z
      .string()
      .min(1)
      .max(200)
      .describe('WeChat MsgId, SMS sequence id, mini-program submission key'),
    receivedAt: isoDateTime,
    type: z.string().min(1).max(50),
  })
  .strict();

export const letterSchema = z
  .object({
    id: z.uuid().describe('gateway-issued, time-ordered (UUIDv7); the idempotency key towards the case store'),
    schemaVersion: z.literal(1),
    channel: z.enum(channels).describe('the channel the gateway answers the citizen on'),
    origin: z
      .enum(letterOrigins)
      .optional()
      .describe(
        'how the letter reached the platform when not through `channel` (registered by the case store); absent: it came through `channel`',
      ),
    receivedAt: isoDateTime.describe('first message of the letter seen'),
    submittedAt: isoDateTime.describe('letter closed and stored'),
    citizen: citizenSchema,
    mailbox: z.object({ id: z.string().min(1).max(64), name: z.string().min(1).max(100) }).strict(),
    kind: z.enum(letterKinds),
    category: z.string().min(1).max(50).optional().describe('subject: 城市管理, 城乡住房, 交通管理 …'),
    topic: z
      .object({ code: z.string().regex(/^[a-z0-9-]{1,40}$/, 'topic code'), name: z.string().min(1).max(50) })
      .strict()
      .optional()
      .describe(
        "topic from the platform's taxonomy, chosen by the citizen (mini-program, web); absent when the gateway infers it after storing",
      ),
    region: z
      .object({ code: z.string().regex(/^\d{6}(\d{3})?$/, 'GB/T 2260 code'), name: z.string().min(1).max(100) })
      .strict()
      .optional()
      .describe('GB/T 2260 division: 6-digit county or 9-digit township/street code'),
    title: cleanText(LETTER_LIMITS.titleMax).optional(),
    body: cleanText(LETTER_LIMITS.bodyMax).min(1, 'body must not be empty'),
    attachments: z.array(z.union([storedAttachmentSchema, missingAttachmentSchema])).max(LETTER_LIMITS.attachmentsMax),
    location: z
      .object({
        latitude: z.number().min(-90).max(90),
        longitude: z.number().min(-180).max(180),
        label: z.string().max(200).optional(),
        address: z.string().max(300).optional(),
      })
      .strict()
      .optional(),
    visibility: z.enum(['public', 'private']).describe("citizen's consent to publication"),
    extractionCode: z.string().regex(/^\d{6}$/),
    sourceMessages: z.array(sourceMessageSchema).min(1),
    contentCheck: z
      .object({
        provider: z.string().max(50),
        suggest: z.enum(['pass', 'review', 'risky']),
        label: z.number().int().optional(),
        traceId: z.string().max(100).optional(),
        checkedAt: isoDateTime,
      })
      .strict()
      .optional()
      .describe('WeChat content-security verdict: recorded, never used to drop a letter'),
  })
  .strict()
  .describe('Canonical citizen letter, v1');

export type Channel = (typeof channels)[number];
export type LetterKind = (typeof letterKinds)[number];
export type LetterOrigin = (typeof letterOrigins)[number];
export type Letter = z.infer<typeof letterSchema>;
export type Citizen = z.infer<typeof citizenSchema>;
export type Attachment = Letter['attachments'][number];
export type SourceMessage = z.infer<typeof sourceMessageSchema>;

/** What a channel hands to intake: everything except what the gateway issues itself. */
export const letterDraftSchema = letterSchema.omit({
  id: true,
  schemaVersion: true,
  extractionCode: true,
  submittedAt: true,
});
export type LetterDraft = z.infer<typeof letterDraftSchema>;

export interface ValidationProblem {
  /** Dotted path of the offending field, e.g. `citizen.phone`. */
  field: string;
  message: string;
}

/** Validates without throwing; problems name the field so callers can show them. */
export function validateLetter(
  value: unknown,
): { ok: true; letter: Letter } | { ok: false; problems: ValidationProblem[] } {
  return toResult(letterSchema.safeParse(value), 'letter');
}

export function validateLetterDraft(
  value: unknown,
): { ok: true; letter: LetterDraft } | { ok: false; problems: ValidationProblem[] } {
  return toResult(letterDraftSchema.safeParse(value), 'letter');
}

function toResult<T>(
  r: z.ZodSafeParseResult<T>,
  key: 'letter',
): { ok: true; letter: T } | { ok: false; problems: ValidationProblem[] } {
  if (r.success) return { ok: true, [key]: r.data };
  return {
    ok: false,
    problems: r.error.issues.map((i) => ({ field: i.path.map(String).join('.') || '(letter)', message: i.message })),
  };
}

/** The gateway's one text-cleaning rule (shared/text.ts), applied by intake before validation. */
export const cleanLetterText = cleanIncomingText;
