// WeChat typed template fields (mini-program subscribe messages and official-account subscription notifications;
// official-account template messages use the same keys but truncate instead of rejecting). The type is the key
// without its number: `thing2` → thing. Rules from the send API's value table:
// https://developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/mp-message-management/subscribe-message/sendMessage.html
import { charCount } from './problems.js';

const cjk = /[\u3400-\u9fff\uf900-\ufaff]/;
const onlyCjk = /^[\u3400-\u9fff\uf900-\ufaff]+$/;
const dateText = String.raw`(\d{4}年\d{1,2}月\d{1,2}日|\d{4}[-/.]\d{1,2}[-/.]\d{1,2})`;
const timeText = String.raw`\d{1,2}:\d{2}(:\d{2})?`;
const range = (one: string) => new RegExp(`^${one}(\\s*~\\s*${one})?$`);
const timeValue = range(`(${dateText}\\s*)?${timeText}`);
const dateValue = range(`${dateText}(\\s*${timeText})?`);

type Rule = (v: string) => string | null;

const rules: Record<string, Rule> = {
  thing: (v) => (charCount(v) > 20 ? `不能超过 20 个字符（现为 ${charCount(v)}）` : null),
  number: (v) => (/^\d+(\.\d+)?$/.test(v) && v.length <= 32 ? null : '只能是数字（可含小数点），最多 32 位'),
  letter: (v) => (/^[A-Za-z]{1,32}$/.test(v) ? null : '只能是字母，最多 32 个'),
  symbol: (v) => (charCount(v) <= 5 && !/[\p{L}\p{N}\s]/u.test(v) ? null : '只能是符号，最多 5 个'),
  character_string: (v) => (charCount(v) > 32 ? '不能超过 32 个字符' : cjk.test(v) ? '不能含汉字（只能是数字、字母或符号）' : null),
  time: (v) => (timeValue.test(v) ? null : '须为 24 小时制时间，如 15:01 或 2019年10月1日 15:01'),
  date: (v) => (dateValue.test(v) ? null : '须为日期，如 2019年10月1日 或 2019年10月1日 15:01'),
  amount: (v) => (/^[¥￥$€£]?\d{1,10}(\.\d{1,2})?元?$/.test(v) ? null : '须为金额：一个货币符号加最多 10 位数字，可带小数、可以“元”结尾'),
  phone_number: (v) => (/^[\d+\-() ]{1,17}$/.test(v) ? null : '须为电话号码：最多 17 位数字和符号'),
  car_number: (v) => (charCount(v) <= 8 && /^[\u4e00-\u9fa5A-Za-z0-9][A-Za-z0-9]*[\u4e00-\u9fa5A-Za-z0-9]?$/.test(v) ? null : '须为车牌号：最多 8 个字符'),
  name: (v) => (cjk.test(v) ? (charCount(v) <= 10 ? null : '含汉字时不能超过 10 个字符') : charCount(v) <= 20 ? null : '不能超过 20 个字母'),
  phrase: (v) => (charCount(v) <= 5 && onlyCjk.test(v) ? null : '只能是最多 5 个汉字'),
  enum: () => null,
};

export const wechatFieldTypes = Object.keys(rules);

/** The type of a field key, or null when the key is not a typed WeChat key (`thing2` → `thing`). */
export function fieldType(key: string): string | null {
  const m = /^([a-z_]+?)(\d+)$/.exec(key);
  return m && m[1]! in rules ? m[1]! : null;
}

/** Why `value` is not acceptable for the field `key`, or null when it is. */
export function checkFieldValue(key: string, value: string): string | null {
  const type = fieldType(key);
  if (!type) return `字段名 ${key} 不是已知类型（${wechatFieldTypes.join('、')} 加编号，如 thing2）`;
  if (value.trim() === '') return '值不能为空';
  if (/[\u0000-\u001f]/.test(value)) return '不能含换行或控制字符';
  return rules[type]!(value);
}
