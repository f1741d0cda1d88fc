// Phone numbers are personal data: every staff view shows them masked; only an audited reveal shows one whole.
const phoneLike = /^\+?\d{7,15}$/;

export function maskPhone(value: string): string {
  if (!phoneLike.test(value)) return value;
  const keepEnd = 4;
  const keepStart = value.startsWith('+86') ? 6 : Math.min(3, value.length - keepEnd - 1);
  return value.slice(0, keepStart) + '*'.repeat(Math.max(1, value.length - keepStart - keepEnd)) + value.slice(-keepEnd);
}

/** Masks phone-like strings anywhere inside a JSON value (citizen ids, recipients, letter bodies' phone fields). */
export function maskDeep<T>(v: T): T {
  if (typeof v === 'string') return maskPhone(v) as T;
  if (Array.isArray(v)) return v.map(maskDeep) as T;
  if (v && typeof v === 'object' && !(v instanceof Date)) {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, maskDeep(x)])) as T;
  }
  return v;
}
