// WeChat typed template fields (mini-program subscribe messages and official-account subscription notifications;
// official-account template messages use the same keys but truncate instead of rejecting). The type is the key
// without its number: `thing2` → thing. This table is the one source of the limits: the staff console checks
// templates with it, and the mini-program checks (and, where `cut` allows, cuts) values with it at send time.
// Rules from the send API's value table:
// https://developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/mp-message-management/subscribe-message/sendMessage.html
import { charCount } from '../../templates/validation/problems.js';
import { format } from '../../i18n/catalogue.js';
import { messages } from './messages.zh-CN.js';

const cjk = /[\u3400-\u9fff\uf900-\ufaff]/;
const onlyCjk = /^[\u3400-\u9fff\uf900-\ufaff]+$/;
const dateText = String.raw`(\d{4}年\d{1,2}月\d{1,2}日|\d{4}[-/.]\d{1,2}[-/.]\d{1,2})`;
const timeText = String.raw`\d{1,2}:\d{2}(:\d{2})?`;
const range = (one: string) => new RegExp(`^${one}(\\s*~\\s*${one})?$`);
const timeValue = range(`(${dateText}\\s*)?${timeText}`);
const dateValue = range(`${dateText}(\\s*${timeText})?`);

export interface WechatFieldRule {
  /** Most code points WeChat accepts. */
  max?: number;
  /** WeChat's text for this type may be cut to `max` (with an ellipsis) at send time instead of failing the send. */
  cut?: boolean;
  /** The form a value must have, checked once it fits `max`. */
  form?: (v: string) => boolean;
  /** What staff read when the value does not fit; length problems say 不能超过. */
  message: string;
}

export const wechatFieldRules: Readonly<Record<string, WechatFieldRule>> = {
  thing: { max: 20, cut: true, message: format(messages, 'wechatCommon.template.max20Chars') },
  number: {
    max: 32,
    form: (v) => /^\d+(\.\d+)?$/.test(v),
    message: format(messages, 'wechatCommon.template.numberOnly'),
  },
  letter: {
    max: 32,
    form: (v) => /^[A-Za-z]+$/.test(v),
    message: format(messages, 'wechatCommon.template.lettersOnly'),
  },
  symbol: {
    max: 5,
    form: (v) => !/[\p{L}\p{N}\s]/u.test(v),
    message: format(messages, 'wechatCommon.template.symbolsOnly'),
  },
  character_string: {
    max: 32,
    form: (v) => /^[\x21-\x7e]+$/.test(v),
    message: format(messages, 'wechatCommon.template.characterString'),
  },
  time: { form: (v) => timeValue.test(v), message: format(messages, 'wechatCommon.template.timeFormat') },
  date: { form: (v) => dateValue.test(v), message: format(messages, 'wechatCommon.template.dateFormat') },
  amount: {
    form: (v) => /^[¥￥$€£]?\d{1,10}(\.\d{1,2})?元?$/.test(v),
    message: format(messages, 'wechatCommon.template.amountFormat'),
  },
  phone_number: {
    max: 17,
    form: (v) => /^[\d+\-() ]+$/.test(v),
    message: format(messages, 'wechatCommon.template.phoneNumberFormat'),
  },
  car_number: {
    max: 8,
    form: (v) => /^[\u4e00-\u9fa5A-Za-z0-9][A-Za-z0-9]*[\u4e00-\u9fa5A-Za-z0-9]?$/.test(v),
    message: format(messages, 'wechatCommon.template.carNumberFormat'),
  },
  name: {
    max: 20,
    form: (v) => !cjk.test(v) || charCount(v) <= 10,
    message: format(messages, 'wechatCommon.template.nameLength'),
  },
  phrase: { max: 5, form: (v) => onlyCjk.test(v), message: format(messages, 'wechatCommon.template.phraseFormat') },
  enum: { message: format(messages, 'wechatCommon.template.enumValue') },
};

export const wechatFieldTypes = Object.keys(wechatFieldRules);

/** The type of a field key, or null when the key is not a typed WeChat key (`thing2` → `thing`). */
export function fieldType(key: string): string | null {
  const m = /^([a-z_]+?)(\d+)$/.exec(key);
  return m && m[1]! in wechatFieldRules ? m[1]! : null;
}

/** Why `value` is not acceptable for the field `key`, or null when it is. */
export function checkFieldValue(key: string, value: string): string | null {
  const type = fieldType(key);
  if (!type)
    return format(messages, 'wechatCommon.template.fieldNameUnknown', { key, join: wechatFieldTypes.join('、') });
  if (value.trim() === '') return format(messages, 'wechatCommon.template.valueRequired');
  if (/[\u0000-\u001f]/.test(value)) return format(messages, 'wechatCommon.template.noControlChars');
  const rule = wechatFieldRules[type]!;
  const n = charCount(value);
  if (rule.max !== undefined && n > rule.max)
    return format(messages, 'wechatCommon.template.withLength', { message: rule.message, n });
  return rule.form && !rule.form(value) ? rule.message : null;
}
