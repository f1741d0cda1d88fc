// The reason a staff member gives for looking at, exporting or erasing a citizen's personal data: required, short,
// and written to the audit log with the access itself.
import type { Context } from 'koa';
import { z } from 'zod';
import { readJson } from '../http/body.js';
import { parseBody } from '../http/parse-body.js';

export const reasonField = z
  .string({ error: '请填写原因' })
  .trim()
  .min(2, '请填写原因（至少 2 个字）')
  .max(500, '原因最多 500 个字');

/** The JSON body's `reason`, or a 400 problem naming the field. */
export async function requiredReason(ctx: Context): Promise<string> {
  const body = parseBody(z.object({ reason: reasonField }).strict(), await readJson(ctx, 8192));
  return body.reason;
}
