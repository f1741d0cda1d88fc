// Reading the web mailbox's form posts: urlencoded forms and the multipart letter form (photos), with a hard size
// limit before parsing, every text cleaned by the one text rule (shared/text.ts).
import type { Context } from 'koa';
import { AppError } from '../../errors.js';
import { readRaw } from '../../http/body.js';
import { cleanText } from '../../../shared/text.js';

/** A file of a multipart form. */
export type Upload = Exclude<ReturnType<FormData['get']>, string | null>;

export interface FormPost {
  field(name: string): string;
  files(name: string): Upload[];
}

export async function readForm(ctx: Context, limitBytes: number): Promise<FormPost> {
  const multipart = ctx.is('multipart/form-data');
  if (!multipart && !ctx.is('application/x-www-form-urlencoded'))
    throw new AppError('unsupported_media_type', { detail: 'send a form' });
  const raw = await readRaw(ctx, limitBytes);
  let form: FormData;
  try {
    // The platform's own parsers (undici), on a body already capped in size.
    // eslint-disable-next-line @typescript-eslint/no-deprecated -- the advice is about unbounded streams; this body is capped above
    form = await new Response(raw, { headers: { 'content-type': ctx.get('content-type') } }).formData();
  } catch {
    throw new AppError('bad_request', { detail: 'the form cannot be read' });
  }
  return {
    field(name) {
      const v = form.get(name);
      return typeof v === 'string' ? cleanText(v).trim() : '';
    },
    files(name) {
      return form.getAll(name).filter((v): v is Upload => typeof v !== 'string' && v.size > 0);
    },
  };
}
