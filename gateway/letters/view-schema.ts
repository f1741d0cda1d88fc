// The shapes of the letter and delivery views (view.ts) as the case store's API writes them: the schemas the OpenAPI
// document shows for GET /api/v1/letters/{id}, GET /api/v1/letters and GET /api/v1/deliveries/{id}, and the type the
// view functions are held to (timestamps leave as ISO strings).
import { z } from 'zod';
import { letterSchema } from '../../shared/letter.js';

const at = z.iso.datetime();
/** A send's outcome as the channel gave it; `report:…` a provider's delivery report that came later. */
export const attemptOutcomes = [
  'sent',
  'delivered',
  'retry',
  'fallback',
  'failed',
  'report:delivered',
  'report:failed',
] as const;
const letterStatus = z.enum(['received', 'accepted', 'in_progress', 'replied', 'closed', 'rejected']);

export const deliveryViewSchema = z
  .object({
    id: z.uuid(),
    letterId: z.uuid().nullable().describe('null: a message not about one letter'),
    channel: z.string().describe('the channel the message goes out on'),
    kind: z
      .enum(['receipt', 'reply', 'notice', 'survey', 'service'])
      .describe('receipt (serial and code), reply, status notice, survey question or reminder, service message'),
    templateKey: z.string().describe('the message template the text is rendered from'),
    templateVersion: z.int().nullable().describe('the template version used; null until rendered'),
    status: z
      .enum(['queued', 'sending', 'sent', 'delivered', 'failed', 'fallback'])
      .describe('delivered: the provider confirmed receipt; failed: no route reached the citizen'),
    route: z.string().nullable().describe("the channel's route used last (customer service, template, SMS …)"),
    plan: z
      .array(z.object({ channel: z.string(), route: z.string(), recipient: z.string() }))
      .nullable()
      .describe('the routes tried in order until one reaches the citizen'),
    planStep: z.int().describe('index in `plan` of the route being tried'),
    providerMessageId: z.string().nullable(),
    lastError: z.string().nullable(),
    variables: z.record(z.string(), z.string()).describe('the values put into the template'),
    rendered: z
      .record(z.string(), z.unknown())
      .nullable()
      .describe('the message as sent to the provider; null until rendered or once purged'),
    createdAt: at,
    sentAt: at.nullable(),
    attempts: z
      .array(
        z.object({
          at,
          channel: z.string().nullable(),
          route: z.string(),
          outcome: z
            .enum(attemptOutcomes)
            .describe("a send's outcome, or `report:…`: the provider's later delivery report"),
          providerMessageId: z.string().nullable(),
          errorCode: z.string().nullable().describe("the provider's error code"),
          error: z.string().nullable(),
        }),
      )
      .describe('every send attempt, oldest first, and delivery reports'),
  })
  .describe('An outbound message with its plan and attempts');

export const surveyViewSchema = z
  .object({
    id: z.uuid(),
    state: z.enum(['open', 'answered', 'expired', 'withdrawn']).describe('withdrawn: the case store took it back'),
    trigger: z.enum(['final_reply', 'closed', 'api']).describe('what started it'),
    startedAt: at,
    expiresAt: at,
    remindedAt: at.nullable(),
    answeredAt: at.nullable(),
    answerChannel: z.string().nullable().describe('the channel the citizen answered on'),
    expiredAt: at.nullable(),
    withdrawnAt: at.nullable().describe('when the case store withdrew it (POST /letters/{id}/survey/withdraw)'),
    withdrawReason: z.string().nullable().describe('the reason the case store gave for withdrawing it'),
    score: z
      .int()
      .min(1)
      .max(3)
      .nullable()
      .describe('1 satisfied (满意), 2 fairly satisfied (基本满意), 3 dissatisfied (不满意)'),
    reason: z.string().nullable().describe('what the citizen wrote about the score'),
    reopenRequested: z.boolean().nullable().describe('the citizen asked for the case to be reopened'),
  })
  .describe('The satisfaction survey and its result');

export const letterViewSchema = z
  .object({
    id: z.uuid(),
    channel: z.string().describe('the channel the citizen is answered on'),
    status: letterStatus,
    forwardState: z
      .enum(['pending', 'forwarded', 'rejected', 'external'])
      .describe('forwarding to the case store; external: registered by the case store itself, never forwarded'),
    serial: z.string().nullable().describe("the case store's acceptance serial, once accepted"),
    caseId: z.string().nullable().describe("the case store's own id, when it gave one"),
    stuck: z.boolean().describe('forwarding gave up for now and waits for staff'),
    rejectedReason: z.string().nullable(),
    forwardAttempts: z.int(),
    lastForwardError: z.string().nullable(),
    receivedAt: at,
    forwardedAt: at.nullable(),
    letter: letterSchema.meta({ id: 'Letter' }).describe('the canonical letter, personal fields in clear'),
    topic: z
      .object({
        code: z.string().describe("a code of the gateway's topic taxonomy"),
        name: z.string().nullable().describe('its name in the newest taxonomy version that has it'),
        inferred: z
          .boolean()
          .describe('true: found from the text by the gateway; false: the citizen or the case store chose it'),
      })
      .nullable()
      .describe("the letter's topic; null until one is chosen or inferred"),
    region: z
      .object({
        code: z.string().describe('GB/T 2260 code of a district/county (6 digits) or township/street (9 digits)'),
        name: z.string().nullable().describe('a street is named with its district before it'),
        inferred: z
          .boolean()
          .describe(
            'true: found from the text or address by the gateway; false: from the citizen, mailbox or case store',
          ),
      })
      .nullable()
      .describe('where the matter is; null until one is chosen or inferred'),
    department: z.string().nullable().describe('the handling department the case store reported'),
    deadline: at.nullable().describe('when the reply is due, as the case store reported it'),
    resolved: z.boolean().nullable().describe('whether the matter was resolved; null until reported'),
    statusHistory: z
      .array(z.object({ status: letterStatus, note: z.string().nullable(), at }))
      .describe('every status the letter went through, oldest first, starting with its receipt'),
    survey: surveyViewSchema.nullable().describe('the satisfaction survey and its result; null until one is started'),
    deliveries: z.array(deliveryViewSchema).describe('every outbound message with its attempts, oldest first'),
  })
  .describe('The letter view');

/** What a view function's value becomes on the wire: timestamps as ISO strings. */
export type Wire<T> = T extends Date
  ? string
  : T extends (infer U)[]
    ? Wire<U>[]
    : T extends object
      ? { [K in keyof T]: Wire<T[K]> }
      : T;
