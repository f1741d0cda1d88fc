// The one masking function for personal data in everything staff read and everything logged: phone numbers and
// WeChat openids are masked wherever they appear (inside ids and free text too), identity fields by their name, and
// error objects are turned into plain masked data before they are written. Only an audited reveal shows a value whole.

// Mainland mobile numbers, bare or with 86/+86, inside any text (not inside a longer run of digits).
const mainlandMobile = /(?<!\d)(\+?86)?(1[3-9]\d)\d{4}(\d{4})(?!\d)/g;
// Any other E.164 number (+ and 7–15 digits).
const e164 = /(?<![\d+])\+(\d{2})(\d{1,9})(\d{4})(?!\d)/g;
// WeChat openids and unionids: 28 characters of base64url beginning with "o".
const wechatId = /(?<![A-Za-z0-9_-])(o[A-Za-z0-9_-]{3})[A-Za-z0-9_-]{20}([A-Za-z0-9_-]{4})(?![A-Za-z0-9_-])/g;

// The gateway's own ids (UUIDs): random hex, never personal data, though their digits can look like a phone number.
const uuid = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/** Masks every phone number and openid inside `text`, leaving the rest (UUIDs included) as it is. */
export function maskText(text: string): string {
  let out = '';
  let from = 0;
  for (const m of text.matchAll(uuid)) {
    out += maskOutsideIds(text.slice(from, m.index)) + m[0];
    from = m.index + m[0].length;
  }
  return out + maskOutsideIds(text.slice(from));
}

function maskOutsideIds(text: string): string {
  return text
    .replace(
      mainlandMobile,
      (_m, cc: string | undefined, head: string, tail: string) => `${cc ?? ''}${head}****${tail}`,
    )
    .replace(e164, (_m, head: string, mid: string, tail: string) => `+${head}${'*'.repeat(mid.length)}${tail}`)
    .replace(wechatId, (_m, head: string, tail: string) => `${head}****${tail}`);
}

/** A phone number (or any text holding one) masked; kept for callers that mean a phone. */
export const maskPhone = maskText;

/** A whole identifier of a citizen (phone, openid, channel user id) masked, whatever its shape. */
export function maskIdentifier(value: string): string {
  const inText = maskText(value);
  if (inText !== value) return inText;
  if (value.length <= 4) return '****';
  const keep = value.length >= 12 ? 3 : 1;
  return `${value.slice(0, keep)}****${value.slice(-keep)}`;
}

/** A person's name: the first character and a star for the rest (张**). */
export function maskName(value: string): string {
  const chars = [...value];
  return chars.length <= 1 ? '*' : chars[0]! + '*'.repeat(Math.min(chars.length - 1, 3));
}

// Fields that hold a citizen's identity whole; masked as identifiers whatever their content.
const identityKeys = new Set([
  'phone',
  'phone_number',
  'phoneNumber',
  'purePhoneNumber',
  'mobile',
  'PhoneNumbers',
  'phone_numbers',
  'openid',
  'openId',
  'unionid',
  'unionId',
  'union_id',
  'FromUserName',
  'touser',
  'channelUserId',
  'citizen_id',
  'citizenId',
  'sender_id',
  'senderId',
  'recipient',
]);
const nameKeys = new Set(['name', 'realName', 'real_name']);

/** Plain data for an Error (type, message, stack, own fields such as pg's `detail`, and its cause). */
export function errorData(err: Error, depth = 0): Record<string, unknown> {
  const out: Record<string, unknown> = { type: err.constructor.name, message: err.message, stack: err.stack };
  for (const [k, v] of Object.entries(err)) if (!(k in out)) out[k] = v;
  if (err.cause !== undefined && depth < 3)
    out.cause = err.cause instanceof Error ? errorData(err.cause, depth + 1) : err.cause;
  return out;
}

/**
 * Masks a JSON-like value for staff or logs: strings are searched for phones and openids, identity fields are
 * masked whole, a citizen's name is shortened to its first character, and errors become masked plain data.
 */
export function maskDeep<T>(v: T): T {
  return maskAny(v, undefined, undefined, 0) as T;
}

function maskAny(v: unknown, key: string | undefined, parentKey: string | undefined, depth: number): unknown {
  if (typeof v === 'string') {
    if (key && identityKeys.has(key)) return maskIdentifier(v);
    if (key && nameKeys.has(key) && parentKey === 'citizen') return maskName(v);
    return maskText(v);
  }
  if (typeof v === 'number' && key && identityKeys.has(key)) return maskIdentifier(String(v));
  if (v === null || typeof v !== 'object' || depth > 12) return v;
  if (v instanceof Error) return maskAny(errorData(v), key, parentKey, depth + 1);
  if (v instanceof Date || Buffer.isBuffer(v)) return v;
  if (Array.isArray(v)) return v.map((x) => maskAny(x, key, parentKey, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) out[k] = maskAny(x, k, key, depth + 1);
  return out;
}
