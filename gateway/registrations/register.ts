// Registering a letter that reached the platform another way (12345 hotline call, counter, paper mail): the case store
// already has it and gave it a serial, so the gateway stores it through intake as a letter of that origin, answered on
// SMS, never forwarded back (forward state `external`), and queues its receipt, all in the caller's transaction.
import { createHash } from 'node:crypto';
import type { Transaction } from 'kysely';
import { z } from 'zod';
import { cleanLetterText, letterKinds, letterOrigins, type Channel } from '../../shared/letter.js';
import type { Config } from '../../config/settings.js';
import type { Database } from '../store/tables.js';
import { AppError } from '../errors.js';
import { createIntake } from '../letters/intake.js';
import { queueReceipts } from '../outbox/deliveries.js';
import { normalizePhone } from '../lib/phone.js';
import { markRegistered } from '../letters/lifecycle.js';
import type { PiiService } from '../privacy/pii-service.js';
import { format } from '../i18n/catalogue.js';
import { messages } from './messages.zh-CN.js';

/** These letters are followed up by SMS: the phone the citizen called from or gave is all the gateway knows. */
export const followUpChannel = 'sms' satisfies Channel;
export const SUMMARY_MAX = 1000;

export const registrationSchema = z
  .object({
    origin: z
      .enum(letterOrigins)
      .describe('phone: 12345 hotline call; counter: visit to a service counter; mail: paper letter; other'),
    serial: z
      .string()
      .regex(/^[A-Za-z0-9-]{1,64}$/, 'letters, digits and hyphens, at most 64')
      .describe('the acceptance serial the case store gave the case'),
    caseId: z.string().min(1).max(128).optional().describe("the case store's own id of the case"),
    phone: z
      .string()
      .min(1)
      .max(32)
      .describe('mainland mobile number of the citizen (13800138000, +8613800138000, 86…, 0086…)'),
    mailbox: z
      .object({ id: z.string().min(1).max(64), name: z.string().min(1).max(100) })
      .strict()
      .optional(),
    kind: z.enum(letterKinds).optional(),
    topic: z.string().trim().min(1).max(50).optional().describe('subject: 城市管理, 城乡住房, 交通管理 …'),
    region: z
      .object({ code: z.string().regex(/^\d{6}(\d{3})?$/, 'GB/T 2260 code'), name: z.string().min(1).max(100) })
      .strict()
      .optional(),
    summary: z
      .string()
      .trim()
      .min(1, 'summary must not be empty')
      .max(SUMMARY_MAX)
      .describe('a short summary of the case'),
    receivedAt: z.iso.datetime({ offset: true }).describe('when the call, visit or letter was received'),
    smsConsent: z.boolean().optional().describe('the citizen agreed to be followed up by SMS; must be true'),
  })
  .strict()
  .describe('A case that reached the platform another way, registered for SMS follow-up');

export type Registration = z.infer<typeof registrationSchema>;

export interface RegistrationResult {
  created: boolean;
  letterId: string;
  serial: string;
  extractionCode: string;
  origin: (typeof letterOrigins)[number];
  channel: typeof followUpChannel;
}

/** The mainland mobile number in E.164, or a `phone_invalid` problem (SMS templates here reach mainland numbers only). */
export function mobileNumber(input: string): string {
  const phone = normalizePhone(input);
  if (!phone || !/^\+861[3-9]\d{9}$/.test(phone)) {
    throw new AppError('phone_invalid', {
      problems: [{ field: 'phone', message: format(messages, 'registrations.phoneInvalid') }],
    });
  }
  return phone;
}

/** Checks what zod cannot: consent given, the number reachable, the time not in the future. */
export function checkRegistration(r: Registration): { phone: string; receivedAt: string } {
  if (r.smsConsent !== true) {
    throw new AppError('sms_consent_required', {
      problems: [{ field: 'smsConsent', message: format(messages, 'registrations.consentRequired') }],
    });
  }
  const phone = mobileNumber(r.phone);
  const at = new Date(r.receivedAt);
  if (at.getTime() > Date.now() + 5 * 60_000)
    throw new AppError('request_invalid', {
      problems: [{ field: 'receivedAt', message: 'must not be in the future' }],
    });
  return { phone, receivedAt: at.toISOString() };
}

