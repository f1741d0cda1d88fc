// The OpenAPI 3.1 document of the mini-program's app API (/mp), for the app team: requests described by the same zod
// schemas the routes validate with (shared/mp-api.ts and the named schemas of gateway/mp/), answers by the schemas
// below, which the tests hold every answer of the running app to. A route added under /mp without an entry here fails
// the test that compares this list with the app's routes.
import { z } from 'zod';
import { letterKinds } from '../../shared/letter.js';
import {
  MP_LIMITS,
  mailboxOfficeLevels,
  mpFollowupRequestSchema,
  mpLetterRequestSchema,
  mpQueryRequestSchema,
  mpSatisfactionRequestSchema,
  type MailboxNode,
  type MpBoardPage,
  type MpClassification,
  type MpLetterDetail,
  type MpLetterSummary,
  type MpMailboxSearch,
  type MpProfile,
  type MpPublicLetter,
  type MpQueryAnswer,
  type MpSubmitAnswer,
} from '../../shared/mp-api.js';
import { mpSessionRequestSchema } from '../mp/session.js';
import { mpPhoneRequestSchema, mpSubscriptionsRequestSchema } from '../mp/consent.js';
import { mpReadUntilRequestSchema } from '../mp/messages.js';
import { mailboxQuerySchema } from '../mp/mailbox-routes.js';
import { noQuerySchema } from '../mp/classification-routes.js';
import { boardQuerySchema } from '../mp/board.js';
import { mpUploadFormSchema } from '../mp/uploads.js';
import {
  jsonSchema,
  openApiDocumentSchema,
  operationNames,
  pathsOf,
  problemAnswer,
  problemComponent,
  type Answer,
  type Operation,
} from './build.js';

const iso = z.iso.datetime();
const status = z.enum(['received', 'accepted', 'in_progress', 'replied', 'closed', 'rejected']);

const timelineEntry = z.discriminatedUnion('type', [
  z.object({ type: z.literal('received'), at: iso }),
  z.object({ type: z.literal('accepted'), at: iso, serial: z.string() }),
  z.object({ type: z.literal('reply'), at: iso, text: z.string() }),
  z
    .object({ type: z.literal('followup'), at: iso, text: z.string(), photos: z.array(z.url()) })
    .describe("the citizen's own follow-up; only in GET /mp/letters/{id}"),
  z.object({ type: z.literal('closed'), at: iso }),
]);

const summaryShape = {
  id: z.uuid(),
  serial: z.string().nullable().describe('the acceptance serial, once the case store accepted the letter'),
  status,
  kind: z.enum(letterKinds),
  title: z.string().describe('the title, or the first 20 characters of the text'),
  mailbox: z.string(),
  receivedAt: iso,
};
const letterSummary = z.object(summaryShape);
const letterDetail = z.object({
  ...summaryShape,
  extractionCode: z.string().regex(/^\d{6}$/),
  body: z.string(),
  photos: z.array(z.url()).describe('signed links, valid for a while'),
  location: z
    .object({
      latitude: z.number(),
      longitude: z.number(),
      label: z.string().optional(),
      address: z.string().optional(),
    })
    .optional(),
  visibility: z.enum(['public', 'private']),
  timeline: z.array(timelineEntry).describe('oldest first; `closed` last'),
  survey: z
    .object({
      state: z.enum(['open', 'answered', 'expired']),
      score: z.union([z.literal(1), z.literal(2), z.literal(3)]).nullable(),
    })
    .nullable()
    .describe('the satisfaction survey, once one was started'),
  topic: z.string().optional().describe("the topic's name, chosen by the citizen or found by the gateway"),
  region: z.string().optional().describe('where the matter is (a street named with its district)'),
  department: z.string().optional().describe('the handling department, once the case store reported it'),
  deadline: iso.optional().describe('when the reply is due, once the case store reported it'),
});
const queryAnswer = z.object({
  serial: z.string(),
  status,
  kind: z.enum(letterKinds),
  title: z.string(),
  mailbox: z.string(),
  receivedAt: iso,
  timeline: z.array(timelineEntry).describe('without follow-ups: the asker may not be the writer'),
});
const submitAnswer = z.object({
  letterId: z.uuid(),
  extractionCode: z.string().regex(/^\d{6}$/),
  status,
  serial: z.string().nullable(),
  duplicate: z.boolean().describe('true: this client key was submitted before; the letter stored then'),
});

