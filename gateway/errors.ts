// The catalogue of error codes the gateway answers with. Every error a client can see is listed here with its HTTP
// status and public title; anything else is an internal error whose message never leaves the server. Channels
// contribute their own codes from their folders (channels/error-codes.ts gathers them).
import { channelErrorCodes } from './channels/error-codes.js';

export const errorCatalogue = {
  bad_request: { status: 400, title: 'The request is malformed' },
  body_invalid_json: { status: 400, title: 'The body is not valid JSON' },
  letter_invalid: { status: 422, title: 'The letter does not match the canonical letter schema' },
  request_invalid: { status: 422, title: 'The request body is not valid' },
  unauthorized: { status: 401, title: 'Authentication is required' },
  forbidden: { status: 403, title: 'This credential may not do that' },
  push_signature_invalid: { status: 401, title: 'The push signature or its encryption does not verify' },
  push_encryption_required: { status: 401, title: 'This endpoint accepts encrypted pushes only' },
  push_stale: { status: 403, title: 'The push timestamp is outside the accepted window' },
  push_replayed: { status: 403, title: 'This push nonce was already used for another body' },
  push_malformed: { status: 400, title: 'The push body is not an acceptable XML push' },
  not_found: { status: 404, title: 'Not found' },
  letter_not_found: { status: 404, title: 'No such letter' },
  delivery_not_found: { status: 404, title: 'No such delivery' },
  method_not_allowed: { status: 405, title: 'Method not allowed' },
  idempotency_key_reused: { status: 409, title: 'This Idempotency-Key was used with a different request' },
  idempotency_key_in_flight: { status: 409, title: 'A request with this Idempotency-Key is still being processed' },
  conflict: { status: 409, title: 'The request conflicts with the current state' },
  body_too_large: { status: 413, title: 'The body is too large' },
  unsupported_media_type: { status: 415, title: 'Unsupported content type' },
  rate_limited: { status: 429, title: 'Too many requests' },
  session_invalid: { status: 401, title: 'The mini-program session is missing, unknown or expired; log in again' },
  // Each channel's own codes (channels/error-codes.ts), in the place they have always had in the list.
  ...channelErrorCodes,
  upload_not_image: { status: 415, title: 'The upload is not a supported image (JPEG, PNG, GIF, WebP)' },
  query_not_found: { status: 404, title: 'No letter matches this serial and extraction code' },
  login_failed: { status: 401, title: 'Wrong username or password' },
  session_expired: { status: 401, title: 'The session has ended; log in again' },
  csrf_invalid: { status: 403, title: 'Missing or wrong CSRF token' },
  role_forbidden: { status: 403, title: 'Your role may not do that' },
  account_locked: { status: 423, title: 'Too many failed logins; the account is locked for a while' },
  template_invalid: { status: 422, title: 'The template breaks rules enforced at send time' },
  phone_invalid: { status: 422, title: 'The phone number is not a mainland mobile number an SMS can reach' },
  serial_conflict: { status: 409, title: 'This serial is already registered with different content' },
  sms_consent_required: { status: 422, title: "The citizen's consent to SMS follow-up is required" },
  letter_not_owned: { status: 403, title: 'These letters were not registered with this API key' },
  batch_too_large: { status: 422, title: 'Too many letters in one batch' },
  internal: { status: 500, title: 'Internal error' },
  not_ready: { status: 503, title: 'Not ready' },
  body_too_deep: { status: 400, title: 'The body is nested too deeply' },
  text_too_long: { status: 413, title: 'A text in the body is longer than the gateway accepts' },
  survey_not_open: {
    status: 409,
    title: 'The letter has no open survey (none was started, or it was answered or has expired)',
  },
} as const;

export type ErrorCode = keyof typeof errorCatalogue;

/** An error meant for the client: its code, and optional details safe to show (field problems, hints). */
export class AppError extends Error {
  readonly status: number;
  readonly expose = true;
  constructor(
    readonly code: ErrorCode,
    readonly details: { detail?: string; problems?: { field: string; message: string }[]; [k: string]: unknown } = {},
  ) {
    super(details.detail ?? errorCatalogue[code].title);
    this.name = 'AppError';
    this.status = errorCatalogue[code].status;
  }
}
