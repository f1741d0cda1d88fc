// Checks every value of a subscribe message against its key type's limits before WeChat sees it (a single bad value
// fails the whole send with 47003). Lengths are counted in code points, not UTF-16 units; `thing` values are cut
// with an ellipsis, dates are put in WeChat's documented form, the rest must already fit.
// Rules: https://developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/mp-message-management/subscribe-message/sendMessage.html
export type SubscribeData = Record<string, { value: string }>;

const cjk = /^[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+$/u;
const chars = (s: string) => [...s];

interface Rule {
  max?: number;
  cut?: boolean;
  test?: (v: string) => boolean;
  normalize?: (v: string) => string;
  what: string;
}

const dateTime = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::\d{2})?)?$/;
const chineseDate = /^\d{4}年\d{1,2}月\d{1,2}日( \d{1,2}:\d{2})?$/;
const toChineseDate = (v: string) => {
  const m = dateTime.exec(v);
  if (!m) return v;
  const day = `${m[1]}年${Number(m[2])}月${Number(m[3])}日`;
  return m[4] ? `${day} ${m[4]}:${m[5]}` : day;
};

const rules: Record<string, Rule> = {
  thing: { max: 20, cut: true, what: 'at most 20 characters' },
  number: { max: 32, test: (v) => /^\d+(\.\d+)?$/.test(v), what: 'at most 32 digits' },
  letter: { max: 32, test: (v) => /^[A-Za-z]+$/.test(v), what: 'at most 32 letters' },
  symbol: { max: 5, test: (v) => !/[\p{L}\p{N}\s]/u.test(v), what: 'at most 5 symbols' },
  character_string: { max: 32, test: (v) => /^[\x21-\x7e]+$/.test(v), what: 'at most 32 letters, digits or symbols' },
  time: { normalize: toChineseDate, test: (v) => /^\d{1,2}:\d{2}$/.test(v) || chineseDate.test(v), what: 'a time such as 15:01 or 2019年10月1日 15:01' },
  date: { normalize: toChineseDate, test: (v) => chineseDate.test(v), what: 'a date such as 2019年10月1日' },
  amount: { test: (v) => /^[¥$€£]?\d{1,10}(\.\d{1,2})?元?$/u.test(v), what: 'an amount such as ¥100.00' },
  phone_number: { max: 17, test: (v) => /^[\d+\-() ]+$/.test(v), what: 'at most 17 digits and symbols' },
  car_number: { max: 8, what: 'at most 8 characters' },
  name: { test: (v) => (cjk.test(v) ? chars(v).length <= 10 : !/[\u3400-\u9fff]/u.test(v) ? chars(v).length <= 20 : chars(v).length <= 10), what: 'at most 10 Chinese or 20 Latin characters' },
  phrase: { max: 5, test: (v) => cjk.test(v), what: 'at most 5 Chinese characters' },
  enum: { what: 'a value of the template enumeration' },
};

export class SubscribeDataError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('; '));
    this.name = 'SubscribeDataError';
  }
}

/** Type of a data key: `thing2` → thing, `character_string1` → character_string. */
export const keyType = (key: string) => key.replace(/\d+$/, '');

export function buildSubscribeData(values: Record<string, unknown>): SubscribeData {
  const out: SubscribeData = {};
  const problems: string[] = [];
  for (const [key, raw] of Object.entries(values)) {
    const rule = rules[keyType(key)];
    if (!rule) {
      problems.push(`${key}: unknown key type "${keyType(key)}"`);
      continue;
    }
    // Line breaks and runs of spaces are never allowed inside a value.
    let v = (rule.normalize ?? ((s: string) => s))(String(raw ?? '').replace(/\s+/g, ' ').trim());
    if (v === '') {
      problems.push(`${key}: empty value`);
      continue;
    }
    if (rule.max !== undefined && chars(v).length > rule.max) {
      if (rule.cut) v = chars(v).slice(0, rule.max - 1).join('') + '…';
      else {
        problems.push(`${key}: "${v}" is too long (${rule.what})`);
        continue;
      }
    }
    if (rule.test && !rule.test(v)) {
      problems.push(`${key}: "${v}" is not ${rule.what}`);
      continue;
    }
    out[key] = { value: v };
  }
  if (problems.length > 0) throw new SubscribeDataError(problems);
  return out;
}
