// The templates JSON file: what TEMPLATES_FILE loads at start-up, what ships as defaults, and what the staff console
// exports and imports.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { channels } from '../../shared/letter.js';

export const templateEntrySchema = z
  .object({
    channel: z.enum(channels),
    /** Which message: receipt, reply, reply_notice, status.accepted, survey, welcome, help … */
    key: z.string().regex(/^[a-z][a-z0-9_.-]{1,63}$/),
    /** How it is sent on the channel: sms; custom / template / subscribe (official account); subscribe (mini-program). */
    route: z.string().regex(/^[a-z][a-z0-9_-]{1,31}$/),
    enabled: z.boolean().default(true),
    content: z.record(z.string(), z.unknown()),
  })
  .strict();

export const templatesFileSchema = z
  .object({
    format: z.literal('letter-gateway.templates'),
    version: z.literal(1),
    templates: z.array(templateEntrySchema),
  })
  .strict();

export type TemplateEntry = z.infer<typeof templateEntrySchema>;
export type TemplatesFile = z.infer<typeof templatesFileSchema>;

export function parseTemplatesFile(json: unknown, where: string): TemplatesFile {
  const r = templatesFileSchema.safeParse(json);
  if (!r.success) {
    const lines = r.error.issues.map((i) => `${i.path.join('.') || '(file)'}: ${i.message}`);
    throw new Error(`${where} is not a valid templates file:\n  ${lines.join('\n  ')}`);
  }
  return r.data;
}

export function readTemplatesFile(path: string): TemplatesFile {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new Error(`cannot read templates file ${path}: ${(err as Error).message}`);
  }
  return parseTemplatesFile(json, path);
}

/** The shipped defaults: every JSON file in templates/defaults/ (one per feature or channel). */
export function readDefaultTemplates(): TemplateEntry[] {
  const dir = fileURLToPath(new URL('./defaults/', import.meta.url));
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .flatMap((f) => readTemplatesFile(dir + f).templates);
}
