// The extraction code lets whoever holds it read a letter's progress, so staff views never carry it: the canonical
// letter's field is blanked and the code is blanked wherever it was copied (the receipt's variables and rendered text,
// a citizen's query). Staff who need it ask for it explicitly (audited reveal-code).
const codeKeys = new Set(['extractionCode', 'extraction_code']);
export const hiddenCode = '******';

export function hideCode<T>(value: T, code: string | null | undefined): T {
  return walk(value, code && code.length >= 4 ? code : null, 0) as T;
}

function walk(v: unknown, code: string | null, depth: number): unknown {
  if (typeof v === 'string') return code && v.includes(code) ? v.split(code).join(hiddenCode) : v;
  if (v === null || typeof v !== 'object' || depth > 16 || v instanceof Date) return v;
  if (Array.isArray(v)) return v.map((x) => walk(x, code, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    out[k] = codeKeys.has(k) && typeof x === 'string' ? hiddenCode : walk(x, code, depth + 1);
  }
  return out;
}
