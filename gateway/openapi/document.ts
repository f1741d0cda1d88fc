// The OpenAPI 3.1 document of the outbound API (/api/v1), generated from the same zod schemas that validate the
// requests (zod's JSON Schema output is draft 2020-12, the dialect of OpenAPI 3.1), so it cannot drift from the code.
// A route added under /api/v1 without an entry here fails the test that compares this list with the app's routes.
import { z } from 'zod';
import { letterKinds } from '../../shared/letter.js';
import { replySchema, statusSchema, surveyWithdrawSchema } from '../outbound/api.js';
import {
  lettersBySerialSchema,
  replyAnswerSchema,
  statusAnswerSchema,
  surveyStartAnswerSchema,
  surveyWithdrawAnswerSchema,
} from '../outbound/answers.js';
import { deliveryViewSchema, letterViewSchema } from '../letters/view-schema.js';
import { registrationSchema } from '../registrations/register.js';
import { batchProgressSchema, batchResultSchema, registrationResultSchema } from '../registrations/answers.js';
import { BATCH_MAX, surveyBatchSchema } from '../registrations/batch.js';
import { groupings } from '../stats/compute.js';
import { kpiGroupings } from '../figures/facts.js';
import {
  operationNames,
  pathsOf,
  problemAnswer,
  problemComponent,
  openApiDocumentSchema,
  type Answer,
  type Operation,
} from './build.js';

const rate = z.number().min(0).max(1).nullable();
const count = z.union([z.int().min(0), z.literal('< 5')]).describe('counts from 1 to 4 are published as "< 5"');
const channelFigures = z.object({
  received: count,
  forwarded: count.describe('letters the case store accepted'),
  rejected: count.describe('letters the case store refused'),
  repliesSent: count,
  repliesDelivered: count.describe('replies the provider confirmed'),
  repliedLetters: count.describe('letters with at least one reply sent'),
  replyRate: rate.describe('letters replied / letters forwarded'),
  firstReplyMedianHours: z.number().nullable().describe('hours from receipt to the first reply; null: no reply yet'),
  firstReplyAverageHours: z.number().nullable(),
  satisfaction: z.object({
    surveyed: count,
    answered: count,
    satisfied: count.describe('满意 + 基本满意'),
    rate: rate.describe('satisfied / answered; null before any answer'),
    responseRate: rate.describe('answered / surveyed; null before any survey'),
  }),
});
const kpiFigures = z.object({
  received: z.int(),
  replied: z.int(),
  replyRate: rate.describe('回复办理率: replied / received'),
  closed: z.int().describe('letters the case store said were resolved or not'),
  resolved: z.int(),
  resolutionRate: rate.describe('诉求解决率: resolved / closed'),
  answered: z.int().describe('answered satisfaction surveys'),
  satisfied: z.int().describe('满意 + 基本满意'),
  satisfactionRate: rate.describe('满意率: satisfied / answered'),
  due: z.int().describe('letters with a deadline that passed or that were replied'),
  overdue: z.int().describe('not replied by the deadline'),
  overdueRate: rate.describe('超期率: overdue / due'),
  averageReplyDays: z.number().nullable().describe('days from receipt to the final reply, replied letters'),
  medianReplyDays: z.number().nullable(),
});
const kpiPair = z.object({
  current: kpiFigures,
  previous: kpiFigures.describe('the same figures for the period of equal length just before'),
});
const kpiResult = z.object({
  from: z.iso.date(),
  to: z.iso.date(),
  previousFrom: z.iso.date(),
  previousTo: z.iso.date(),
  groupBy: z
    .enum(kpiGroupings)
    .nullable()
    .describe('null when the grouping asked for is not a KPI grouping (origin): totals only'),
  totals: kpiPair,
  groups: z.array(
    z.object({ key: z.string().describe('code or id; empty: not known'), label: z.string(), ...kpiPair.shape }),
  ),
});
const statsResult = z
  .object({
    from: z.iso.date(),
    to: z.iso.date(),
    groupBy: z.enum(groupings),
    totals: channelFigures.describe('channel figures of all letters'),
    groups: z
      .array(
        z.object({
          key: z.string().describe('the group: a channel, mailbox id, code …; empty: not known'),
          ...channelFigures.shape,
        }),
      )
      .describe('channel figures per group'),
    daily: z.array(
      z.object({ date: z.iso.date(), counts: z.record(z.string(), count).describe('letters received, by group key') }),
    ),
    kpis: kpiResult.describe(
      "the city's KPIs as the platform defines them, letters counted in the period they were received",
    ),
  })
  .describe('Channel statistics and KPIs');

const byId = (description: string) => ({ id: { description, schema: z.uuid() } });

/**
 * A call on one letter of the case store's: an unknown id answers 404, and a call that changes the letter answers 409
 * once the letter was rejected.
 */
function letterCall(op: Omit<Operation, 'tag' | 'pathParams'>, o: { changes: boolean }): Operation {
  return {
    ...op,
    tag: 'letters',
    pathParams: byId('the letter id the gateway issued'),
    responses: {
      ...op.responses,
      404: problemAnswer('no such letter'),
      ...(o.changes ? { 409: problemAnswer('the letter was rejected') } : {}),
    },
  };
}

