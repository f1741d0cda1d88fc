// Aliyun SMS rules checked before sending: template variable names and values, and the length of the message as the
// carrier bills it. Pure functions, used by the console when saving and by the SMS channel at send time.
// Variables: https://help.aliyun.com/zh/sms/user-guide/message-template-specifications (names of letters, digits and
// underscores; values are strings, ≤ 35 characters for the generic type, no URLs — isv.PARAM_NOT_SUPPORT_URL,
// isv.PARAM_LENGTH_LIMIT). Length: a message of ≤ 70 characters, signature 【…】 included, is one segment; longer
// messages are sent as segments of 67 characters each.
import { summarize } from '../../lib/text.js';
import { charCount, error, warning, type TemplateProblem } from '../../templates/validation/problems.js';
import { format } from '../../i18n/catalogue.js';
import { messages } from './messages.zh-CN.js';

/** Per-template exceptions the approved template allows: longer parameters, and parameters cut to fit. */
export interface SmsParamRules {
  maxChars?: Record<string, number>;
  cut?: string[];
}

export const SMS_SINGLE_SEGMENT = 70;
export const SMS_MULTI_SEGMENT = 67;
/** Longest notification Aliyun accepts (signature included). */
export const SMS_MAX_CHARS = 500;
export const SMS_PARAM_MAX_CHARS = 35;

export function smsSegments(text: string): { chars: number; segments: number } {
  const chars = charCount(text);
  return { chars, segments: chars <= SMS_SINGLE_SEGMENT ? 1 : Math.ceil(chars / SMS_MULTI_SEGMENT) };
}

/** The `${name}` placeholders of an approved Aliyun template text. */
export function smsPlaceholders(text: string): string[] {
  return [...new Set([...text.matchAll(/\$\{([^}]*)\}/g)].map((m) => m[1]!))];
}

export function checkSmsParamName(name: string): string | null {
  return /^[A-Za-z][A-Za-z0-9_]{0,19}$/.test(name)
    ? null
    : format(messages, 'sms.template.variableNameInvalid', { name });
}

export function checkSmsParamValue(value: string, limit = SMS_PARAM_MAX_CHARS): string | null {
  if (charCount(value) > limit)
    return format(messages, 'sms.template.valueTooLong', { limit, charCount: charCount(value) });
  if (/(https?:\/\/|www\.)\S/i.test(value)) return format(messages, 'sms.template.valueHasUrl');
  if (/[\u0000-\u001f]/.test(value)) return format(messages, 'sms.template.valueHasControl');
  return null;
}

export function checkSignName(sign: string): string | null {
  return /^[\u4e00-\u9fa5A-Za-z0-9]{2,12}$/.test(sign) ? null : format(messages, 'sms.template.signNameInvalid');
}

/** The parameters as they are sent: line breaks flattened, and those marked `cut` summarized to their limit. */
export function smsParamsAsSent(params: Record<string, string>, rules: SmsParamRules = {}): Record<string, string> {
  return Object.fromEntries(
    Object.entries(params).map(([name, value]) => {
      const flat = value.replace(/[\u0000-\u001f\u007f\s]+/g, ' ').trim();
      return [name, rules.cut?.includes(name) ? summarize(flat, rules.maxChars?.[name] ?? SMS_PARAM_MAX_CHARS) : flat];
    }),
  );
}

/** The message as the citizen receives it: 【签名】 + the approved text with every ${param} filled in. */
export function smsText(sign: string, text: string, params: Record<string, string>): string {
  return `【${sign}】` + text.replace(/\$\{([^}]*)\}/g, (_, name: string) => params[name] ?? '');
}

/**
 * Checks an SMS template: `params` (name → rendered value) against the approved `text`, and the full length.
 * `variable` names the parameters filled from variables: their length is only known at send time, so an overlong
 * sample value is a warning there and an error for fixed text.
 */
export function checkSms(
  sign: string,
  text: string,
  rendered: Record<string, string>,
  maxSegments = 3,
  variable: ReadonlySet<string> = new Set(),
  rules: SmsParamRules = {},
): TemplateProblem[] {
  const problems: TemplateProblem[] = [];
  const params = smsParamsAsSent(rendered, rules);
  const used = smsPlaceholders(text);
  for (const name of used) {
    const bad = checkSmsParamName(name);
    if (bad) problems.push(error('text', bad));
    else if (!(name in params))
      problems.push(error(`params.${name}`, format(messages, 'sms.template.paramMissing', { name })));
  }
  for (const [name, value] of Object.entries(params)) {
    if (!used.includes(name))
      problems.push(error(`params.${name}`, format(messages, 'sms.template.paramUnused', { name })));
    const limit = rules.maxChars?.[name] ?? SMS_PARAM_MAX_CHARS;
    const bad = value === '' ? format(messages, 'sms.template.valueEmpty') : checkSmsParamValue(value, limit);
    const lengthOnly = bad !== null && charCount(value) > limit && checkSmsParamValue(value.slice(0, 10)) === null;
    if (bad && lengthOnly && variable.has(name))
      problems.push(warning(`params.${name}`, format(messages, 'sms.template.sampleTooLong', { bad, limit })));
    else if (bad) problems.push(error(`params.${name}`, bad));
  }
  const { chars, segments } = smsSegments(smsText(sign, text, params));
  if (chars > SMS_MAX_CHARS)
    problems.push(error('text', format(messages, 'sms.template.smsTooLong', { chars, sMS_MAX_CHARS: SMS_MAX_CHARS })));
  else if (segments > maxSegments)
    problems.push(error('text', format(messages, 'sms.template.smsTooManySegments', { chars, segments, maxSegments })));
  else if (segments > 1)
    problems.push(
      warning(
        'text',
        format(messages, 'sms.template.smsSegments', { chars, sMS_MULTI_SEGMENT: SMS_MULTI_SEGMENT, segments }),
      ),
    );
  return problems;
}
