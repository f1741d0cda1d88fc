// The answers of the registration calls (routes.ts), as zod schemas: the routes build their bodies to these types and
// the OpenAPI document shows them.
import { z } from 'zod';
import { letterOrigins } from '../../shared/letter.js';
import { followUpChannel } from './register.js';

export const registrationResultSchema = z
  .object({
    created: z
      .boolean()
      .describe('false: this serial was registered before with the same content; the same letter is answered'),
    letterId: z.uuid(),
    serial: z.string(),
    extractionCode: z
      .string()
      .regex(/^\d{6}$/)
      .describe('tell the citizen; sent to them by SMS with the serial'),
    origin: z.enum(letterOrigins),
    channel: z.literal(followUpChannel).describe('the channel the gateway follows the letter up on'),
  })
  .describe('The registered letter');

export const batchResultSchema = z
  .object({
    batchId: z.uuid(),
    queued: z.int().describe('surveys started by this call'),
    existing: z.int().describe('letters that already had their survey (nothing new sent)'),
    results: z
      .array(
        z.object({
          letterId: z.uuid(),
          outcome: z.enum(['queued', 'exists']),
          surveyId: z.uuid(),
          state: z.enum(['open', 'answered', 'expired', 'withdrawn']),
        }),
      )
      .describe('one per id, in the order given'),
  })
  .describe('The surveys started');

export const batchProgressSchema = z
  .object({
    batchId: z.uuid(),
    createdAt: z.iso.datetime(),
    letters: z.int(),
    waiting: z
      .int()
      .describe(
        'survey messages still waiting for their turn (SMS rate limit, daily cap per number, earlier messages)',
      ),
    sent: z.int(),
    delivered: z.int(),
    failed: z.int().describe('not sent: opted out, refused by the provider …'),
    answered: z.int(),
    expired: z.int(),
  })
  .describe('Progress of a survey batch');
