// What an SMS template is (staff-edited content for the `sms` route) and the provider's rules for its variables,
// checked before any send: Aliyun sends approved templates only, with string variables of at most 35 characters
// unless the template allows more, and no URLs. A broken rule is a template error shown to staff, never a retry.
// https://help.aliyun.com/zh/sms/user-guide/sms-template-specifications
import { z } from 'zod';
import { summarize } from '../../lib/text.js';

export const defaultParamChars = 35;

export const smsTemplateSchema = z
  .object({
    /** Approved template code, e.g. SMS_123456789. */
    templateCode: z.string().trim().min(1),
    /** Approved signature; default ALIYUN_SMS_SIGN_NAME. */
    signName: z.string().trim().min(1).optional(),
    /** The template's parameters, each filled from our `{{variables}}`. */
    params: z.record(z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/), z.unknown()),
    /** Longer limits the approved template allows for some parameters. */
    maxChars: z.record(z.string(), z.number().int().min(1).max(500)).optional(),
    /** Parameters cut to their limit at a sentence or character boundary instead of failing (summaries). */
    cut: z.array(z.string()).optional(),
    /** The approved wording with ${param} placeholders: shown to staff and in the sandbox, never sent. */
    text: z.string().optional(),
  })
  .strict();

export type SmsTemplate = z.infer<typeof smsTemplateSchema>;

export interface PreparedSms {
  templateCode: string;
  signName: string | undefined;
  params: Record<string, string>;
}

export class SmsTemplateError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('; '));
    this.name = 'SmsTemplateError';
  }
}

// Links of any form: scheme, www., or a bare domain with a common top-level domain.
const urlLike = /(?:[a-z][a-z0-9+.-]*:\/\/|www\.|\b[a-z0-9-]+\.(?:com|cn|net|org|gov|edu|info|top|xyz|cc|io|me|ly)\b)/i;

/** Checks a rendered template against the rules and returns what the provider needs; throws SmsTemplateError. */
export function prepareSms(rendered: unknown): PreparedSms {
  const parsed = smsTemplateSchema.safeParse(rendered);
  if (!parsed.success)
    throw new SmsTemplateError(parsed.error.issues.map((i) => `${i.path.join('.') || 'content'}: ${i.message}`));
  const t = parsed.data;
  const problems: string[] = [];
  const params: Record<string, string> = {};
  for (const [name, value] of Object.entries(t.params)) {
    if (typeof value !== 'string') {
      problems.push(`${name}: must be a string (Aliyun answers isv.INVALID_JSON_PARAM otherwise)`);
      continue;
    }
    const limit = t.maxChars?.[name] ?? defaultParamChars;
    // Line breaks and control characters are not allowed in variables; in citizen or staff text they are spacing.
    const flat = value.replace(/[\u0000-\u001f\u007f\s]+/g, ' ').trim();
    const v = t.cut?.includes(name) ? summarize(flat, limit) : flat;
    if (v === '') problems.push(`${name}: is empty`);
    else if ([...v].length > limit) problems.push(`${name}: ${[...v].length} characters, the template allows ${limit}`);
    if (urlLike.test(v)) problems.push(`${name}: holds a link, which SMS template variables may not`);
    params[name] = v;
  }
  if (problems.length > 0) throw new SmsTemplateError(problems);
  return { templateCode: t.templateCode, signName: t.signName, params };
}
