// WeChat typed template fields (mini-program subscribe messages and official-account subscription notifications;
// official-account template messages use the same keys but truncate instead of rejecting). The type is the key
// without its number: `thing2` → thing. This table is the one source of the limits: the staff console checks
// templates with it, and the mini-program checks (and, where `cut` allows, cuts) values with it at send time.
// Rules from the send API's value table:
// https://developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/mp-message-management/subscribe-message/sendMessage.html
import { charCount } from './problems.js';

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
  thing: { max: 20, cut: true, message: '不能超过 20 个字符' },
  number: { max: 32, form: (v) => /^\d+(\.\d+)?$/.test(v), message: '只能是数字（可含小数点），最多 32 位' },
  letter: { max: 32, form: (v) => /^[A-Za-z]+$/.test(v), message: '只能是字母，最多 32 个' },
  symbol: { max: 5, form: (v) => !/[\p{L}\p{N}\s]/u.test(v), message: '只能是符号，最多 5 个' },
  character_string: {
    max: 32,
    form: (v) => /^[\x21-\x7e]+$/.test(v),
    message: '只能是数字、字母或符号（不含汉字和空格），不能超过 32 个字符',
  },
  time: { form: (v) => timeValue.test(v), message: '须为 24 小时制时间，如 15:01 或 2019年10月1日 15:01' },
  date: { form: (v) => dateValue.test(v), message: '须为日期，如 2019年10月1日 或 2019年10月1日 15:01' },
  amount: {
    form: (v) => /^[¥￥$€£]?\d{1,10}(\.\d{1,2})?元?$/.test(v),
    message: '须为金额：一个货币符号加最多 10 位数字，可带小数、可以“元”结尾',
  },
  phone_number: { max: 17, form: (v) => /^[\d+\-() ]+$/.test(v), message: '须为电话号码：最多 17 位数字和符号' },
  car_number: {
    max: 8,
    form: (v) => /^[\u4e00-\u9fa5A-Za-z0-9][A-Za-z0-9]*[\u4e00-\u9fa5A-Za-z0-9]?$/.test(v),
    message: '须为车牌号：最多 8 个字符',
  },
  name: {
    max: 20,
    form: (v) => !cjk.test(v) || charCount(v) <= 10,
    message: '含汉字时不能超过 10 个字符，否则不能超过 20 个字母',
  },
  phrase: { max: 5, form: (v) => onlyCjk.test(v), message: '只能是最多 5 个汉字' },
  enum: { message: '须为模板枚举中的值' },
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
  if (!type) return `字段名 ${key} 不是已知类型（${wechatFieldTypes.join('、')} 加编号，如 thing2）`;
  if (value.trim() === '') return '值不能为空';
  if (/[\u0000-\u001f]/.test(value)) return '不能含换行或控制字符';
  const rule = wechatFieldRules[type]!;
  const n = charCount(value);
  if (rule.max !== undefined && n > rule.max) return `${rule.message}（现为 ${n} 个字符）`;
  return rule.form && !rule.form(value) ? rule.message : null;
}
