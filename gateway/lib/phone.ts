// Phone numbers to E.164 (`+8613800138000`): SMS providers write mainland numbers bare, with 86, +86 or 0086, and
// citizens type them with full-width digits; everything the gateway stores and compares is the E.164 form.
const fullWidth = /[\uFF10-\uFF19\uFF0B]/g;

/** The E.164 form of a phone number, or null when it is not one. */
export function normalizePhone(input: string | number | null | undefined): string | null {
  if (input === null || input === undefined) return null;
  const s = String(input)
    .replace(fullWidth, (c) => (c === '\uFF0B' ? '+' : String.fromCharCode(c.charCodeAt(0) - 0xff10 + 0x30)))
    .replace(/[\s\-().\u3000]/g, '');
  let m = /^(?:\+86|0086|86)?(1[3-9]\d{9})$/.exec(s);
  if (m) return `+86${m[1]}`;
  m = /^(?:\+|00)([1-9]\d{6,14})$/.exec(s);
  if (m && !m[1]!.startsWith('86')) return `+${m[1]}`;
  return null;
}
