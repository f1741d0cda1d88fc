// Checks every value of a subscribe message against its key type's limits before WeChat sees it (a single bad value
// fails the whole send with 47003). The limits are the staff console's (`channels/wechat-common/template-fields.ts`);
// here values are only prepared: white space folded, dates put in WeChat's documented form, and types that allow it
// cut with an ellipsis. Rules: https://developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/mp-message-management/subscribe-message/sendMessage.html
import { charCount } from '../../templates/validation/problems.js';
import { checkFieldValue, fieldType, wechatFieldRules } from '../wechat-common/template-fields.js';
import { format } from '../../i18n/catalogue.js';
import { messages } from './messages.zh-CN.js';

export type SubscribeData = Record<string, { value: string }>;

const dateTime = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::\d{2})?)?$/;
const toChineseDate = (v: string) => {
  const m = dateTime.exec(v);
  if (!m) return v;
  const day = format(messages, 'wechatMp.date', { year: m[1]!, month: Number(m[2]), day: Number(m[3]) });
  return m[4] ? `${day} ${m[4]}:${m[5]}` : day;
};

export class SubscribeDataError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('; '));
    this.name = 'SubscribeDataError';
  }
}

/** The value as it will be sent: line breaks and runs of spaces are never allowed inside a value. */
function prepare(type: string | null, raw: unknown): string {
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- template variables are strings and numbers
  let v = String(raw ?? '')
    .replace(/\s+/g, ' ')
    .trim();
  if (type === 'time' || type === 'date') v = toChineseDate(v);
  const rule = type ? wechatFieldRules[type] : undefined;
  if (rule?.cut && rule.max !== undefined && charCount(v) > rule.max) v = [...v].slice(0, rule.max - 1).join('') + '…';
  return v;
}

export function buildSubscribeData(values: Record<string, unknown>): SubscribeData {
  const out: SubscribeData = {};
  const problems: string[] = [];
  for (const [key, raw] of Object.entries(values)) {
    const v = prepare(fieldType(key), raw);
    const bad = checkFieldValue(key, v);
    if (bad) problems.push(`${key}: "${v}" ${bad}`);
    else out[key] = { value: v };
  }
  if (problems.length > 0) throw new SubscribeDataError(problems);
  return out;
}
