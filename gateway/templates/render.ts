// Renders a template's content: every string inside it may hold `{{variable}}` placeholders from the documented list.
// A placeholder outside the list is a template bug and fails loudly instead of sending a half-filled message.
import { templateVariables, type TemplateValues } from './variables.js';

export class TemplateError extends Error {
  constructor(
    message: string,
    readonly problems: string[] = [message],
  ) {
    super(message);
    this.name = 'TemplateError';
  }
}

const placeholder = /\{\{\s*([A-Za-z][A-Za-z0-9]*)\s*\}\}/g;

/** Every variable a content uses, and any placeholder not in the documented list. */
export function variablesUsed(content: unknown): { used: string[]; unknown: string[] } {
  const used = new Set<string>();
  walkStrings(content, (s) => {
    for (const m of s.matchAll(placeholder)) used.add(m[1]!);
    return s;
  });
  return { used: [...used], unknown: [...used].filter((v) => !(v in templateVariables)) };
}

export function render(content: Record<string, unknown>, values: TemplateValues): Record<string, unknown> {
  const { unknown } = variablesUsed(content);
  if (unknown.length > 0) throw new TemplateError(`unknown template variables: ${unknown.join(', ')}`);
  return walkStrings(content, (s) =>
    s.replace(placeholder, (_, name: string) => values[name as keyof TemplateValues] ?? ''),
  ) as Record<string, unknown>;
}

function walkStrings(v: unknown, fn: (s: string) => string): unknown {
  if (typeof v === 'string') return fn(v);
  if (Array.isArray(v)) return v.map((x) => walkStrings(x, fn));
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walkStrings(x, fn)]));
  return v;
}