/** The case store's calls; every one but the document itself needs an API key (`scope`). */
const declared: Operation[] = [
  {
    method: 'post',
    path: '/letters',
    tag: 'registered letters',
    scope: 'letters:write',
    summary: 'Register a case that came another way (12345 hotline, counter, paper mail) for SMS follow-up',
    description:
      'The gateway stores it as a letter of that origin answered by SMS, never forwards it back, issues the extraction code and sends the receipt (serial + code) by SMS. From then on it is an ordinary letter for the calls below.',
    body: registrationSchema,
    responses: {
      201: { description: 'registered; the receipt is queued', schema: registrationResultSchema },
      200: { description: 'this serial was registered before with the same content', schema: registrationResultSchema },
      409: problemAnswer(
        '`serial_conflict`: the serial is registered with other content or belongs to another letter; `conflict`: SMS is not enabled on this gateway; `idempotency_key_reused`',
      ),
      422: problemAnswer('`phone_invalid`, `sms_consent_required` or `request_invalid`; nothing is stored'),
    },
  },
  {
    method: 'post',
    path: '/surveys/batch',
    tag: 'registered letters',
    scope: 'letters:write',
    summary: `Start the satisfaction survey (短信回访) of up to ${BATCH_MAX} letters registered with this API key`,
    description:
      'All or nothing. The surveys go out by SMS within the configured send rate and daily cap per number; opted-out citizens are skipped (recorded as failed).',
    body: surveyBatchSchema,
    responses: {
      202: { description: 'surveys started; one result per id', schema: batchResultSchema },
      403: problemAnswer('`letter_not_owned`: some ids were not registered with this key (listed in `letterIds`)'),
      422: problemAnswer('`batch_too_large` or `request_invalid`'),
    },
  },
  {
    method: 'get',
    path: '/surveys/batches/{id}',
    tag: 'registered letters',
    scope: 'letters:read',
    summary: 'Progress of a survey batch started with this API key',
    pathParams: byId('the batch id'),
    responses: {
      200: { description: 'counts of the batch', schema: batchProgressSchema },
      404: problemAnswer('no such batch for this key'),
    },
  },
  letterCall(
    {
      method: 'post',
      path: '/letters/{id}/replies',
      scope: 'letters:write',
      summary: "Send a reply to the citizen on the letter's channel",
      body: replySchema,
      responses: { 202: { description: 'queued', schema: replyAnswerSchema } },
    },
    { changes: true },
  ),
  letterCall(
    {
      method: 'post',
      path: '/letters/{id}/status',
      scope: 'letters:write',
      summary:
        'Move the letter forward (accepted, in_progress, replied, closed) and report what only the case store knows',
      description:
        'Any of `department`, `deadline`, `resolved` and corrections of `topic`/`region` may come with a status or alone; changed values are kept with their history and count in the KPIs at once.',
      body: statusSchema,
      responses: {
        200: { description: 'recorded', schema: statusAnswerSchema },
        422: problemAnswer('invalid fields, unknown topic or a region outside the city'),
      },
    },
    { changes: true },
  ),
  letterCall(
    {
      method: 'post',
      path: '/letters/{id}/surveys',
      scope: 'letters:write',
      summary: 'Start the satisfaction survey now (at most one per letter)',
      responses: {
        202: { description: 'started', schema: surveyStartAnswerSchema },
        200: { description: 'the letter already has its survey', schema: surveyStartAnswerSchema },
      },
    },
    { changes: false },
  ),
  letterCall(
    {
      method: 'post',
      path: '/letters/{id}/survey/withdraw',
      scope: 'letters:write',
      summary: "Withdraw the letter's open satisfaction survey",
      description:
        'For a survey that should not be answered any more (started by mistake, or the case is being handled again). ' +
        'Its questions and reminders not yet sent are cancelled on every route, each reported as a failed ' +
        '`delivery.updated` event; a question already handed to WeChat or the SMS provider may still arrive, but an ' +
        'answer to it is not taken (the citizen is told the survey has ended) and no `survey.answered` follows. ' +
        'Withdrawing again answers the same as the first time. The body, and the reason in it, are optional.',
      body: surveyWithdrawSchema,
      responses: {
        200: { description: 'withdrawn (now or by an earlier call)', schema: surveyWithdrawAnswerSchema },
        409: problemAnswer(
          '`survey_not_open`: no survey was started for this letter, or it was answered or has expired; ' +
            '`idempotency_key_reused`: this Idempotency-Key came with another request',
        ),
      },
    },
    { changes: false },
  ),
  letterCall(
    {
      method: 'get',
      path: '/letters/{id}',
      scope: 'letters:read',
      summary:
        'The letter, its status with its complete history, serial, forwarding state, survey result and deliveries',
      responses: {
        200: { description: 'the letter view; `letter` is the canonical letter', schema: letterViewSchema },
      },
    },
    { changes: false },
  ),
  {
    method: 'get',
    path: '/letters',
    tag: 'letters',
    scope: 'letters:read',
    summary: 'Find a letter by its serial',
    query: [
      {
        name: 'serial',
        required: true,
        description: 'acceptance serial',
        schema: { type: 'string', pattern: '^[A-Za-z0-9-]{1,64}$' },
      },
    ],
    responses: {
      200: { description: 'the letter with this serial, if any', schema: lettersBySerialSchema },
      422: problemAnswer('no usable serial'),
    },
  },
  {
    method: 'get',
    path: '/deliveries/{id}',
    tag: 'letters',
    scope: 'letters:read',
    summary: 'One outbound message with its plan and attempts',
    pathParams: byId('the delivery id'),
    responses: {
      200: { description: 'the delivery', schema: deliveryViewSchema },
      404: problemAnswer('no such delivery'),
    },
  },
  {
    method: 'get',
    path: '/stats',
    tag: 'statistics',
    scope: 'letters:read',
    summary:
      'Statistics and KPIs for a date range, grouped by channel, mailbox, kind, origin, mailbox level, department, topic or region, with the previous period',
    query: [
      {
        name: 'from',
        required: false,
        description: 'first day (YYYY-MM-DD, Asia/Shanghai); default 29 days before `to`',
        schema: { type: 'string', format: 'date' },
      },
      {
        name: 'to',
        required: false,
        description: 'last day, inclusive; default today',
        schema: { type: 'string', format: 'date' },
      },
      {
        name: 'groupBy',
        required: false,
        description: 'grouping',
        schema: { type: 'string', enum: [...groupings], default: 'channel' },
      },
    ],
    responses: {
      200: { description: 'figures per group, totals, a daily series and the KPIs', schema: statsResult },
      422: problemAnswer('bad range or grouping'),
    },
  },
  {
    method: 'get',
    path: '/openapi.json',
    tag: 'meta',
    summary: 'This document',
    responses: { 200: { description: 'OpenAPI 3.1', schema: openApiDocumentSchema } },
  },
];
const operations = declared.map((op): Operation => (op.scope ? { ...op, security: 'bearer' } : op));

