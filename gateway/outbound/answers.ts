// The answers of the outbound API's calls on one letter (api.ts), as zod schemas: the routes build their bodies to
// these types and the OpenAPI document shows them, so what the case store reads is what the document promises.
import { z } from 'zod';
import { letterViewSchema } from '../letters/view-schema.js';

export const replyAnswerSchema = z
  .object({
    deliveryId: z.uuid().describe('the message queued for the citizen (GET /deliveries/{id}); its first part if split'),
    channel: z.string().describe("the letter's channel the reply goes out on"),
    status: z.literal('queued'),
    final: z.boolean().describe('this was the final reply (a survey follows unless `survey: false` was sent)'),
    partDeliveryIds: z
      .array(z.uuid())
      .optional()
      .describe("the further parts, in order, when the reply is longer than the channel's message limit"),
  })
  .describe('The reply, queued');

export const surveyStartAnswerSchema = z
  .object({
    surveyId: z.uuid(),
    created: z.boolean().describe('false: the letter already had its survey; that one is answered'),
    state: z.enum(['open', 'answered', 'expired', 'withdrawn']),
    detail: z.string().optional().describe('why nothing new was started'),
  })
  .describe('The survey of the letter');

export const surveyWithdrawAnswerSchema = z
  .object({
    surveyId: z.uuid(),
    state: z.literal('withdrawn'),
    withdrawnAt: z.iso.datetime().describe('when it was withdrawn (the first call)'),
    reason: z.string().nullable().describe('the reason given by the call that withdrew it'),
  })
  .describe(
    'The survey, withdrawn: its questions and reminders not yet sent are cancelled (each reported as a failed ' +
      '`delivery.updated` event), and an answer that still comes is not taken (no `survey.answered`).',
  );

export const lettersBySerialSchema = z
  .object({
    letters: z.array(letterViewSchema).max(1).describe('the letter with this serial; empty when none'),
  })
  .describe('Letters found by serial');

export const statusAnswerSchema = z
  .object({
    changed: z.boolean().describe('false: the status was already this far (or no status was sent)'),
    status: z
      .enum(['received', 'accepted', 'in_progress', 'replied', 'closed', 'rejected'])
      .describe('the status the letter has now'),
    noticeDeliveryId: z.uuid().optional().describe('the status notice queued for the citizen, when staff enabled one'),
    updated: z
      .array(z.enum(['department', 'deadline', 'resolved', 'topic', 'region']))
      .describe('case facts this report changed (kept with their old values in the history)'),
  })
  .describe('What the report changed');