const officeLevel = z.enum(mailboxOfficeLevels);
const mailboxNode: z.ZodType<MailboxNode> = z
  .object({
    id: z.string(),
    name: z.string(),
    level: z.enum(['city', 'district', 'street']),
    officeLevel: officeLevel.optional(),
    region: z
      .object({ code: z.string(), name: z.string() })
      .optional()
      .describe("GB/T 2260 division a letter to this mailbox is placed in (its own or its parent's)"),
    get children() {
      return z.array(mailboxNode).optional();
    },
  })
  .meta({ id: 'MailboxNode' });
const mailboxTree = z.object({ mailboxes: z.array(mailboxNode) }).describe('without `q`: the whole directory');
const mailboxSearch = z
  .object({
    results: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        level: z.enum(['city', 'district', 'street']),
        path: z.array(z.string()).describe('names from the top of the tree down to this mailbox'),
        officeLevel,
        region: z.object({ code: z.string(), name: z.string() }).nullable(),
      }),
    ),
    groups: z.array(z.object({ officeLevel, ids: z.array(z.string()) })).describe('in the order of office levels'),
  })
  .describe('with `q`: the matches, grouped by office level');

const classification = z.object({
  version: z.string().describe('changes when staff save a new taxonomy or the city changes'),
  topics: z.array(z.object({ code: z.string(), name: z.string() })),
  city: z.object({ code: z.string(), name: z.string() }),
  regions: z.array(
    z.object({
      code: z.string().regex(/^\d{6}$/),
      name: z.string(),
      streets: z.array(z.object({ code: z.string().regex(/^\d{9}$/), name: z.string() })),
    }),
  ),
});

const profile = z.object({
  phoneVerified: z.boolean(),
  phoneMasked: z.string().optional(),
  subscribeTemplates: z
    .array(z.object({ key: z.string(), templateId: z.string() }))
    .max(MP_LIMITS.subscribeTemplatesMax)
    .describe('template ids to ask consent for on submit (wx.requestSubscribeMessage)'),
  uploadMaxBytes: z.int().optional().describe('the largest photo POST /mp/uploads takes'),
  hotline: z.string().optional(),
});

const message = z.object({
  id: z.string().describe('`status:…`, `reply:…` or `survey:…`'),
  kind: z.enum(['status', 'reply', 'survey']),
  letterId: z.uuid(),
  title: z.string(),
  text: z.string(),
  at: iso,
  unread: z.boolean(),
});
const messageCentre = z.object({
  messages: z.array(message).max(100).describe('newest first'),
  unread: z.int(),
});

const publicLetter = z.object({
  ref: z.string().regex(/^[0-9a-f]{20}$/),
  serial: z.string().nullable(),
  receivedAt: iso,
  kind: z.string(),
  mailbox: z.string(),
  title: z.string().nullable(),
  text: z.string(),
  reply: z.string().nullable(),
  approvedAt: iso,
});
const boardPage = z.object({
  letters: z.array(publicLetter),
  page: z.int(),
  pageSize: z.int(),
  total: z.int(),
  hasMore: z.boolean(),
});

// The answers above are the app's types (shared/mp-api.ts): a field changed on one side and not the other fails here.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Holds<T extends true> = T;
export type AnswersAreTheAppTypes = [
  Holds<Same<z.output<typeof letterSummary>, MpLetterSummary>>,
  Holds<Same<z.output<typeof letterDetail>, MpLetterDetail>>,
  Holds<Same<z.output<typeof queryAnswer>, MpQueryAnswer>>,
  Holds<Same<z.output<typeof submitAnswer>, MpSubmitAnswer>>,
  Holds<Same<z.output<typeof mailboxSearch>, MpMailboxSearch>>,
  Holds<Same<z.output<typeof classification>, MpClassification>>,
  Holds<Same<z.output<typeof profile>, MpProfile>>,
  Holds<Same<z.output<typeof publicLetter>, MpPublicLetter>>,
  Holds<Same<z.output<typeof boardPage>, MpBoardPage>>,
];

const letterId = { id: { description: 'the letter id (`letterId` of POST /mp/letters)', schema: z.uuid() } };
const retryAfter = {
  'Retry-After': { description: 'seconds until the budget refills', schema: { type: 'integer', minimum: 1 } },
};

