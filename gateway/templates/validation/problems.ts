// What template validation reports: a field path inside the template, a message staff can act on, and whether it
// blocks saving (error: would fail at send time) or is only a warning (would be truncated, costs more segments).
export interface TemplateProblem {
  field: string;
  message: string;
  severity: 'error' | 'warning';
}

export const error = (field: string, message: string): TemplateProblem => ({ field, message, severity: 'error' });
export const warning = (field: string, message: string): TemplateProblem => ({ field, message, severity: 'warning' });

/** Characters as WeChat and the SMS carriers count them: Unicode code points, not UTF-16 units. */
export const charCount = (s: string): number => [...s].length;

/**
 * What the console shows beside the form: a text with its segments (each channel that counts segments names its
 * own kind), a text with its size, or a card of typed fields.
 */
export type Preview =
  | { kind: 'text'; text: string; bytes: number }
  | { kind: 'card'; templateId: string; fields: { key: string; label: string; value: string }[]; link: string | null }
  | { kind: string; text: string; chars: number; segments: number };
