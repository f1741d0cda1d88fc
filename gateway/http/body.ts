// Reading request bodies with a hard size limit, before any parsing. Channels that verify signatures over the raw
// bytes (WeChat) read the raw body; JSON endpoints use readJson, which also checks the content type.
import type { Context } from 'koa';
import { AppError } from '../errors.js';

export async function readRaw(ctx: Context, limitBytes: number): Promise<Buffer> {
  const declared = Number(ctx.get('content-length') || NaN);
  if (Number.isFinite(declared) && declared > limitBytes) throw new AppError('body_too_large', { detail: `limit is ${limitBytes} bytes` });
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limitBytes) {
      ctx.req.unpipe();
      throw new AppError('body_too_large', { detail: `limit is ${limitBytes} bytes` });
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size);
}

export async function readJson(ctx: Context, limitBytes = 256 * 1024): Promise<unknown> {
  if (!ctx.is('application/json', 'application/*+json')) throw new AppError('unsupported_media_type', { detail: 'send application/json' });
  const raw = await readRaw(ctx, limitBytes);
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    throw new AppError('body_invalid_json');
  }
}
