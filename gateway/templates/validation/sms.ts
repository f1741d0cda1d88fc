// Aliyun SMS rules checked before sending: template variable names and values, and the length of the message as the
// carrier bills it. Pure functions, used by the console when saving and by the SMS channel at send time.
// Variables: https://help.aliyun.com/zh/sms/user-guide/message-template-specifications (names of letters, digits and
// underscores; values are strings, ≤ 35 characters for the generic type, no URLs — isv.PARAM_NOT_SUPPORT_URL,
// isv.PARAM_LENGTH_LIMIT). Length: a message of ≤ 70 characters, signature 【…】 included, is one segment; longer
// messages are sent as segments of 67 characters each.
import { summarize } from '../../lib/text.js';
import { charCount, error, warning, type TemplateProblem } from './problems.js';

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
    : `变量名 ${name} 不合法：只能用字母、数字和下划线，以字母开头，最多 20 个字符`;
}

export function checkSmsParamValue(value: string, limit = SMS_PARAM_MAX_CHARS): string | null {
  if (charCount(value) > limit) return `变量值超过 ${limit} 个字符（${charCount(value)}）`;
  if (/(https?:\/\/|www\.)\S/i.test(value)) return '变量值不能含网址（阿里云拒绝：PARAM_NOT_SUPPORT_URL）';
  if (/[\u0000-\u001f]/.test(value)) return '变量值不能含换行或控制字符';
  return null;
}

export function checkSignName(sign: string): string | null {
  return /^[\u4e00-\u9fa5A-Za-z0-9]{2,12}$/.test(sign) ? null : '签名为 2–12 个汉字、字母或数字';
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
      problems.push(
        error(
          `params.${name}`,
          `模板正文使用了变量 \${${name}}，但参数映射中没有它（阿里云会拒绝：TEMPLATE_MISSING_PARAMETERS）`,
        ),
      );
  }
  for (const [name, value] of Object.entries(params)) {
    if (!used.includes(name)) problems.push(error(`params.${name}`, `参数 ${name} 不在模板正文中`));
    const limit = rules.maxChars?.[name] ?? SMS_PARAM_MAX_CHARS;
    const bad = value === '' ? '变量值为空' : checkSmsParamValue(value, limit);
    const lengthOnly = bad !== null && charCount(value) > limit && checkSmsParamValue(value.slice(0, 10)) === null;
    if (bad && lengthOnly && variable.has(name))
      problems.push(
        warning(
          `params.${name}`,
          `示例中${bad}；发送时超过 ${limit} 个字符会被拒绝（阿里云 PARAM_LENGTH_LIMIT），可在 cut 中列出它以截断`,
        ),
      );
    else if (bad) problems.push(error(`params.${name}`, bad));
  }
  const { chars, segments } = smsSegments(smsText(sign, text, params));
  if (chars > SMS_MAX_CHARS) problems.push(error('text', `短信共 ${chars} 个字符，超过 ${SMS_MAX_CHARS} 个字符上限`));
  else if (segments > maxSegments)
    problems.push(error('text', `短信共 ${chars} 个字符，将拆成 ${segments} 条（上限 ${maxSegments} 条）`));
  else if (segments > 1)
    problems.push(warning('text', `短信共 ${chars} 个字符，将按 ${SMS_MULTI_SEGMENT} 字一条拆成 ${segments} 条计费`));
  return problems;
}
