// What the mini-program takes from the project's shared/ folder: the canonical letter's limits and labels, and the
// mini-program API's request schemas and answer types. The build bundles this (with zod) into shared/index.js.
export { LETTER_LIMITS, kindLabels, type LetterKind } from '../../shared/letter.js';
export {
  MP_LIMITS,
  mpKinds,
  mpLetterRequestSchema,
  mpFollowupRequestSchema,
  type MpFollowupRequest,
  mpQueryRequestSchema,
  mpSatisfactionRequestSchema,
  checkRequest,
  statusLabels,
  satisfactionLabels,
  type MpSatisfactionRequest,
  type MpLetterRequest,
  type FieldProblem,
  type MpLetterStatus,
  type TimelineEntry,
  type MpLetterSummary,
  type MpLetterDetail,
  type MpQueryAnswer,
  type MpSubmitAnswer,
  type MailboxNode,
  type MpMailboxSearch,
  type MpProfile,
  type MpClassification,
} from '../../shared/mp-api.js';