/** A fingerprint of what was registered, so the same serial again is recognized as the same case or refused. */
export function contentHash(r: Registration, phone: string, receivedAt: string): string {
  const canonical = [
    r.origin,
    r.serial,
    r.caseId ?? null,
    phone,
    r.mailbox ?? null,
    r.kind ?? null,
    r.topic ?? null,
    r.region ?? null,
    cleanLetterText(r.summary).trim(),
    receivedAt,
  ];
  return createHash('sha256').update(JSON.stringify(canonical)).digest('hex');
}

export async function registerLetter(
  tx: Transaction<Database>,
  config: Config,
  apiKeyId: string,
  r: Registration,
  pii: PiiService,
): Promise<RegistrationResult> {
  const { phone, receivedAt } = checkRegistration(r);
  const hash = contentHash(r, phone, receivedAt);
  if (await tx.selectFrom('letters').select('id').where('serial', '=', r.serial).executeTakeFirst()) {
    // Read after the letter: a registration committed in between is seen whole (letter and its record together).
    const known = await existing(tx, r.serial, hash);
    if (known) return known;
    throw new AppError('serial_conflict', {
      detail: 'this serial belongs to a letter that came through a gateway channel',
    });
  }
  // Intake bound to this transaction: the letter, its serial and its receipt commit together or not at all, and the
  // forwarder never sees the letter as pending (so nothing wakes it).
  const intake = createIntake(tx, () => undefined, undefined, pii);
  const stored = await intake.submit({
    draft: {
      channel: followUpChannel,
      origin: r.origin,
      receivedAt,
      citizen: { channelUserId: phone, phone, anonymous: false },
      mailbox: r.mailbox ?? { id: config.DEFAULT_MAILBOX_ID, name: config.DEFAULT_MAILBOX_NAME },
      kind: r.kind ?? 'other',
      ...(r.topic ? { category: r.topic } : {}),
      ...(r.region ? { region: r.region } : {}),
      body: r.summary,
      attachments: [],
      visibility: 'private',
    },
    sources: [
      {
        providerMessageId: `registered:${r.serial}`,
        receivedAt,
        type: 'registration',
        payload: { origin: r.origin, serial: r.serial, caseId: r.caseId ?? null, registeredBy: apiKeyId },
      },
    ],
  });
  if (stored.duplicate) {
    // The same serial registered at the same moment by another request, committed first.
    const again = await existing(tx, r.serial, hash);
    if (again) return again;
    throw new AppError('serial_conflict');
  }
  const letter = await markRegistered(tx, stored.letterId, r.serial, r.caseId ?? null);
  await tx
    .insertInto('registered_letters')
    .values({
      letter_id: stored.letterId,
      serial: r.serial,
      api_key_id: apiKeyId,
      origin: r.origin,
      content_hash: hash,
    })
    .execute();
  await queueReceipts(tx, [letter]);
  return {
    created: true,
    letterId: stored.letterId,
    serial: r.serial,
    extractionCode: stored.extractionCode,
    origin: r.origin,
    channel: followUpChannel,
  };
}

async function existing(
  tx: Transaction<Database>,
  serial: string,
  hash: string,
): Promise<RegistrationResult | undefined> {
  const row = await tx
    .selectFrom('registered_letters as r')
    .innerJoin('letters as l', 'l.id', 'r.letter_id')
    .select(['r.letter_id', 'r.origin', 'r.content_hash', 'l.extraction_code', 'l.channel'])
    .where('r.serial', '=', serial)
    .executeTakeFirst();
  if (!row) return undefined;
  if (row.content_hash !== hash)
    throw new AppError('serial_conflict', {
      detail: 'this serial is already registered with different content',
      letterId: row.letter_id,
    });
  return {
    created: false,
    letterId: row.letter_id,
    serial,
    extractionCode: row.extraction_code,
    origin: row.origin as RegistrationResult['origin'], // stored from the checked request
    channel: row.channel as typeof followUpChannel, // a registered letter is followed up on this channel only
  };
}
