// The reason a staff member gives for looking at, exporting or erasing a citizen's personal data: required, short,
// and written to the audit log with the access itself.
import type { Context } from 'koa';
import { z } from 'zod';
import { readJson } from '../http/body.js';
import { parseBody } from '../http/parse-body.js';
import { format } from '../i18n/catalogue.js';
import { messages } from './messages.zh-CN.js';

export const reasonField = z
  .string({ error: format(messages, 'admin.reasonRequired') })
  .trim()
  .min(2, format(messages, 'admin.reasonMinTwoChars'))
  .max(500, format(messages, 'admin.reasonTooLong'));

/** The JSON body's `reason`, or a 400 problem naming the field. */
export async function requiredReason(ctx: Context): Promise<string> {
  const body = parseBody(z.object({ reason: reasonField }).strict(), await readJson(ctx, 8192));
  return body.reason;
}
