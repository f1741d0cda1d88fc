// What WeChat's typed-field messages share as staff templates (official-account template and subscription messages,
// mini-program subscribe messages): the template id, the mini-program page path, the field map and its labels, and
// the check of every rendered field against its type with the card preview.
import { z } from 'zod';
import type { Preview, TemplateProblem } from '../../templates/validation/problems.js';
import { error, warning } from '../../templates/validation/problems.js';
import { checkFieldValue } from './template-fields.js';
import { format } from '../../i18n/catalogue.js';
import { messages } from './messages.zh-CN.js';

export const fieldMap = z
  .record(z.string(), z.string())
  .refine((m) => Object.keys(m).length > 0, format(messages, 'wechatCommon.template.atLeastOneField'));
export const labels = z.record(z.string(), z.string().max(20)).optional();
export const templateId = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9_-]{1,128}$/, format(messages, 'wechatCommon.template.templateId'));
export const pagePath = z
  .string()
  .trim()
  .max(1024)
  .regex(/^[^\s/][^\s]*$/, format(messages, 'wechatCommon.template.pagePath'));

/**
 * Checks each rendered typed field and previews the card. Official-account template messages truncate overlong
 * values (`truncates`: a warning); the others reject the send (an error).
 */
export function checkCard(
  r: Record<string, unknown>,
  truncates: boolean,
): { problems: TemplateProblem[]; preview: Preview } {
  const data = r.data as Record<string, string>;
  const labels = (r.labels as Record<string, string> | undefined) ?? {};
  const problems: TemplateProblem[] = [];
  for (const [key, value] of Object.entries(data)) {
    const bad = checkFieldValue(key, value);
    if (bad)
      problems.push(
        truncates && /超过|不能超过/.test(bad)
          ? warning(`content.data.${key}`, format(messages, 'wechatCommon.template.truncatedByWechat', { bad }))
          : error(`content.data.${key}`, bad),
      );
  }
  const mp = r.miniprogram as { pagepath: string } | undefined;
  const link = (r.page as string | undefined) ?? mp?.pagepath ?? (r.url as string | undefined) ?? null;
  return {
    problems,
    preview: {
      kind: 'card',
      templateId: r.templateId as string,
      fields: Object.entries(data).map(([key, value]) => ({ key, label: labels[key] ?? key, value })),
      link,
    },
  };
}
