// Aliyun's HTTP batch pushes (HTTP批量推送): SmsUp (uplink) and SmsReport (delivery report), each a JSON array.
// Read liberally: `sequence_id` comes as a number (older docs) or a string (current docs), `sign_name` may be absent,
// `send_time` is `yyyy-MM-dd HH:mm:ss` or `yyyyMMddHHmmss`, unknown fields are ignored.
// https://help.aliyun.com/zh/sms/developer-reference/smsup-http
// https://help.aliyun.com/zh/sms/developer-reference/smsreport-2
import type { ParsedReport, ParsedUplink, SmsPushFormat } from '../../provider.js';
import { normalizePhone } from '../../../../lib/phone.js';

type Item = Record<string, unknown>;

/** Aliyun times are Beijing time without an offset. */
export function parseAliyunTime(raw: unknown): Date | null {
  if (typeof raw !== 'string') return null;
  const m = /^(\d{4})-?(\d{2})-?(\d{2})[ T]?(\d{2}):?(\d{2}):?(\d{2})$/.exec(raw.trim());
  if (!m) return null;
  const d = new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}+08:00`);
  return Number.isNaN(d.getTime()) ? null : d;
}

const str = (v: unknown): string | null => {
  if (typeof v === 'string') return v.trim() === '' ? null : v;
  // A large numeric id may already have lost digits in JSON.parse; it is still the best key there is.
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return null;
};

function items(body: unknown): unknown[] {
  // The documented body is an array; a lone object is accepted as one item.
  if (Array.isArray(body)) return body;
  return body !== null && typeof body === 'object' ? [body] : [];
}

function uplink(raw: unknown): ParsedUplink {
  const item: Item = raw !== null && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Item) : {};
  const phone = normalizePhone(str(item.phone_number));
  const content = typeof item.content === 'string' && item.content.trim() !== '' ? item.content : null;
  const messageId = str(item.sequence_id);
  const sentAtRaw = typeof item.send_time === 'string' ? item.send_time : null;
  const problem = !phone
    ? 'no valid phone_number'
    : !content
      ? 'no content'
      : !messageId
        ? 'no sequence_id'
        : undefined;
  return {
    phone,
    content,
    messageId,
    sentAt: parseAliyunTime(sentAtRaw),
    sentAtRaw,
    raw,
    ...(problem ? { problem } : {}),
  };
}

function report(raw: unknown): ParsedReport {
  const item: Item = raw !== null && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Item) : {};
  const phone = normalizePhone(str(item.phone_number));
  const errorCode = str(item.err_code);
  // `success` is a Boolean in the docs; a string "true" is tolerated. DELIVERED is Aliyun's success receipt.
  const success = item.success === true || item.success === 'true';
  const outcome =
    success || errorCode === 'DELIVERED' ? 'delivered' : item.success === undefined && !errorCode ? null : 'failed';
  const deliveryId = str(item.out_id);
  const providerMessageId = str(item.biz_id);
  const reportedAtRaw = typeof item.report_time === 'string' ? item.report_time : null;
  const problem = !phone
    ? 'no valid phone_number'
    : !deliveryId && !providerMessageId
      ? 'neither out_id nor biz_id'
      : !outcome
        ? 'no success or err_code'
        : undefined;
  return {
    phone,
    deliveryId,
    providerMessageId,
    outcome,
    errorCode,
    reportedAt: parseAliyunTime(reportedAtRaw),
    reportedAtRaw,
    raw,
    ...(problem ? { problem } : {}),
  };
}

export const aliyunPush: SmsPushFormat = {
  uplinks: (body) => items(body).map(uplink),
  reports: (body) => items(body).map(report),
  // The platform checks that `code` is the number 0; a string "0" or a non-200 makes it push again.
  ack: { code: 0, msg: '接收成功' },
};