/**
 * The problem answers every call of a kind can give: the API key's, the Idempotency-Key's on every POST, and those of
 * a JSON body that cannot be read.
 */
function common(op: Operation): { parameters: Record<string, unknown>[]; responses: Record<string, Answer> } {
  const post = op.method === 'post';
  return {
    parameters: post
      ? [
          {
            name: 'Idempotency-Key',
            in: 'header',
            required: false,
            description:
              'same key and body: the first answer again (Idempotent-Replayed: true); same key, other body: 409',
            schema: { type: 'string', maxLength: 255 },
          },
        ]
      : [],
    responses: {
      ...(op.security
        ? {
            401: problemAnswer('`unauthorized`: no or unknown API key'),
            403: problemAnswer('`forbidden`: the key lacks the scope'),
          }
        : {}),
      ...(post
        ? {
            400: problemAnswer(
              op.body
                ? '`body_invalid_json`, `body_too_deep`, or `bad_request`: an Idempotency-Key that is not 1–255 visible ASCII characters'
                : '`bad_request`: an Idempotency-Key that is not 1–255 visible ASCII characters',
            ),
            409: problemAnswer('`idempotency_key_reused`: this Idempotency-Key came with another request'),
          }
        : {}),
      ...(op.body
        ? {
            413: problemAnswer('`body_too_large`'),
            415: problemAnswer('`unsupported_media_type`: send application/json'),
            422: problemAnswer('`request_invalid`: `problems` names each field'),
          }
        : {}),
    },
  };
}

/**
 * The document, its links to the mini-program's document only when `mp` (the gateway serves /mp only with the
 * mini-program channel).
 */
export function openApiDocument(serverUrl: string, o: { mp: boolean } = { mp: true }): Record<string, unknown> {
  const schemas: Record<string, unknown> = {};
  const paths = pathsOf(operations, common, schemas);
  return {
    openapi: '3.1.0',
    info: {
      title: 'Letter channel gateway — outbound API',
      version: '1',
      description:
        'Called by the case store: replies, statuses and surveys for letters, registration of cases that came another way, statistics. Bearer API keys; errors are RFC 9457 problem details with a `code`.' +
        (o.mp
          ? " The mini-program's own API is described separately: [/mp/openapi.json](/mp/openapi.json), readable at [/api-docs/mp/](/api-docs/mp/)."
          : ''),
    },
    servers: [{ url: `${serverUrl.replace(/\/$/, '')}/api/v1` }],
    tags: [
      { name: 'letters', description: 'letters that came through a gateway channel or were registered' },
      {
        name: 'registered letters',
        description: 'cases that came by phone, at a counter or by mail, followed up by SMS',
      },
      { name: 'statistics' },
      { name: 'meta' },
    ],
    paths,
    components: {
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description: 'API key issued by the gateway (staff console, API keys)',
        },
      },
      schemas: {
        ...schemas,
        Problem: problemComponent(),
        LetterKind: { type: 'string', enum: [...letterKinds] },
      },
    },
  };
}

/** `METHOD /path` of every documented operation, in the document's `{param}` form. */
export const documentedOperations = (): string[] => operationNames(operations);
