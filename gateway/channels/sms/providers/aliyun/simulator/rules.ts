// Aliyun SendSms as the sandbox simulates it: the checks the real API makes before it accepts a message, in the
// order it makes them, each answered with its documented Code in an HTTP 200 body. The approved templates are the
// ones the staff templates name (their TemplateCode, wording and longer variable limits).
// https://help.aliyun.com/document_detail/101346.html (国内消息API错误码)
// https://help.aliyun.com/zh/sms/user-guide/sms-template-specifications (variables: 35 characters, no links)

export interface AliyunAnswer {
  Code: string;
  Message: string;
}

/** A template as the simulated account has it approved. */
export interface ApprovedTemplate {
  /** The wording with ${param} placeholders, when staff wrote it down. */
  text?: string;
  /** Variables the template allows longer than 35 characters. */
  maxChars: Record<string, number>;
}

export const defaultVariableChars = 35;

const answer = (Code: string, Message: string): AliyunAnswer => ({ Code, Message });
export const codes = {
  phone: answer('isv.MOBILE_NUMBER_ILLEGAL', '非法手机号'),
  sign: answer('isv.SMS_SIGNATURE_ILLEGAL', '该账号下找不到对应签名'),
  template: answer('isv.SMS_TEMPLATE_ILLEGAL', '该账号下找不到对应模板'),
  json: answer('isv.INVALID_JSON_PARAM', 'JSON参数不合法，只接受字符串值'),
  missing: answer('isv.TEMPLATE_MISSING_PARAMETERS', '模板变量缺少对应参数值'),
  length: answer('isv.PARAM_LENGTH_LIMIT', '参数超出长度限制'),
  url: answer('isv.PARAM_NOT_SUPPORT_URL', '不支持URL为变量'),
  limit: answer('isv.BUSINESS_LIMIT_CONTROL', '触发分钟级流控Permits:1'),
} as const;

/**
 * The account's approved template for a TemplateCode, from the SMS templates that name it (their wording and longer
 * variable limits) or, without one, a code approved in settings (limits by default, no wording).
 */
export function approvedTemplate(
  contents: readonly Record<string, unknown>[],
  code: string | undefined,
  configured: readonly string[],
): ApprovedTemplate | undefined {
  if (!code) return undefined;
  const named = contents.filter((c) => c.templateCode === code);
  if (named.length === 0) return configured.includes(code) ? { maxChars: {} } : undefined;
  const maxChars: Record<string, number> = {};
  for (const c of named)
    for (const [k, v] of Object.entries((c.maxChars ?? {}) as Record<string, unknown>))
      if (typeof v === 'number') maxChars[k] = Math.max(maxChars[k] ?? 0, v);
  const text = named.find((c) => typeof c.text === 'string')?.text;
  return { maxChars, ...(typeof text === 'string' ? { text } : {}) };
}

/** Mainland numbers, with or without +86 / 0086 / 86, as SendSms accepts them. */
export function mainlandNumber(raw: string | undefined): string | null {
  const m = /^(?:\+?86|0086)?(1[3-9]\d{9})$/.exec(raw?.trim() ?? '');
  return m ? m[1]! : null;
}

// Links of any form: scheme, www., or a bare domain with a common top-level domain.
const link = /(?:[a-z][a-z0-9+.-]*:\/\/|www\.|\b[a-z0-9-]+\.(?:com|cn|net|org|gov|edu|info|top|xyz|cc|io|me|ly)\b)/i;

export interface SendSmsCheck {
  phone: string;
  params: Record<string, string>;
}

/** Checks one SendSms call; the answer to give when it is refused. */
export function checkSendSms(
  q: Record<string, string | undefined>,
  approved: ApprovedTemplate | undefined,
): SendSmsCheck | AliyunAnswer {
  // One number per call here: the gateway sends each citizen their own message.
  const phone = mainlandNumber(q.PhoneNumbers);
  if (!phone) return codes.phone;
  if (!q.SignName?.trim()) return codes.sign;
  if (!q.TemplateCode || !approved) return codes.template;
  let parsed: unknown = {};
  if (q.TemplateParam !== undefined) {
    try {
      parsed = JSON.parse(q.TemplateParam);
    } catch {
      return codes.json;
    }
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return codes.json;
  const params: Record<string, string> = {};
  for (const [k, v] of Object.entries(parsed as Record<string, unknown>)) {
    if (typeof v !== 'string') return codes.json;
    params[k] = v;
  }
  for (const name of placeholders(approved.text)) if (!(name in params)) return codes.missing;
  for (const [k, v] of Object.entries(params)) {
    if ([...v].length > (approved.maxChars[k] ?? defaultVariableChars)) return codes.length;
    if (link.test(v)) return codes.url;
  }
  return { phone, params };
}

const placeholders = (text: string | undefined) => [...(text ?? '').matchAll(/\$\{([^}]+)\}/g)].map((m) => m[1]!);

/** The SMS as the citizen's phone shows it: 【signature】 and the wording with the variables filled in. */
export function shownSms(sign: string, approved: ApprovedTemplate, params: Record<string, string>): string {
  const body = approved.text
    ? approved.text.replace(/\$\{([^}]+)\}/g, (_, k: string) => params[k] ?? '')
    : Object.values(params).join(' ');
  return `【${sign}】${body}`;
}

/** Beijing time as Aliyun writes it in pushes: yyyy-MM-dd HH:mm:ss. */
export function aliyunTime(d: Date): string {
  return new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
}