const operations: Operation[] = [
  {
    method: 'post',
    path: '/session',
    tag: 'session',
    summary: 'Log in: trade the code of wx.login for a session token',
    description:
      "The gateway asks WeChat (code2Session) who the user is and answers with its own opaque token; WeChat's session_key never leaves WeChat. A gateway in sandbox mode (no AppID) takes codes `dev:<name>` instead. Send the token as `Authorization: Bearer <token>` on every call marked with a lock; a 401 `session_invalid` means: log in again.",
    body: mpSessionRequestSchema,
    responses: {
      201: {
        description: 'logged in',
        schema: z.object({ token: z.string().regex(/^[A-Za-z0-9_-]{20,100}$/), expiresAt: iso }),
      },
      400: problemAnswer('`wechat_code_invalid`: the code is invalid or already used (or not `dev:…` in sandbox mode)'),
      403: problemAnswer('`wechat_user_blocked`'),
      429: problemAnswer('`wechat_rate_limited`: WeChat asks us to slow down'),
      502: problemAnswer('`wechat_unavailable`'),
    },
  },
  {
    method: 'get',
    path: '/mailboxes',
    tag: 'directory',
    summary: 'The mailbox directory as a tree, or the mailboxes whose name contains `q`',
    query: mailboxQuerySchema,
    responses: {
      200: { description: 'the tree, or the matches', schema: z.union([mailboxTree, mailboxSearch]) },
    },
  },
  {
    method: 'get',
    path: '/classification',
    tag: 'directory',
    summary: "What the write page's pickers offer: topics and the city's districts and streets",
    query: noQuerySchema,
    headers: [
      {
        name: 'If-None-Match',
        required: false,
        description: 'the ETag of the copy the app has: 304 when it is still current',
        schema: { type: 'string' },
      },
    ],
    responses: {
      200: {
        description: 'the pickers, with an ETag',
        schema: classification,
        headers: { ETag: { description: 'send back as If-None-Match', schema: { type: 'string' } } },
      },
      304: { description: 'the copy the app has is current' },
    },
  },
  {
    method: 'post',
    path: '/uploads',
    tag: 'letters',
    security: 'session',
    summary: 'Upload one photo (wx.uploadFile, multipart/form-data, field `file`) before sending the letter',
    description: `The type is told from the bytes. Each citizen may upload MP_UPLOADS_PER_HOUR photos an hour (429 \`rate_limited\` beyond). A letter or follow-up takes up to ${MP_LIMITS.photosMax} upload ids.`,
    body: mpUploadFormSchema,
    bodyType: 'multipart/form-data',
    responses: {
      201: {
        description: 'stored; use `uploadId` in `uploadIds`',
        schema: z.object({
          uploadId: z.uuid(),
          contentType: z.enum(['image/jpeg', 'image/png', 'image/gif', 'image/webp']),
          bytes: z.int(),
          sha256: z.string().regex(/^[0-9a-f]{64}$/),
        }),
      },
      400: problemAnswer('`bad_request`: the multipart body cannot be read'),
      413: problemAnswer('`body_too_large`: the photo is larger than `uploadMaxBytes`'),
      415: problemAnswer('`unsupported_media_type` (not multipart/form-data) or `upload_not_image`'),
      422: problemAnswer('`request_invalid`: no file in field `file`'),
      429: problemAnswer('`rate_limited`: too many photos this hour'),
    },
  },
  {
    method: 'post',
    path: '/letters',
    tag: 'letters',
    security: 'session',
    summary: 'Send a letter',
    description:
      'Idempotent per `clientKey`: a retry after a network failure answers with the letter stored the first time (200, `duplicate: true`). Problems name the field, in words for the citizen.',
    body: mpLetterRequestSchema,
    responses: {
      201: {
        description: 'stored; the receipt follows by subscribe message or in the message centre',
        schema: submitAnswer,
      },
      200: { description: 'this client key was submitted before', schema: submitAnswer },
    },
  },
  {
    method: 'get',
    path: '/letters',
    tag: 'letters',
    security: 'session',
    summary: "The citizen's own letters, newest first (up to 200)",
    responses: { 200: { description: 'the letters', schema: z.object({ letters: z.array(letterSummary) }) } },
  },
  {
    method: 'get',
    path: '/letters/{id}',
    tag: 'letters',
    security: 'session',
    summary: "One of the citizen's own letters with its progress, follow-ups and survey",
    pathParams: letterId,
    responses: {
      200: { description: 'the letter', schema: letterDetail },
      404: problemAnswer("`letter_not_found` (also for someone else's letter)"),
    },
  },
  {
    method: 'post',
    path: '/letters/{id}/followups',
    tag: 'letters',
    security: 'session',
    summary: 'Follow up: add text and photos to one of the own letters while it is open',
    description: 'Idempotent per `clientKey`; forwarded to the case store as a `letter.followup` event.',
    pathParams: letterId,
    body: mpFollowupRequestSchema,
    responses: {
      201: {
        description: 'added',
        schema: z.object({ followupId: z.uuid(), duplicate: z.literal(false) }),
      },
      200: {
        description: 'this client key was used before for this letter',
        schema: z.object({ followupId: z.uuid().nullable(), duplicate: z.literal(true) }),
      },
      404: problemAnswer('`letter_not_found`'),
      409: problemAnswer(
        '`conflict`: the letter is closed or rejected; `idempotency_key_reused`: key used for another letter',
      ),
    },
  },
  {
    method: 'post',
    path: '/letters/{id}/satisfaction',
    tag: 'letters',
    security: 'session',
    summary: 'Answer the satisfaction survey of one of the own letters',
    pathParams: letterId,
    body: mpSatisfactionRequestSchema,
    responses: {
      200: {
        description: 'the answer counts (`replaced`: a different answer within the grace period replaced the first)',
        schema: z.object({ outcome: z.enum(['recorded', 'replaced', 'unchanged']) }),
      },
      404: problemAnswer('`letter_not_found`'),
      409: problemAnswer('`conflict`: no survey yet, already answered for good, or expired'),
    },
  },
  {
    method: 'post',
    path: '/query',
    tag: 'letters',
    security: 'session',
    summary: 'Progress of any letter (any channel) by acceptance serial and extraction code',
    description:
      'Guarded against guessing: wrong codes spend budgets per serial, per citizen and overall (QUERY_FAILURES_PER_SERIAL, QUERY_FAILURES_PER_SENDER); the writer of the letter is always answered. An unknown serial and a wrong code get the same answer.',
    body: mpQueryRequestSchema,
    responses: {
      200: { description: 'the progress', schema: queryAnswer },
      404: problemAnswer('`query_not_found`: no letter with this serial and code'),
      429: problemAnswer('`rate_limited`: too many wrong guesses; try again later', retryAfter),
    },
  },
  {
    method: 'post',
    path: '/subscriptions',
    tag: 'notifications',
    security: 'session',
    summary: 'Record what wx.requestSubscribeMessage answered (each `accept` allows one message)',
    headers: [
      {
        name: 'Idempotency-Key',
        required: false,
        description: 'a retried post with the same key and body counts the consents once',
        schema: { type: 'string', maxLength: 255 },
      },
    ],
    body: mpSubscriptionsRequestSchema,
    responses: {
      200: {
        description: 'what was counted per template, and the credits now held',
        schema: z.object({
          results: z.record(z.string(), z.string()).describe('`ignored` for a template the gateway does not use'),
          credits: z.record(z.string(), z.int()),
        }),
      },
      409: problemAnswer('`idempotency_key_reused` or `idempotency_key_in_flight`'),
    },
  },
  {
    method: 'post',
    path: '/phone',
    tag: 'notifications',
    security: 'session',
    summary: 'Verify the phone number (getPhoneNumber button) for SMS when no subscribe message can go',
    body: mpPhoneRequestSchema,
    responses: {
      200: {
        description: 'verified',
        schema: z.object({ phoneVerified: z.literal(true), phoneMasked: z.string() }),
      },
      400: problemAnswer('`wechat_code_invalid`'),
      502: problemAnswer('`wechat_unavailable`'),
    },
  },
  {
    method: 'get',
    path: '/profile',
    tag: 'notifications',
    security: 'session',
    summary: 'What the app needs to ask for: phone verified, subscribe templates, the photo size limit, the hotline',
    responses: { 200: { description: 'the profile', schema: profile } },
  },
  {
    method: 'get',
    path: '/messages',
    tag: 'notifications',
    security: 'session',
    summary: 'The message centre: replies, status changes and survey invitations of the own letters, newest first',
    responses: { 200: { description: 'the messages', schema: messageCentre } },
  },
  {
    method: 'post',
    path: '/messages/read',
    tag: 'notifications',
    security: 'session',
    summary: 'Mark everything up to a time read (the mark never moves back)',
    body: mpReadUntilRequestSchema,
    responses: { 200: { description: 'the messages after the change', schema: messageCentre } },
  },
  {
    method: 'post',
    path: '/messages/{id}/read',
    tag: 'notifications',
    security: 'session',
    summary: 'Mark one message read',
    pathParams: {
      id: {
        description: 'the message id',
        schema: z.string().regex(/^(status|reply|survey):[0-9a-f-]{1,64}$/),
      },
    },
    responses: {
      200: { description: 'the messages after the change', schema: messageCentre },
      404: problemAnswer('`not_found`: no such message among the own letters'),
    },
  },
  {
    method: 'get',
    path: '/public/letters',
    tag: 'public board',
    security: 'session',
    summary: 'The public letters board: letters staff approved for publication, newest first',
    query: boardQuerySchema,
    responses: { 200: { description: 'one page of 20', schema: boardPage } },
  },
  {
    method: 'get',
    path: '/public/letters/{ref}',
    tag: 'public board',
    security: 'session',
    summary: 'One letter of the board',
    pathParams: { ref: { description: '`ref` of the board page', schema: z.string() } },
    responses: {
      200: { description: 'the letter', schema: publicLetter },
      404: problemAnswer('`not_found`: not (or no longer) on the board'),
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

/** The problem answers every call of a kind can give: a JSON body that cannot be read, no session. */
function common(op: Operation): { responses: Record<string, Answer> } {
  const json = op.body && (op.bodyType ?? 'application/json') === 'application/json';
  return {
    responses: {
      ...(json
        ? {
            400: problemAnswer('`body_invalid_json` or `body_too_deep`'),
            413: problemAnswer('`body_too_large`'),
            415: problemAnswer('`unsupported_media_type`: send application/json'),
          }
        : {}),
      ...(op.security ? { 401: problemAnswer('`session_invalid`: no, unknown or expired session; log in again') } : {}),
      ...(op.body || op.query
        ? { 422: problemAnswer('`request_invalid`: `problems` names each field, in Chinese for the citizen') }
        : {}),
    },
  };
}

export function mpOpenApiDocument(serverUrl: string): Record<string, unknown> {
  const schemas: Record<string, unknown> = {};
  const paths = pathsOf(operations, common, schemas);
  return {
    openapi: '3.1.0',
    info: {
      title: "Letter channel gateway — the mini-program's app API",
      version: '1',
      description: [
        'What the WeChat mini-program calls: log in, send letters with photos, follow them, answer surveys, the message centre and the public board.',
        '**Session.** `POST /session` with the code of `wx.login` gives a token; send it as `Authorization: Bearer <token>`. It expires after MP_SESSION_TTL_SECONDS; any 401 `session_invalid` means: log in again.',
        '**Errors** are RFC 9457 problem details (`application/problem+json`) with a stable `code` (see `Problem`); `problems` names the fields of an invalid request with a message in Chinese the app can show as it is.',
        "**Rate limits.** Photo uploads per citizen and hour (MP_UPLOADS_PER_HOUR); progress queries by wrong guesses per serial, per citizen and overall (429 with `Retry-After`). WeChat's own limits come back as 429 `wechat_rate_limited`.",
        "The case store's API is described at [/api/v1/openapi.json](/api/v1/openapi.json) ([reference](/api-docs/)).",
      ].join('\n\n'),
    },
    servers: [{ url: `${serverUrl.replace(/\/$/, '')}/mp` }],
    tags: [
      { name: 'session' },
      { name: 'directory', description: 'public: the pickers open before login' },
      { name: 'letters' },
      { name: 'notifications', description: 'consents, phone, profile and the message centre' },
      { name: 'public board' },
      { name: 'meta' },
    ],
    paths,
    components: {
      securitySchemes: {
        session: {
          type: 'http',
          scheme: 'bearer',
          description: 'the token of POST /mp/session',
        },
      },
      schemas: { ...schemas, Problem: problemComponent(), LetterRequest: jsonSchema(mpLetterRequestSchema, 'input') },
    },
  };
}

/** `METHOD /path` of every documented operation, relative to /mp, in the document's `{param}` form. */
export const documentedMpOperations = (): string[] => operationNames(operations);
