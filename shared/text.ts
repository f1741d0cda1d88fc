// The one rule for text that enters the gateway, at every door (JSON bodies, SMS pushes, official-account XML,
// query parameters) before anything reaches PostgreSQL: Unicode NFC, line breaks folded to \n, control characters
// other than tab and newline removed, lone surrogates replaced by U+FFFD. PostgreSQL refuses U+0000 in text and
// jsonb, and jsonb refuses an unpaired surrogate escape, so one such character must never fail a whole request.
// No Node imports and no regex look-behind: the mini-program bundles this file for its older JavaScript engines.

const disallowedControls = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;
const anySurrogate = /[\uD800-\uDFFF]/;

/** Replaces every surrogate that is not half of a proper pair with U+FFFD (what a UTF-8 encoder would write). */
function wellFormed(s: string): string {
  if (!anySurrogate.test(s)) return s;
  const parts: string[] = [];
  let from = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xd800 || c > 0xdfff) continue;
    if (c <= 0xdbff && i + 1 < s.length) {
      const next = s.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        i++;
        continue;
      }
    }
    parts.push(s.slice(from, i), '\uFFFD');
    from = i + 1;
  }
  parts.push(s.slice(from));
  return parts.join('');
}

const needsWork = /[\u0000-\u001F\u007F\uD800-\uDFFF]/;

/** Cleans one text: well-formed, NFC, CRLF and CR folded to LF, disallowed control characters removed. */
export function cleanText(s: string): string {
  const nfc = needsWork.test(s) ? wellFormed(s).normalize('NFC') : s.normalize('NFC');
  return needsWork.test(nfc) ? nfc.replace(/\r\n?/g, '\n').replace(disallowedControls, '') : nfc;
}

/**
 * Cleans every string of a parsed JSON value, object keys included; other values are kept as they are. What needs no
 * cleaning comes back as the very same object, so `cleanJson(v) === v` tells whether anything changed.
 */
export function cleanJson(value: unknown): unknown {
  if (typeof value === 'string') return cleanText(value);
  if (Array.isArray(value)) {
    const out = value.map(cleanJson);
    return out.every((v, i) => v === value[i]) ? value : out;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value);
    const cleaned = entries.map(([k, v]) => [cleanText(k), cleanJson(v)] as const);
    if (cleaned.every(([k, v], i) => k === entries[i]![0] && v === entries[i]![1])) return value;
    const out: Record<string, unknown> = {};
    // defineProperty: a key named `__proto__` stays an ordinary key, as JSON.parse made it.
    for (const [k, v] of cleaned)
      Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
    return out;
  }
  return value;
}

/** Cuts a text to at most `max` UTF-16 code units (the schema's measure) without splitting a surrogate pair. */
export function cutText(s: string, max: number): string {
  if (s.length <= max) return s;
  const c = s.charCodeAt(max - 1);
  return s.slice(0, c >= 0xd800 && c <= 0xdbff ? max - 1 : max);
}
